//! Properties of the whole pipeline on generated estates with random small mutations:
//! analysis never panics (even on a design broken by the mutation), it is deterministic,
//! and a design survives save → load unchanged, with an unchanged analysis.

use bastion_sim::engine::{analyze, analyze_on, analyze_verdicts, complete, Threads};
use bastion_sim::model::{
    load_design, save_design, validate, Access, BastionSku, DeletedPeering, Design, Direction, Layout, NsgRule,
    Protocol,
};
use bastion_sim::report::{json_report, text_report};
use bastion_sim::scenarios;
use bastion_sim::scenarios::synthetic::{generate, generate_with_rbac, EstateParams, RbacShape};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Mutation {
    /// Delete one peering link; the other side becomes Disconnected.
    DeleteLink(usize),
    /// Flip `allowVirtualNetworkAccess` on a link.
    FlipVnetAccess(usize),
    /// Flip IP-based connection on a Bastion.
    FlipIpConnect(usize),
    ChangeSku(usize, usize),
    /// Add a deny rule for SSH/RDP to an NSG, at a free priority.
    AddDenyRule(usize, u32),
    /// Rename a VNet without fixing the references to it (an invalid design).
    RenameVnet(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLink),
        any::<usize>().prop_map(Mutation::FlipVnetAccess),
        any::<usize>().prop_map(Mutation::FlipIpConnect),
        (any::<usize>(), 0usize..4).prop_map(|(b, s)| Mutation::ChangeSku(b, s)),
        (any::<usize>(), 100u32..4097).prop_map(|(n, p)| Mutation::AddDenyRule(n, p)),
        any::<usize>().prop_map(Mutation::RenameVnet),
    ]
}

fn apply(design: &mut Design, mutation: &Mutation) {
    match *mutation {
        Mutation::DeleteLink(i) if !design.peerings.is_empty() => {
            let link = design.peerings.remove(i % design.peerings.len());
            design.deleted_peerings.push(DeletedPeering { from: link.from, to: link.to });
        }
        Mutation::FlipVnetAccess(i) if !design.peerings.is_empty() => {
            let n = design.peerings.len();
            let link = &mut design.peerings[i % n];
            link.allow_virtual_network_access = !link.allow_virtual_network_access;
        }
        Mutation::FlipIpConnect(i) if !design.bastions.is_empty() => {
            let n = design.bastions.len();
            let host = &mut design.bastions[i % n];
            host.features.ip_connect = !host.features.ip_connect;
        }
        Mutation::ChangeSku(i, sku) if !design.bastions.is_empty() => {
            let n = design.bastions.len();
            design.bastions[i % n].sku = BastionSku::ALL[sku];
        }
        Mutation::AddDenyRule(i, priority) if !design.nsgs.is_empty() => {
            let n = design.nsgs.len();
            let nsg = &mut design.nsgs[i % n];
            let taken = |p: u32| nsg.rules.iter().any(|r| r.direction == Direction::Inbound && r.priority == p);
            if let Some(free) = (priority..=4096).chain(100..priority).find(|p| !taken(*p)) {
                let name = format!("DenyRemoteAccess{free}");
                nsg.rules.push(NsgRule {
                    name,
                    priority: free,
                    direction: Direction::Inbound,
                    access: Access::Deny,
                    protocol: Protocol::Tcp,
                    sources: vec!["*".to_string()],
                    destinations: vec!["*".to_string()],
                    destination_ports: vec!["22".to_string(), "3389".to_string()],
                });
            }
        }
        Mutation::RenameVnet(i) if !design.vnets.is_empty() => {
            let n = design.vnets.len();
            design.vnets[i % n].name.push_str("-renamed");
        }
        _ => (),
    }
}

fn estate() -> impl Strategy<Value = EstateParams> {
    (any::<u64>(), 1usize..24, 0usize..80, 0usize..6, 0usize..12, 1usize..6).prop_map(
        |(seed, vnets, vms, bastions, principals, regions)| EstateParams {
            seed,
            vnets,
            vms,
            bastions,
            principals,
            regions,
        },
    )
}

