//! A design file that is wrong is refused with the JSON path of the fault and serde's
//! sentence, however deep the fault sits; a right one loads.

use bastion_sim::model::{load_design, save_design, Layout};
use bastion_sim::scenarios;
use serde_json::{json, Value};

fn hub_spoke_value() -> Value {
    let design = (scenarios::by_name("hub-spoke").expect("scenario").build)();
    serde_json::from_str(&save_design(&design, &Layout::default())).expect("saved design is JSON")
}

/// The position in a JSON list of the object whose `key` is `value`.
fn index_of(list: &Value, key: &str, value: &str) -> usize {
    let items = list.as_array().expect("a list");
    items.iter().position(|it| it[key] == value).unwrap_or_else(|| panic!("no {key} {value}"))
}

fn problem(value: &Value) -> (String, String) {
    let err = load_design(&value.to_string()).expect_err("the broken file must be refused");
    let first = &err.problems[0];
    (first.path.clone(), first.message.clone())
}

#[test]
fn an_unknown_field_deep_in_a_subnet_is_named_with_its_path() {
    let mut value = hub_spoke_value();
    value["vnets"][1]["subnets"][0]["adress_prefix"] = json!("10.0.0.0/24");
    let (path, message) = problem(&value);
    assert_eq!(path, "vnets[1].subnets[0].adress_prefix");
    assert!(message.contains("unknown field `adress_prefix`"), "{message}");
}

/// ARM compares protocol names without case and knows ESP and AH: `TCP` loads as `Tcp`, and
/// an ESP or AH rule loads and never carries a Bastion session (TCP).
#[test]
fn nsg_protocols_load_in_any_case_and_esp_and_ah_carry_no_session() {
    use bastion_sim::engine::{analyze, RuleId};
    use bastion_sim::model::Protocol;
    let base = hub_spoke_value();
    let bastion_nsg = base["nsgs"].as_array().unwrap().iter().position(|n| {
        n["rules"].as_array().is_some_and(|rules| rules.iter().any(|r| r["name"] == "AllowHttpsInbound"))
    });
    let n = bastion_nsg.expect("hub-spoke's AzureBastionSubnet NSG");
    let https = index_of(&base["nsgs"][n]["rules"], "name", "AllowHttpsInbound");
    let health_4 = |value: &Value| {
        let file = load_design(&value.to_string()).expect("loads");
        let analysis = analyze(&file.design);
        analysis.health[0].checks.iter().find(|c| c.rule == RuleId::BHealth4).map(|c| c.outcome)
    };
    let healthy = health_4(&base);
    for (spelled, protocol) in [("TCP", Protocol::Tcp), ("tcp", Protocol::Tcp), ("Any", Protocol::Any)] {
        let mut value = base.clone();
        value["nsgs"][n]["rules"][https]["protocol"] = json!(spelled);
        let file = load_design(&value.to_string()).unwrap_or_else(|e| panic!("{spelled}: {e:?}"));
        assert_eq!(file.design.nsgs[n].rules[https].protocol, protocol, "{spelled}");
        assert_eq!(health_4(&value), healthy, "{spelled} admits what Tcp admits");
    }
    // An ESP (or AH) rule in place of the Internet 443 allow no longer admits user sessions.
    for spelled in ["Esp", "AH"] {
        let mut value = base.clone();
        value["nsgs"][n]["rules"][https]["protocol"] = json!(spelled);
        let outcome = health_4(&value);
        assert_ne!(outcome, healthy, "{spelled}: {outcome:?}");
    }
    let mut value = base.clone();
    value["nsgs"][n]["rules"][https]["protocol"] = json!("Tcpp");
    let (path, message) = problem(&value);
    assert_eq!(path, format!("nsgs[{n}].rules[{https}].protocol"));
    assert!(message.contains("Tcpp"), "{message}");
}

