//! The editor, driven headlessly: gesture sequences become commands, the design stays
//! valid after every step, and undo restores it exactly.

use bastion_sim::edit::{next_free_prefix, Command, EditError, Editor, Item, Key, NsgTarget};
use bastion_sim::engine::FixAction;
use bastion_sim::model::*;
use bastion_sim::scenarios;
use proptest::prelude::*;

/// The bare hub and spoke fixture (`hub-spoke` names without the scenario's extras).
fn editor(name: &str) -> Editor {
    assert_eq!(name, "hub-spoke");
    let design = scenarios::builder::minimal_hub_spoke();
    Editor::new(DesignFile { design, layout: Layout::default() })
}

fn new_vnet(name: &str, prefix: &str) -> Vnet {
    Vnet {
        name: name.to_string(),
        subscription: "sub-landingzone-corp".to_string(),
        resource_group: "rg-new".to_string(),
        region: "westeurope".to_string(),
        address_prefixes: vec![prefix.parse().unwrap()],
        subnets: Vec::new(),
        private_dns_zones: Vec::new(),
        route_server_default_route: false,
    }
}

fn bastion(name: &str, vnet: &str, sku: BastionSku) -> BastionHost {
    BastionHost::with_defaults(name, vnet, sku, sku.is_dedicated().then(|| format!("pip-{name}")))
}

#[test]
fn a_dedicated_bastion_brings_its_subnet_and_public_ip() {
    let mut ed = editor("hub-spoke");
    ed.apply(&Command::AddVnet { vnet: new_vnet("vnet-spoke-app3", "10.3.0.0/16"), position: None }).unwrap();
    ed.apply(&Command::AddSubnet {
        vnet: "vnet-spoke-app3".into(),
        subnet: Subnet {
            name: "snet-app".into(),
            prefix: "10.3.0.0/24".parse().unwrap(),
            nsg: None,
            route_table: None,
        },
    })
    .unwrap();
    ed.apply(&Command::AddBastion { bastion: bastion("bas-app3", "vnet-spoke-app3", BastionSku::Basic) }).unwrap();
    let vnet = ed.file.design.vnet("vnet-spoke-app3").unwrap();
    let subnet = vnet.subnet(BASTION_SUBNET).expect("AzureBastionSubnet created");
    assert_eq!(subnet.prefix.to_string(), "10.3.1.0/26", "first free /26 after snet-app");
    let pip = ed.file.design.public_ips.iter().find(|p| p.name == "pip-bas-app3").expect("public IP created");
    assert_eq!((pip.sku, pip.allocation), (PublicIpSku::Standard, IpAllocation::Static));
    // One undo removes the Bastion, its subnet and its public IP together.
    assert!(ed.undo());
    assert!(ed.file.design.vnet("vnet-spoke-app3").unwrap().subnet(BASTION_SUBNET).is_none());
    assert!(ed.file.design.public_ips.iter().all(|p| p.name != "pip-bas-app3"));
    assert!(ed.redo());
    assert!(ed.file.design.bastion("bas-app3").is_some());
}

#[test]
fn deleting_one_peering_link_leaves_the_other_disconnected_and_undo_restores_it() {
    let mut ed = editor("hub-spoke");
    let before = ed.file.clone();
    ed.apply(&Command::Delete {
        keys: vec![Key::PeeringLink { from: "vnet-hub-weu".into(), to: "vnet-spoke-app1".into() }],
    })
    .unwrap();
    let d = &ed.file.design;
    assert!(d.peerings.iter().all(|p| !(p.from == "vnet-hub-weu" && p.to == "vnet-spoke-app1")));
    assert!(d.peerings.iter().any(|p| p.from == "vnet-spoke-app1" && p.to == "vnet-hub-weu"));
    assert_eq!(d.deleted_peerings, vec![DeletedPeering { from: "vnet-hub-weu".into(), to: "vnet-spoke-app1".into() }]);
    assert!(ed.undo());
    assert_eq!(ed.file, before);
}

