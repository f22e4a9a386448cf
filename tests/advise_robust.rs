//! The advice functions never panic, on every built-in scenario and on an unvalidated
//! design with dangling references, and a Connect outcome opens exactly when no step fails.

use bastion_sim::engine::connect::{simulate, ConnectClient, ConnectProtocol, ConnectRequest};
use bastion_sim::engine::nsg_helper::{bastion_subnet_nsg, target_vm_nsgs};
use bastion_sim::engine::options::remote_access;
use bastion_sim::engine::{analyze, Outcome};
use bastion_sim::model::*;
use bastion_sim::scenarios;

fn exercise(design: &Design) -> usize {
    let analysis = analyze(design);
    let mut outcomes = 0;
    for vm in &design.vms {
        assert_eq!(remote_access(design, &analysis, &vm.name).len(), 4);
        let _ = target_vm_nsgs(design, &analysis, &vm.name);
        for user in &design.users {
            for client in [ConnectClient::Browser, ConnectClient::NativeClient, ConnectClient::IpBased] {
                for protocol in [ConnectProtocol::Rdp, ConnectProtocol::Ssh] {
                    let request = ConnectRequest { protocol, client, bastion: None, subscription_filter: None };
                    let out = simulate(design, &analysis, &user.name, &vm.name, &request);
                    assert_eq!(out.opens, out.steps.iter().all(|s| s.outcome != Outcome::Fail), "{out:#?}");
                    assert!(out.opens || out.steps.iter().any(|s| s.outcome == Outcome::Fail && !s.found.is_empty()));
                    outcomes += 1;
                }
            }
        }
    }
    for nsg in &design.nsgs {
        assert!(bastion_subnet_nsg(design, &nsg.name).is_some());
    }
    outcomes
}

#[test]
fn every_scenario_user_vm_client_and_protocol() {
    let mut total = 0;
    let mut opened = 0;
    for scenario in scenarios::all() {
        let design = (scenario.build)();
        total += exercise(&design);
        let analysis = analyze(&design);
        for vm in &design.vms {
            for user in &design.users {
                let request = ConnectRequest::default_for(&design, &vm.name);
                opened += usize::from(simulate(&design, &analysis, &user.name, &vm.name, &request).opens);
            }
        }
    }
    assert!(total > 100, "{total}");
    // Healthy scenarios open sessions for their operators: not everything fails.
    assert!(opened > 0);
}

#[test]
fn an_unvalidated_design_with_dangling_references_does_not_panic() {
    let mut design = (scenarios::by_name("hub-spoke").unwrap().build)();
    design.bastions[0].vnet = "vnet-gone".to_string();
    design.vms[0].nic.subnet = "snet-gone".to_string();
    design.vms[1].nic.nsg = Some("nsg-gone".to_string());
    design.role_assignments[0].scope = "not a scope".to_string();
    exercise(&design);
}
