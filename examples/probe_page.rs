use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use std::time::Instant;
fn main() {
    for (name, p) in [("small", EstateParams::small()), ("enterprise", EstateParams::enterprise())] {
        let design = generate(&p);
        let t = Instant::now();
        let a = bastion_sim::engine::analyze(&design);
        println!("{name} analyze {:?}", t.elapsed());
        let t = Instant::now();
        let c = bastion_sim::engine::consolidation::consolidation_advice(&design, &a);
        println!("{name} consolidation {:?} ({})", t.elapsed(), c.len());
        let t = Instant::now();
        let s = bastion_sim::view::layout(&design);
        println!("{name} layout {:?} ({})", t.elapsed(), s.nodes.len());
    }
}