/// ARM compares subscription ids without case: a VNet that spells its declared subscription
/// in another case loads, and is that subscription (its tenant decides R-PEER, as when spelled
/// alike); two declared ids that differ only in case are one id twice.
#[test]
fn subscription_ids_compare_without_case() {
    use bastion_sim::engine::{analyze, RuleId, Target};
    let mut base = hub_spoke_value();
    // app1's landing zone in another tenant: every app1 VM is blocked as cross-tenant.
    let app1 = index_of(&base["subscriptions"], "id", "sub-landingzone-app1");
    base["subscriptions"][app1]["tenant"] = json!("fabrikam.onmicrosoft.com");
    let spoke = index_of(&base["vnets"], "name", "vnet-spoke-app1-weu");
    let blockers = |value: &Value| {
        let file = load_design(&value.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
        let analysis = analyze(&file.design);
        let vm = file.design.vms.iter().position(|v| v.name == "vm-app1-web01").unwrap();
        analysis.blocker(0, Target::Vm(vm))
    };
    assert_eq!(blockers(&base), Some(RuleId::RPeer));
    let mut shouted = base.clone();
    shouted["vnets"][spoke]["subscription"] = json!("SUB-LandingZone-App1");
    assert_eq!(blockers(&shouted), Some(RuleId::RPeer), "the same subscription, so the same tenant");

    let mut twice = base.clone();
    twice["subscriptions"].as_array_mut().unwrap().push(json!({ "id": "Sub-Connectivity" }));
    let err = load_design(&twice.to_string()).expect_err("one id declared twice");
    let last = twice["subscriptions"].as_array().unwrap().len() - 1;
    assert!(
        err.problems
            .iter()
            .any(|p| p.path == format!("subscriptions[{last}].id") && p.message.contains("duplicate id")),
        "{err:?}"
    );
}

#[test]
fn a_wrong_sku_names_the_bastion_field() {
    let mut value = hub_spoke_value();
    value["bastions"][0]["sku"] = json!("Premiumm");
    let (path, message) = problem(&value);
    assert_eq!(path, "bastions[0].sku");
    assert!(message.contains("Premiumm"), "{message}");
}

#[test]
fn a_missing_field_names_the_object_that_lacks_it() {
    let mut value = hub_spoke_value();
    let last = value["vms"].as_array().expect("vms").len() - 1;
    value["vms"][last].as_object_mut().expect("vm object").remove("name");
    let (path, message) = problem(&value);
    assert_eq!(path, format!("vms[{last}]"));
    assert!(message.contains("missing field `name`"), "{message}");
}

#[test]
fn a_wrong_type_names_the_value() {
    let mut value = hub_spoke_value();
    value["bastions"][0]["scale_units"] = json!("two");
    let (path, message) = problem(&value);
    assert_eq!(path, "bastions[0].scale_units");
    assert!(message.contains("invalid type"), "{message}");
}

#[test]
fn two_faults_with_the_same_sentence_still_name_a_path() {
    // The same wrong type in two places (a VM's OS and a role): removing either one leaves
    // the other's identical sentence, so the path must come from the first one in the file.
    let mut value = hub_spoke_value();
    value["vms"][1]["os"] = json!(1.5);
    value["role_assignments"][0]["role"] = json!(1.5);
    let (path, message) = problem(&value);
    assert_eq!(path, "vms[1].os");
    assert!(message.contains("invalid type: floating point `1.5`"), "{message}");
    // Three times, twice in one list: still the first in the file.
    let mut value = hub_spoke_value();
    value["vms"][2]["os"] = json!(0);
    value["vms"][0]["os"] = json!(0);
    value["role_assignments"][1]["role"] = json!(0);
    assert_eq!(problem(&value).0, "vms[0].os");
}

#[test]
fn a_layout_fault_is_named_under_layout() {
    let mut value = hub_spoke_value();
    value["layout"] = json!({ "vnet:vnet-hub-weu": { "x": "left", "y": 0 } });
    let (path, _) = problem(&value);
    assert!(path.starts_with("layout"), "{path}");
}

#[test]
fn truncated_and_foreign_files_say_what_they_are() {
    let text = hub_spoke_value().to_string();
    let err = load_design(&text[..text.len() / 2]).expect_err("truncated");
    assert!(err.to_string().contains("ends too early"), "{err}");
    let err = load_design(r#"{"$schema": "https://schema.management.azure.com/", "resources": []}"#).expect_err("ARM");
    assert!(err.to_string().contains("format"), "{err}");
    assert!(load_design(&text).is_ok());
}
