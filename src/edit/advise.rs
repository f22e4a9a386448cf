//! Advice as edits: the command that applies a Bastion's SKU advice (an upgrade, never a
//! downgrade) or the capacity calculator's answer, as one undoable `Command`. The engine
//! says what the design needs; this module says how the editor gets there.

use super::Command;
use crate::engine::sku::{instances_needed, MAX_INSTANCES, MIN_INSTANCES};
use crate::engine::{FixAction, SkuAdvice};
use crate::model::{BastionSku, Design};

/// The fix that applies `advice`: an in-place upgrade to `advice.least` when it is above
/// the current SKU, and the scale units `advice.instances_needed` when the (upgraded) SKU
/// scales and has fewer. `Ok(None)` when nothing is to change — including an
/// over-provisioned Bastion: a downgrade is "delete and redeploy", never an edit.
/// `Err` says why the advice cannot be an edit (private-only needs a new Premium Bastion,
/// more than 50 instances need another Bastion, an unknown Bastion).
pub fn sku_fix(design: &Design, advice: &SkuAdvice) -> Result<Option<FixAction>, String> {
    let bastion = design.bastion(&advice.bastion).ok_or_else(|| format!("there is no Bastion '{}'", advice.bastion))?;
    let mut actions = Vec::new();
    let mut sku = bastion.sku;
    if advice.least > bastion.sku {
        if bastion.features.private_only && bastion.sku != BastionSku::Premium {
            return Err(advice.upgrade_path.clone());
        }
        sku = advice.least;
        actions.push(FixAction::SetBastionSku { bastion: bastion.name.clone(), sku });
    }
    let scales = matches!(sku, BastionSku::Standard | BastionSku::Premium);
    if advice.instances_needed > MAX_INSTANCES {
        return Err(format!(
            "{} needs {} instances, more than the {MAX_INSTANCES} one Bastion scales to: the design needs another Bastion.",
            bastion.name, advice.instances_needed
        ));
    }
    if scales && advice.instances_needed > bastion.scale_units {
        actions.push(FixAction::SetScaleUnits { bastion: bastion.name.clone(), scale_units: advice.instances_needed });
    }
    Ok(match actions.len() {
        0 => None,
        1 => actions.pop(),
        _ => Some(FixAction::Batch { actions }),
    })
}

/// `sku_fix` as the editor's command (`Editor::apply` makes it one undo step).
pub fn sku_command(design: &Design, advice: &SkuAdvice) -> Result<Option<Command>, String> {
    Ok(sku_fix(design, advice)?.map(Command::ApplyFix))
}

/// The capacity calculator's answer for `rdp` RDP and `ssh` SSH concurrent sessions on a
/// Bastion, as an edit: the instances `sku::instances_needed` gives, upgrading a Basic
/// (fixed at 2) or Developer to Standard when more are needed. `Ok(None)` when the Bastion
/// already carries them; `Err` with the calculator's sentence when one Bastion cannot.
pub fn capacity_fix(design: &Design, bastion: &str, rdp: u32, ssh: u32) -> Result<Option<FixAction>, String> {
    let host = design.bastion(bastion).ok_or_else(|| format!("there is no Bastion '{bastion}'"))?;
    let standard = instances_needed(BastionSku::Standard, rdp, ssh);
    if !standard.fits {
        return Err(standard.message);
    }
    let here = instances_needed(host.sku, rdp, ssh);
    let mut actions = Vec::new();
    let mut sku = host.sku;
    if !here.fits {
        // Developer or Basic cannot carry them: Standard is the least SKU that scales.
        if host.features.private_only {
            return Err(here.message);
        }
        sku = BastionSku::Standard;
        actions.push(FixAction::SetBastionSku { bastion: host.name.clone(), sku });
    }
    let scales = matches!(sku, BastionSku::Standard | BastionSku::Premium);
    if scales && standard.instances > host.scale_units.max(MIN_INSTANCES) {
        actions.push(FixAction::SetScaleUnits { bastion: host.name.clone(), scale_units: standard.instances });
    }
    Ok(match actions.len() {
        0 => None,
        1 => actions.pop(),
        _ => Some(FixAction::Batch { actions }),
    })
}
