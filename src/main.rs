//! The page's entry point: mounts the yew app on wasm32; natively it does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    bastion_sim::ui::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bastion-sim-web is the page's entry point; build it with `trunk build` (see README.md).");
}
