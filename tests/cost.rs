//! Cost (rules.md §7): 730 hours × the SKU's price (2 instances included), extra instances,
//! outbound data beyond the free 5 GB shared by all Bastions; Developer is free.

use bastion_sim::engine::analyze;
use bastion_sim::model::{BastionSku, Design, PriceTable};

fn hub_spoke() -> Design {
    bastion_sim::scenarios::builder::minimal_hub_spoke()
}

fn total_for(sku: BastionSku) -> f64 {
    let mut design = hub_spoke();
    design.bastions[0].sku = sku;
    analyze(&design).cost.total
}

#[test]
fn each_sku_costs_730_hours_of_its_hourly_price() {
    assert_eq!(total_for(BastionSku::Basic), 138.70);
    assert_eq!(total_for(BastionSku::Standard), 211.70);
    assert_eq!(total_for(BastionSku::Premium), 328.50);
    assert_eq!(total_for(BastionSku::Developer), 0.0);
}

#[test]
fn extra_instances_are_billed_beyond_the_two_included() {
    let mut design = hub_spoke();
    design.bastions[0].scale_units = 5;
    let cost = analyze(&design).cost;
    assert_eq!(cost.bastions[0].instances, 5);
    assert_eq!(cost.bastions[0].extra_instances, 306.60);
    assert_eq!(cost.total, 518.30);
    // Basic is fixed at two: scale units do not bill.
    design.bastions[0].sku = BastionSku::Basic;
    assert_eq!(analyze(&design).cost.total, 138.70);
}

#[test]
fn the_free_outbound_allowance_is_shared_by_all_bastions() {
    let mut design = hub_spoke();
    design.bastions[0].outbound_data_gb = 4.0;
    let mut second = design.bastions[0].clone();
    second.name = "bas-spoke".into();
    second.vnet = "vnet-spoke-app1".into();
    second.outbound_data_gb = 10.0;
    design.bastions.push(second);
    let cost = analyze(&design).cost;
    assert_eq!(cost.bastions[0].data, 0.0);
    // 1 GB of the 5 free is left for the second: 9 GB × 0.087.
    assert_eq!(cost.bastions[1].data, 0.78);
    assert_eq!(cost.total, 424.18);
}

#[test]
fn developer_data_is_free_and_prices_come_from_the_dated_editable_table() {
    let mut design = hub_spoke();
    design.bastions[0].sku = BastionSku::Developer;
    design.bastions[0].outbound_data_gb = 100.0;
    assert_eq!(analyze(&design).cost.total, 0.0);

    let mut design = hub_spoke();
    design.prices = Some(PriceTable { standard_per_hour: 1.0, date: "2026-01-01".into(), ..PriceTable::default() });
    let cost = analyze(&design).cost;
    assert_eq!(cost.total, 730.0);
    assert_eq!(cost.prices.date, "2026-01-01");
    assert!(cost.approximate);
    assert_eq!(cost.hours_per_month, 730.0);
}
