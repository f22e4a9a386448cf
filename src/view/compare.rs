//! Compare mode on the canvas: where to mark what changed between the baseline and the
//! design — targets that gained or lost a Bastion, and the VNets, peering links and cards
//! that were added, removed or changed. Pure: reads an `AnalysisDiff` and the scene.

use super::{EdgeKind, NodeKind, Rect, Scene};
use crate::engine::diff::AnalysisDiff;
use crate::model::Design;

/// How a mark reads: green for reach gained, red for reach lost, amber for a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A Bastion reaches this target now and did not before.
    Gained,
    /// A Bastion reached this target before and does not now.
    Lost,
    /// The resource was added.
    Added,
    /// The resource was removed (drawn where it was).
    Removed,
    /// The resource's properties changed.
    Changed,
}

impl Change {
    pub fn class(self) -> &'static str {
        match self {
            Change::Gained => "gained",
            Change::Lost => "lost",
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum MarkShape {
    Box(Rect),
    Line((f64, f64), (f64, f64)),
}

/// One mark on the canvas; `kind` and `id` make its test id `diff-<kind>-<id>`.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffMark {
    pub kind: &'static str,
    pub id: String,
    pub change: Change,
    pub shape: MarkShape,
    /// What the mark means, for its tooltip.
    pub title: String,
}

impl DiffMark {
    pub fn test_id(&self) -> String {
        format!("diff-{}-{}", self.kind, self.id)
    }
}

fn centre(rect: Rect) -> (f64, f64) {
    (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0)
}

/// The marks for `diff` on the current `scene`. A removed peering link has no edge any
/// more: it is drawn between its two VNets as they stand now (`baseline` names them).
/// One mark per (kind, id): lost reach outranks gained reach, which outranks a change.
/// A target that lost some Bastions and gained others is marked changed (amber).
pub fn diff_marks(scene: &Scene, baseline: &Design, diff: &AnalysisDiff) -> Vec<DiffMark> {
    let mut marks: Vec<DiffMark> = Vec::new();
    let mut push = |mark: DiffMark| {
        if let Some(old) = marks.iter_mut().find(|it| it.kind == mark.kind && it.id == mark.id) {
            if mark.change < old.change {
                *old = mark;
            }
        } else {
            marks.push(mark);
        }
    };
    let target_box = |name: &str| -> Option<(&'static str, Rect)> {
        scene
            .node(name, NodeKind::Vm)
            .map(|it| ("vm", it.rect))
            .or_else(|| scene.node(name, NodeKind::Machine).map(|it| ("machine", it.rect)))
    };
    // Per target, from the Bastions that reach it before and after: lost all it lost
    // (red), gained what it gained (green), or reached by other Bastions now (amber).
    for reach in &diff.target_reach {
        let Some((kind, rect)) = target_box(&reach.target) else { continue };
        let lost: Vec<&String> = reach.before.iter().filter(|it| !reach.after.contains(it)).collect();
        let gained: Vec<&String> = reach.after.iter().filter(|it| !reach.before.contains(it)).collect();
        let join = |names: &[&String]| names.iter().map(|it| it.as_str()).collect::<Vec<_>>().join(", ");
        let (change, title) = match (lost.is_empty(), gained.is_empty()) {
            (false, true) => (Change::Lost, format!("{} no longer reached by {}", reach.target, join(&lost))),
            (true, false) => (Change::Gained, format!("{} now reached by {}", reach.target, join(&gained))),
            (false, false) => {
                (Change::Changed, format!("{} reached by {} instead of {}", reach.target, join(&gained), join(&lost)))
            }
            (true, true) => continue,
        };
        push(DiffMark { kind, id: reach.target.clone(), change, shape: MarkShape::Box(rect), title });
    }
    // Pairs whose verdict changed on a target the per-target list does not name.
    for (list, change) in [(&diff.became_blocked, Change::Lost), (&diff.became_reachable, Change::Gained)] {
        for pair in list {
            if diff.target_reach.iter().any(|it| it.target == pair.target) {
                continue;
            }
            if let Some((kind, rect)) = target_box(&pair.target) {
                let verb = if change == Change::Lost { "no longer reaches" } else { "now reaches" };
                push(DiffMark {
                    kind,
                    id: pair.target.clone(),
                    change,
                    shape: MarkShape::Box(rect),
                    title: format!("{} {verb} {}", pair.bastion, pair.target),
                });
            }
        }
    }
    let resource_lists = [
        (&diff.resources_removed, Change::Removed),
        (&diff.resources_added, Change::Added),
        (&diff.resources_changed, Change::Changed),
    ];
    for (list, change) in resource_lists {
        for key in list {
            let name = key.name.as_str();
            let title = format!("{} {name} {}", key.kind.replace('_', " "), change.class());
            let shape = match key.kind {
                "vnet" => scene.vnet(name).map(|it| MarkShape::Box(it.rect)),
                "vm" => scene.node(name, NodeKind::Vm).map(|it| MarkShape::Box(it.rect)),
                "bastion" => scene.node(name, NodeKind::Bastion).map(|it| MarkShape::Box(it.rect)),
                "gateway" => scene.node(name, NodeKind::Gateway).map(|it| MarkShape::Box(it.rect)),
                "virtual_hub" => scene.node(name, NodeKind::VirtualHub).map(|it| MarkShape::Box(it.rect)),
                "site" => scene.node(name, NodeKind::Site).map(|it| MarkShape::Box(it.rect)),
                "peering" => peering_line(scene, baseline, name),
                _ => None,
            };
            let kind: &'static str = match key.kind {
                "virtual_hub" => "hub",
                other => other,
            };
            if let Some(shape) = shape {
                push(DiffMark { kind, id: name.to_string(), change, shape, title });
            }
        }
    }
    crate::util::sort_by(&mut marks, |a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    marks
}

/// Where a peering link is (its edge), or was (between its VNets' centres now).
fn peering_line(scene: &Scene, baseline: &Design, name: &str) -> Option<MarkShape> {
    if let Some(edge) = scene.edges.iter().find(|it| it.name == name && matches!(it.kind, EdgeKind::PeeringLink(_))) {
        return Some(MarkShape::Line(edge.from, edge.to));
    }
    let link = baseline.peerings.iter().find(|it| it.name == name)?;
    let from = centre(scene.vnet(&link.from)?.rect);
    let to = centre(scene.vnet(&link.to)?.rect);
    Some(MarkShape::Line(from, to))
}