/// The small estate in both role shapes, and the same estate with one Bastion (one thread
/// gets none) and with an odd count: two threads give exactly the one-thread analysis,
/// findings in the same order included. An estate of 5,000 VMs gets two threads from
/// `analyze` natively; the small one (2,000) one.
#[test]
fn two_threads_give_the_one_thread_analysis() {
    for shape in [RbacShape::Teams, RbacShape::Scattered] {
        for bastions in [EstateParams::small().bastions, 1, 7] {
            let design = generate_with_rbac(&EstateParams { bastions, ..EstateParams::small() }, shape);
            let one = analyze_on(&design, Threads::One);
            assert!(!one.findings.is_empty() && !one.rbac.is_empty() && one.reach.len() == bastions);
            assert!(analyze_on(&design, Threads::Two) == one, "{shape:?}, {bastions} Bastions: the analyses differ");
        }
    }
    assert_eq!(Threads::for_design(&generate(&EstateParams::small())), Threads::One);
    let estate = generate(&EstateParams { vms: 5_000, bastions: 12, ..EstateParams::small() });
    assert_eq!(Threads::for_design(&estate), Threads::Two);
    assert!(analyze(&estate) == analyze_on(&estate, Threads::One));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn analysis_is_total_deterministic_and_survives_save_and_load(
        params in estate(),
        mutations in prop::collection::vec(mutation(), 0..4),
    ) {
        let mut design = generate(&params);
        prop_assert!(validate(&design).is_empty(), "the generator made an invalid design");
        for m in &mutations {
            apply(&mut design, m);
        }
        // Never panics, even when a mutation broke a reference; same input, same output.
        let analysis = analyze(&design);
        prop_assert_eq!(&analysis, &analyze(&design));
        // Natively an estate is analyzed on two threads: the same analysis as on one.
        prop_assert_eq!(&analyze_on(&design, Threads::Two), &analyze_on(&design, Threads::One));
        // The page's overview counts pairs without deciding each one: the same numbers.
        let reachable = analysis.pairs().filter(|it| it.2.is_none()).count();
        prop_assert_eq!(analysis.pair_counts(), (analysis.pairs().count(), reachable));
        // The page paints the first stage's verdicts, then completes: the same analysis.
        let verdicts = analyze_verdicts(&design);
        prop_assert!(!verdicts.is_complete() && analysis.is_complete());
        prop_assert_eq!((&verdicts.health, &verdicts.reach, &verdicts.vm_vnet), (&analysis.health, &analysis.reach, &analysis.vm_vnet));
        prop_assert_eq!(&complete(&design, &verdicts), &analysis);
        prop_assert_eq!(text_report(&design, &analysis), text_report(&design, &analysis));
        prop_assert_eq!(json_report(&design, &analysis), json_report(&design, &analyze(&design)));

        let text = save_design(&design, &Layout::default());
        match load_design(&text) {
            Ok(file) => {
                prop_assert_eq!(&file.design, &design);
                prop_assert_eq!(analyze(&file.design), analysis);
                prop_assert_eq!(save_design(&file.design, &file.layout), text);
            }
            Err(err) => {
                // Only a design the mutations made invalid may fail to load, and it says why.
                prop_assert!(!validate(&design).is_empty(), "a valid design failed to load: {}", err);
                prop_assert!(!err.problems.is_empty());
            }
        }
    }

    /// The built-in scenarios, each with random small mutations: the same properties.
    #[test]
    fn mutated_scenarios_behave_the_same(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let all = scenarios::all();
        let mut design = (all[pick % all.len()].build)();
        for m in &mutations {
            apply(&mut design, m);
        }
        let analysis = analyze(&design);
        prop_assert_eq!(&analysis, &analyze(&design));
        prop_assert_eq!(&analyze_on(&design, Threads::Two), &analysis);
        prop_assert_eq!(&complete(&design, &analyze_verdicts(&design)), &analysis);
        prop_assert_eq!(json_report(&design, &analysis), json_report(&design, &analysis));
        let text = save_design(&design, &Layout::default());
        if let Ok(file) = load_design(&text) {
            prop_assert_eq!(&file.design, &design);
            prop_assert_eq!(analyze(&file.design), analysis);
        } else {
            prop_assert!(!validate(&design).is_empty());
        }
    }
}
