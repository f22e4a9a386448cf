//! Browser tests of the page: mount the app, let yew render, and check what a person
//! sees — the default scenario's resources on the canvas, verdicts after a click on a VM,
//! VMs coloured after a click on a Bastion, and another scenario after using the picker.

#![cfg(target_arch = "wasm32")]

use bastion_sim::engine::{analyze, Target};
use bastion_sim::scenarios;
use bastion_sim::ui::App;
use bastion_sim::view::{bastion_overlay, pair_status};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlSelectElement, MouseEvent, MouseEventInit, PointerEvent, PointerEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh page in its own element and waits for the first render.
async fn mount() -> Element {
    let document = web_sys::window().expect("window").document().expect("document");
    let root = document.create_element("div").expect("div");
    root.set_attribute("style", "width: 1280px; height: 800px").expect("style");
    document.body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn by_testid(root: &Element, testid: &str) -> Option<Element> {
    root.query_selector(&format!("[data-testid=\"{testid}\"]")).expect("selector")
}

/// A click as the canvas sees it: pointer down and up on the element, bubbling to the root.
async fn click_on_canvas(element: &Element) {
    for kind in ["pointerdown", "pointerup"] {
        let init = PointerEventInit::new();
        init.set_bubbles(true);
        init.set_button(0);
        init.set_pointer_id(1);
        let event = PointerEvent::new_with_event_init_dict(kind, &init).expect("pointer event");
        element.dispatch_event(&event).expect("dispatch");
    }
    yew::scheduler::flush().await;
}

async fn click(element: &Element) {
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    let event = MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("click event");
    element.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
}

fn default_design() -> bastion_sim::Design {
    (scenarios::by_name(scenarios::DEFAULT).expect("default scenario").build)()
}

#[wasm_bindgen_test]
async fn the_page_opens_on_the_default_scenario() {
    let root = mount().await;
    let design = default_design();
    assert!(by_testid(&root, "canvas").is_some(), "no canvas");
    assert!(by_testid(&root, "inspector").is_some(), "no inspector");
    for name in design
        .vnets
        .iter()
        .map(|it| &it.name)
        .chain(design.bastions.iter().map(|it| &it.name))
        .chain(design.vms.iter().map(|it| &it.name))
    {
        assert!(by_testid(&root, &format!("node-{name}")).is_some(), "no node for {name}");
    }
    for link in &design.peerings {
        assert!(by_testid(&root, &format!("edge-{}", link.name)).is_some(), "no edge for {}", link.name);
    }
    for kind in
        ["vnet", "subnet", "bastion", "vm", "nsg", "vwan-hub", "gateway", "onprem-site", "onprem-machine", "user"]
    {
        assert!(by_testid(&root, &format!("palette-{kind}")).is_some(), "no palette item {kind}");
    }
    let picker: HtmlSelectElement = by_testid(&root, "scenario-picker").expect("picker").dyn_into().expect("select");
    assert_eq!(picker.value(), scenarios::DEFAULT);
    // The scenarios, then the graded exercises (each group an <optgroup>).
    assert_eq!(picker.length() as usize, scenarios::all().len() + scenarios::exercises::all().len());
    let analysis = analyze(&design);
    for finding in &analysis.findings {
        let testid = format!("finding-{}-{}", finding.id.as_str(), finding.resource);
        assert!(by_testid(&root, &testid).is_some(), "no row {testid}");
    }
}

#[wasm_bindgen_test]
async fn a_click_on_a_vm_shows_each_bastions_verdict() {
    let root = mount().await;
    let design = default_design();
    let analysis = analyze(&design);
    let vm = &design.vms[0].name;
    click_on_canvas(&by_testid(&root, &format!("node-{vm}")).expect("vm node")).await;
    for (b, bastion) in design.bastions.iter().enumerate() {
        let verdict = by_testid(&root, &format!("verdict-{}-{vm}", bastion.name)).expect("verdict row");
        let status = pair_status(&analysis, b, Target::Vm(0));
        assert!(verdict.class_list().contains(status.class()), "verdict of {} is not {}", bastion.name, status.label());
        assert!(verdict.text_content().unwrap_or_default().contains("B-HEALTH-1"), "the check chain is listed");
    }
    let inspector = by_testid(&root, "inspector").expect("inspector");
    assert!(inspector.text_content().unwrap_or_default().contains(vm.as_str()));
}

#[wasm_bindgen_test]
async fn a_click_on_a_bastion_colours_every_vm() {
    let root = mount().await;
    let design = default_design();
    let analysis = analyze(&design);
    let bastion = &design.bastions[0].name;
    click_on_canvas(&by_testid(&root, &format!("node-{bastion}")).expect("bastion node")).await;
    for (vm, status) in bastion_overlay(&design, &analysis, 0) {
        let node = by_testid(&root, &format!("node-{vm}")).expect("vm node");
        assert!(node.class_list().contains(status.class()), "{vm} is not coloured {}", status.label());
    }
    assert!(by_testid(&root, &format!("sku-advice-{bastion}")).is_some(), "no SKU advice");
    // A click on the background clears the selection and the colours.
    click_on_canvas(&by_testid(&root, "canvas").expect("canvas")).await;
    let vm = &design.vms[0].name;
    let node = by_testid(&root, &format!("node-{vm}")).expect("vm node");
    assert!(!node.class_list().contains("reachable") && !node.class_list().contains("blocked"));
}

#[wasm_bindgen_test]
async fn the_picker_opens_another_scenario() {
    let root = mount().await;
    let other = scenarios::all().into_iter().find(|it| it.name != scenarios::DEFAULT).expect("a second scenario");
    let picker: HtmlSelectElement = by_testid(&root, "scenario-picker").expect("picker").dyn_into().expect("select");
    picker.set_value(other.name);
    let init = EventInit::new();
    init.set_bubbles(true);
    picker.dispatch_event(&Event::new_with_event_init_dict("change", &init).expect("event")).expect("dispatch");
    yew::scheduler::flush().await;
    let design = (other.build)();
    for vnet in &design.vnets {
        assert!(by_testid(&root, &format!("node-{}", vnet.name)).is_some(), "no node for {}", vnet.name);
    }
    // A finding row selects its resource.
    let analysis = analyze(&design);
    if let Some(finding) = analysis.findings.iter().find(|it| {
        design.vms.iter().any(|vm| vm.name == it.resource) || design.bastions.iter().any(|b| b.name == it.resource)
    }) {
        let row =
            by_testid(&root, &format!("finding-{}-{}", finding.id.as_str(), finding.resource)).expect("finding row");
        click(&row).await;
        let node = by_testid(&root, &format!("node-{}", finding.resource)).expect("node");
        assert!(node.class_list().contains("selected"), "the finding's resource is selected");
    }
}
