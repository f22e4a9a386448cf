//! Consolidation advice with its monthly saving, as data for the page's cost panel: the
//! same groups as the CONSOLIDATE-HUB findings (one Bastion in a hub could serve several
//! that reach only it and its directly peered VNets), priced from the design's table
//! (rules.md §7: each replaced Bastion's extra instances count).

use super::graph::Net;
use super::network_findings::hub_consolidations;
use super::{Analysis, Index};
use crate::model::{BastionSku, Design};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consolidation {
    /// The VNet whose one Bastion would serve them all (the CONSOLIDATE-HUB finding's resource).
    pub hub_vnet: String,
    /// The Bastions it replaces, in design order.
    pub bastions: Vec<String>,
    /// The SKU of the one Bastion kept (the highest of the group, Standard at least when
    /// it needs more than 2 instances).
    pub sku: BastionSku,
    /// Its instances: as many as the largest of the group runs, or as the group's expected
    /// sessions together need.
    pub instances: u32,
    /// The features it needs on: every one any Bastion of the group has on.
    pub features: Vec<String>,
    /// Those of `bastions` to delete (the ones outside `hub_vnet`).
    pub delete: Vec<String>,
    /// Monthly cost (730 h, extra instances included, data excluded) now and after, and
    /// their difference; approximate list prices of the design's price table, not a quote.
    pub monthly_now: f64,
    pub monthly_after: f64,
    pub monthly_saving: f64,
    pub currency: String,
}

fn cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Every consolidation the engine advises, largest first (as CONSOLIDATE-HUB).
pub fn consolidation_advice(design: &Design, analysis: &Analysis) -> Vec<Consolidation> {
    let index = Index::new(design);
    let net = Net::new(&index);
    let currency = design.prices().currency;
    hub_consolidations(&index, &net, analysis)
        .into_iter()
        .map(|c| {
            let hub_vnet = design.vnets[c.hub].name.clone();
            let bastions: Vec<String> = c.bastions.iter().map(|&b| design.bastions[b].name.clone()).collect();
            let delete = c
                .bastions
                .iter()
                .filter(|&&b| design.bastions[b].vnet != hub_vnet)
                .map(|&b| design.bastions[b].name.clone())
                .collect();
            Consolidation {
                hub_vnet,
                bastions,
                sku: c.sku,
                instances: c.instances,
                features: c.features.iter().map(|it| it.to_string()).collect(),
                delete,
                monthly_now: cents(c.monthly_now),
                monthly_after: cents(c.monthly_after),
                monthly_saving: cents(c.monthly_now - c.monthly_after),
                currency: currency.clone(),
            }
        })
        .collect()
}