#[test]
fn moving_a_vm_to_another_subnet_moves_its_address_into_the_new_prefix() {
    let mut ed = editor("hub-spoke");
    ed.apply(&Command::MoveVm {
        vm: "vm-app1-web01".into(),
        vnet: "vnet-spoke-app2".into(),
        subnet: "snet-app".into(),
    })
    .unwrap();
    let vm = ed.file.design.vm("vm-app1-web01").unwrap();
    assert_eq!(vm.nic.vnet, "vnet-spoke-app2");
    let prefix = ed.file.design.vnet("vnet-spoke-app2").unwrap().subnet("snet-app").unwrap().prefix;
    assert!(prefix.contains_ip(vm.nic.private_ip));
    assert_ne!(
        vm.nic.private_ip,
        ed.file.design.vm("vm-app2-sql01").unwrap().nic.private_ip,
        "the new address is free"
    );
}

#[test]
fn an_edit_that_would_make_the_design_invalid_is_refused_and_changes_nothing() {
    let mut ed = editor("hub-spoke");
    let before = ed.file.clone();
    let mut vnet = ed.file.design.vnet("vnet-spoke-app1").unwrap().clone();
    vnet.subnets[0].prefix = "10.9.0.0/24".parse().unwrap();
    let err = ed.apply(&Command::Update { item: Item::Vnet(vnet) }).unwrap_err();
    match err {
        EditError::Invalid(errors) => assert!(errors[0].to_string().contains("outside its VNet"), "{errors:?}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(ed.file, before);
    assert!(!ed.can_undo());
}

#[test]
fn an_editor_opened_on_an_invalid_design_refuses_edits_elsewhere_until_it_is_valid() {
    // Each step of a valid design checks only what it changed; a design that starts
    // invalid is checked whole, so an edit elsewhere cannot slip past its error.
    let mut design = scenarios::by_name("hub-spoke").map(|it| (it.build)()).unwrap();
    let ip = design.vms[0].nic.private_ip;
    let twin =
        design.vms.iter().position(|vm| vm.nic.subnet == design.vms[0].nic.subnet && vm.name != design.vms[0].name);
    let twin = twin.expect("hub-spoke has two VMs in one subnet");
    design.vms[twin].nic.private_ip = ip;
    assert!(!validate(&design).is_empty());
    let mut ed = Editor::new(DesignFile { design, layout: Layout::default() });
    let link = ed.file.design.peerings[0].clone();
    let delete_link = Command::Delete { keys: vec![Key::PeeringLink { from: link.from.clone(), to: link.to.clone() }] };
    match ed.apply(&delete_link) {
        Err(EditError::Invalid(errors)) => {
            assert!(errors.iter().any(|e| e.to_string().contains("is already used by VM")), "{errors:?}")
        }
        other => panic!("expected the VM's address error, got {other:?}"),
    }
    assert!(!ed.can_undo());
}

#[test]
fn deleting_a_vnet_explains_and_removes_what_goes_with_it() {
    let ed = editor("hub-spoke");
    let (notes, _) = bastion_sim::edit::delete_ops(&ed.file.design, &[Key::Vnet("vnet-hub-weu".into())]).unwrap();
    let text = notes.join("\n");
    assert!(text.contains("VNet 'vnet-hub-weu'"), "{text}");
    assert!(text.contains("Bastion 'bas-hub-weu'"), "{text}");
    assert!(text.contains("peering link"), "{text}");
    let mut ed = ed;
    let before = ed.file.clone();
    ed.apply(&Command::Delete { keys: vec![Key::Vnet("vnet-hub-weu".into())] }).unwrap();
    assert!(ed.file.design.bastions.is_empty());
    assert!(ed.file.design.peerings.iter().all(|p| p.from != "vnet-hub-weu" && p.to != "vnet-hub-weu"));
    assert!(validate(&ed.file.design).is_empty());
    ed.undo();
    assert_eq!(ed.file, before);
}

#[test]
fn a_fix_is_one_undoable_edit() {
    let mut ed = editor("hub-spoke");
    let before = ed.file.clone();
    ed.apply(&Command::ApplyFix(FixAction::SetBastionSku { bastion: "bas-hub-weu".into(), sku: BastionSku::Premium }))
        .unwrap();
    assert_eq!(ed.file.design.bastion("bas-hub-weu").unwrap().sku, BastionSku::Premium);
    ed.undo();
    assert_eq!(ed.file, before);
}

#[test]
fn next_free_prefix_skips_used_ranges_and_reports_a_full_vnet() {
    let mut vnet = new_vnet("v", "10.0.0.0/25");
    vnet.subnets.push(Subnet {
        name: "a".into(),
        prefix: "10.0.0.0/26".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    assert_eq!(next_free_prefix(&vnet, 26).unwrap().to_string(), "10.0.0.64/26");
    vnet.subnets.push(Subnet {
        name: "b".into(),
        prefix: "10.0.0.64/26".parse().unwrap(),
        nsg: None,
        route_table: None,
    });
    assert_eq!(next_free_prefix(&vnet, 26), None);
}

/// A random gesture, expressed against the hub-spoke scenario's names.
fn gesture() -> impl Strategy<Value = Command> {
    let vnets =
        prop::sample::select(vec!["vnet-hub-weu", "vnet-spoke-app1", "vnet-spoke-app2", "vnet-new", "vnet-renamed"]);
    prop_oneof![
        (vnets.clone(), vnets.clone()).prop_map(|(a, b)| Command::AddPeering { a: a.into(), b: b.into() }),
        (vnets.clone(), vnets.clone())
            .prop_map(|(a, b)| Command::Delete { keys: vec![Key::PeeringLink { from: a.into(), to: b.into() }] }),
        vnets.clone().prop_map(|v| Command::Delete { keys: vec![Key::Vnet(v.into())] }),
        Just(Command::AddVnet { vnet: new_vnet("vnet-new", "10.50.0.0/16"), position: Some(Point { x: 1.0, y: 2.0 }) }),
        vnets
            .clone()
            .prop_map(|v| Command::AddBastion { bastion: bastion(&format!("bas-{v}"), v, BastionSku::Standard) }),
        Just(Command::MoveVm { vm: "vm-app1-web01".into(), vnet: "vnet-spoke-app2".into(), subnet: "snet-app".into() }),
        Just(Command::AddNsg {
            nsg: Nsg {
                name: "nsg-x".into(),
                subscription: "sub-connectivity".into(),
                resource_group: "rg-x".into(),
                rules: vec![]
            }
        }),
        (vnets.clone()).prop_map(|v| Command::SetNsg {
            target: NsgTarget::Subnet { vnet: v.into(), subnet: "snet-app".into() },
            nsg: Some("nsg-x".into())
        }),
        Just(Command::Delete { keys: vec![Key::Nsg("nsg-x".into())] }),
        Just(Command::Delete { keys: vec![Key::Vm("vm-app2-sql01".into())] }),
        Just(Command::Move { positions: vec![("vnet:vnet-hub-weu".into(), Point { x: 10.0, y: 20.0 })] }),
        // Renames there and back, so later gestures meet both names.
        vnets.clone().prop_map(|v| Command::Rename { key: Key::Vnet(v.into()), new_name: "vnet-renamed".into() }),
        Just(Command::Rename { key: Key::Vnet("vnet-renamed".into()), new_name: "vnet-hub-weu".into() }),
        Just(Command::Rename { key: Key::Nsg("nsg-x".into()), new_name: "nsg-y".into() }),
        Just(Command::Rename { key: Key::Nsg("nsg-y".into()), new_name: "nsg-x".into() }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_gesture_sequence_keeps_the_design_valid_and_undoes_exactly(gestures in prop::collection::vec(gesture(), 1..12)) {
        let mut ed = editor("hub-spoke");
        let start = ed.file.clone();
        let mut snapshots = vec![ed.file.clone()];
        for command in &gestures {
            if ed.apply(command).is_ok() && ed.file != *snapshots.last().unwrap() {
                snapshots.push(ed.file.clone());
            }
            prop_assert!(validate(&ed.file.design).is_empty(), "invalid after {command:?}");
        }
        // Undo walks back through every state, exactly.
        while ed.can_undo() {
            ed.undo();
            snapshots.pop();
            prop_assert_eq!(&ed.file, snapshots.last().unwrap());
        }
        prop_assert_eq!(&ed.file, &start);
        // And redo walks forward again.
        while ed.redo() {}
        prop_assert!(validate(&ed.file.design).is_empty());
    }
}
