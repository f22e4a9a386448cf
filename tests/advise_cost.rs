//! Consolidation advice with its monthly saving: one Bastion in the hub instead of one per
//! spoke, priced from the design's table, and the same figure as the CONSOLIDATE-HUB finding.

use bastion_sim::engine::consolidation::consolidation_advice;
use bastion_sim::engine::cost::monthly_base;
use bastion_sim::engine::{analyze, RuleId};
use bastion_sim::model::*;
use bastion_sim::scenarios;

#[test]
fn per_spoke_bastions_consolidate_into_the_hub_with_the_saving_of_one_basic() {
    let design = (scenarios::by_name("per-spoke").unwrap().build)();
    let analysis = analyze(&design);
    let advice = consolidation_advice(&design, &analysis);
    assert_eq!(advice.len(), 1);
    let c = &advice[0];
    assert_eq!(c.hub_vnet, "vnet-hub-weu");
    assert_eq!(c.bastions, vec!["bas-app1-weu".to_string(), "bas-app2-weu".to_string()]);
    assert_eq!(c.delete, c.bastions, "neither is in the hub yet");
    assert_eq!(c.sku, BastionSku::Basic);
    let one_basic = monthly_base(&design.prices(), BastionSku::Basic, 2).0;
    assert!((c.monthly_now - 2.0 * one_basic).abs() < 0.01, "{c:?}");
    assert!((c.monthly_after - one_basic).abs() < 0.01, "{c:?}");
    assert!((c.monthly_saving - one_basic).abs() < 0.01, "{c:?}");
    // The finding quotes the same saving.
    let finding = analysis.findings.iter().find(|f| f.id == RuleId::ConsolidateHub).unwrap();
    assert_eq!(finding.resource, c.hub_vnet);
    assert!(
        finding.message.contains(&format!("{} {:.2} a month", c.currency, c.monthly_saving)),
        "{}",
        finding.message
    );
}

#[test]
fn a_single_hub_bastion_has_nothing_to_consolidate() {
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    assert!(consolidation_advice(&design, &analyze(&design)).is_empty());
}
