//! Graded exercises for the classroom: a built-in starting design (most are "find the break"),
//! the goals a student meets by editing it, and a score with partial credit.
//!
//! Grading is pure: each goal is judged from the design and its analysis alone (the Connect
//! simulation for "can connect", the verdicts, findings and cost), so the page, the CLI
//! (`bastion-sim score`) and the tests give the same score for the same design.

use super::{broken, landing_zone};
use crate::engine::{self, connect, Analysis, RuleId, Severity, Target};
use crate::model::{Design, BASTION_SUBNET};
use serde::Serialize;
use std::borrow::Cow;

/// One thing the finished design must do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    /// `user` opens a session to `vm` from the VM's Connect page: the VM's own protocol in
    /// the browser, through Azure's default Bastion (network path and RBAC both).
    Connect { user: &'static str, vm: &'static str },
    /// Some Bastion reaches `target` (a VM or an on-premises machine) on the network, RBAC
    /// aside.
    Reach { target: &'static str },
    /// No finding `rule` on `resource`.
    NoFinding { rule: RuleId, resource: &'static str },
    /// No finding of error severity.
    NoErrors,
    /// The design has at most this many Bastion hosts.
    AtMostBastions(usize),
    /// The monthly cost (the design's price table) is at most this many dollars.
    CostAtMost(f64),
    /// The AzureBastionSubnet of `vnet` keeps an NSG: fix its rules, do not remove it.
    BastionSubnetKeepsNsg { vnet: &'static str },
}

/// A built-in exercise.
#[derive(Clone, Copy)]
pub struct Exercise {
    /// Stable name: the page's picker and address (`?exercise=NAME`), the CLI.
    pub name: &'static str,
    pub title: &'static str,
    /// The task as the student reads it.
    pub brief: &'static str,
    /// The starting design (its `name` is set to the exercise's).
    build: fn() -> Design,
    /// Each goal with its points.
    pub goals: &'static [(u32, Goal)],
}

impl Exercise {
    /// The design the student starts from.
    pub fn start(&self) -> Design {
        let mut design = (self.build)();
        design.name = self.name.to_string();
        design.description = self.brief.to_string();
        design
    }
}

/// Every exercise, in the order the picker shows them.
pub fn all() -> &'static [Exercise] {
    &EXERCISES
}

pub fn by_name(name: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|it| it.name == name)
}

static EXERCISES: [Exercise; 8] = [
    Exercise {
        name: "exercise-bastion-nsg",
        title: "Exercise: the Bastion reaches nothing",
        brief: "Since last night's change nobody can connect through bas-hub-weu. Find the break and repair it \
                without removing the NSG from AzureBastionSubnet.",
        build: broken::bastion_nsg,
        goals: &[
            (2, Goal::Connect { user: "alice@contoso.com", vm: "vm-app1-web01" }),
            (2, Goal::Connect { user: "bob@contoso.com", vm: "vm-app2-sql01" }),
            (1, Goal::BastionSubnetKeepsNsg { vnet: "vnet-hub-weu" }),
            (1, Goal::NoErrors),
        ],
    },
    Exercise {
        name: "exercise-spoke-to-spoke",
        title: "Exercise: a Bastion in the wrong spoke",
        brief: "The only Bastion sits in spoke app1, and the app2 database server cannot be reached from it. Make \
                vm-app2-sql01 reachable while vm-app1-web01 stays reachable, with no second Bastion.",
        build: broken::spoke_to_spoke,
        goals: &[
            (2, Goal::Reach { target: "vm-app2-sql01" }),
            (1, Goal::Reach { target: "vm-app1-web01" }),
            (1, Goal::AtMostBastions(1)),
            (1, Goal::NoErrors),
        ],
    },
    Exercise {
        name: "exercise-missing-reader",
        title: "Exercise: bob cannot connect",
        brief: "The network path to the app2 servers is fine, yet bob cannot connect to them through Bastion. \
                Grant what he is missing, and no more: alice must keep her access.",
        build: broken::missing_reader,
        goals: &[
            (2, Goal::Connect { user: "bob@contoso.com", vm: "vm-app2-sql01" }),
            (1, Goal::Connect { user: "bob@contoso.com", vm: "vm-app2-app01" }),
            (1, Goal::Connect { user: "alice@contoso.com", vm: "vm-app1-web01" }),
            (1, Goal::NoFinding { rule: RuleId::CafR7, resource: "bob@contoso.com" }),
        ],
    },
    Exercise {
        name: "exercise-public-ip",
        title: "Exercise: close the open jump box",
        brief: "vm-app2-jump01 takes RDP from the internet on its own public IP. Close that door so remote access \
                goes through Bastion only, and keep bob able to connect to it.",
        build: broken::public_ip,
        goals: &[
            (2, Goal::NoFinding { rule: RuleId::CafR10, resource: "vm-app2-jump01" }),
            (2, Goal::Connect { user: "bob@contoso.com", vm: "vm-app2-jump01" }),
            (1, Goal::NoErrors),
        ],
    },
    Exercise {
        name: "exercise-developer-peering",
        title: "Exercise: a free Bastion across a peering",
        brief: "Erin's sandbox uses the free Developer Bastion, which cannot reach the database VM in the peered \
                VNet. Let Erin connect to both VMs for at most $150 a month.",
        build: broken::developer_peering,
        goals: &[
            (2, Goal::Connect { user: "erin@contoso.com", vm: "vm-devdata-db01" }),
            (1, Goal::Connect { user: "erin@contoso.com", vm: "vm-dev-test01" }),
            (1, Goal::NoErrors),
            (1, Goal::CostAtMost(150.0)),
        ],
    },
    Exercise {
        name: "exercise-forced-tunnel",
        title: "Exercise: the VPN took the Bastion down",
        brief: "Since the network team began forcing internet traffic through the site-to-site VPN, bas-hub-weu \
                reaches nothing. Bring it back without losing the on-premises servers it reaches over the VPN.",
        build: broken::forced_tunnel,
        goals: &[
            (2, Goal::Connect { user: "alice@contoso.com", vm: "vm-app1-web01" }),
            (2, Goal::Reach { target: "srv-hq-file01" }),
            (1, Goal::NoErrors),
        ],
    },
    Exercise {
        name: "exercise-vwan-central",
        title: "Exercise: a central Bastion behind Virtual WAN",
        brief: "The central Bastion in vnet-bastion-weu reaches none of the landing-zone VMs connected to the same \
                Virtual WAN hub. Make it reach both spokes without adding a Bastion.",
        build: vwan_without_ip_connect,
        goals: &[
            (2, Goal::Reach { target: "vm-app1-web01" }),
            (2, Goal::Reach { target: "vm-app2-sql01" }),
            (1, Goal::AtMostBastions(1)),
        ],
    },
    Exercise {
        name: "exercise-consolidate",
        title: "Exercise: one Bastion for every spoke",
        brief: "Each spoke pays for its own Basic Bastion. Serve both spokes from one Bastion in the hub so that \
                the operators keep their access and the monthly bill drops below $250.",
        build: landing_zone::per_spoke,
        goals: &[
            (2, Goal::Connect { user: "alice@contoso.com", vm: "vm-app1-web01" }),
            (2, Goal::Connect { user: "bob@contoso.com", vm: "vm-app2-sql01" }),
            (1, Goal::AtMostBastions(1)),
            (1, Goal::CostAtMost(250.0)),
        ],
    },
];

/// The Virtual WAN design with its central Bastion's IP-based connection off: every spoke
/// VM is blocked by R-VWAN.
fn vwan_without_ip_connect() -> Design {
    let mut design = landing_zone::vwan_central();
    for bastion in &mut design.bastions {
        bastion.features.ip_connect = false;
    }
    design
}

/// How one goal stands.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalResult {
    /// The goal as a sentence.
    pub goal: String,
    pub points: u32,
    pub met: bool,
    /// What the design does now, naming the blocker when the goal is not met.
    pub found: String,
}

/// An exercise's score on a design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub exercise: String,
    pub goals: Vec<GoalResult>,
    pub earned: u32,
    pub total: u32,
}

impl Score {
    /// Whole percent, rounded down (100 only when every goal is met).
    pub fn percent(&self) -> u32 {
        (self.earned * 100).checked_div(self.total).unwrap_or(100)
    }

    /// "Score 3 / 6 (50 %)", as the page and the CLI print it.
    pub fn summary(&self) -> String {
        format!("Score {} / {} ({} %)", self.earned, self.total, self.percent())
    }
}

/// Grades `design` against `exercise`. `analysis` is the design's (a first-stage analysis is
/// completed here: goals read findings and cost).
pub fn score(exercise: &Exercise, design: &Design, analysis: &Analysis) -> Score {
    let analysis: Cow<Analysis> =
        if analysis.is_complete() { Cow::Borrowed(analysis) } else { Cow::Owned(engine::complete(design, analysis)) };
    let goals: Vec<GoalResult> = exercise
        .goals
        .iter()
        .map(|&(points, goal)| {
            let (met, found) = judge(goal, design, &analysis);
            GoalResult { goal: describe(goal), points, met, found }
        })
        .collect();
    let earned = goals.iter().filter(|it| it.met).map(|it| it.points).sum();
    let total = goals.iter().map(|it| it.points).sum();
    Score { exercise: exercise.name.to_string(), goals, earned, total }
}

/// The goal as the student reads it.
pub fn describe(goal: Goal) -> String {
    match goal {
        Goal::Connect { user, vm } => format!("{user} can connect to {vm} through Bastion"),
        Goal::Reach { target } => format!("A Bastion reaches {target}"),
        Goal::NoFinding { rule, resource } => format!("No {} finding on {resource}", rule.as_str()),
        Goal::NoErrors => "No error findings".to_string(),
        Goal::AtMostBastions(1) => "One Bastion host at most".to_string(),
        Goal::AtMostBastions(n) => format!("{n} Bastion hosts at most"),
        Goal::CostAtMost(dollars) => format!("Monthly cost at most ${dollars:.2}"),
        Goal::BastionSubnetKeepsNsg { vnet } => format!("AzureBastionSubnet of {vnet} keeps an NSG"),
    }
}

/// Whether `goal` holds, and what the design does now.
fn judge(goal: Goal, design: &Design, analysis: &Analysis) -> (bool, String) {
    match goal {
        Goal::Connect { user, vm } => {
            if design.vm(vm).is_none() {
                return (false, format!("{vm} is no longer in the design"));
            }
            let request = connect::ConnectRequest::default_for(design, vm);
            let outcome = connect::simulate(design, analysis, user, vm, &request);
            let verdict = match outcome.failures().next() {
                None => (outcome.opens, format!("opens through {}", outcome.bastion.as_deref().unwrap_or("a Bastion"))),
                // The blocker's rule and what it found (which names its resource, or is told it).
                Some(step) if step.found.contains(step.resource.as_str()) => {
                    (false, format!("{}: {}", step.rule.as_str(), step.found))
                }
                Some(step) => (false, format!("{} on {}: {}", step.rule.as_str(), step.resource, step.found)),
            };
            verdict
        }
        Goal::Reach { target } => {
            let found = design
                .vms
                .iter()
                .position(|it| it.name == target)
                .map(Target::Vm)
                .or_else(|| design.onprem_machines.iter().position(|it| it.name == target).map(Target::Machine));
            let Some(target_idx) = found else {
                return (false, format!("{target} is no longer in the design"));
            };
            let verdicts: Vec<(usize, Option<RuleId>)> =
                (0..design.bastions.len()).map(|b| (b, analysis.blocker(b, target_idx))).collect();
            if let Some(&(b, _)) = verdicts.iter().find(|it| it.1.is_none()) {
                return (true, format!("reached from {}", design.bastions[b].name));
            }
            let blocked: Vec<String> = verdicts
                .iter()
                .filter_map(|&(b, blocker)| Some(format!("{} by {}", design.bastions[b].name, blocker?.as_str())))
                .collect();
            if blocked.is_empty() {
                (false, "the design has no Bastion".to_string())
            } else {
                (false, format!("blocked from {}", blocked.join(", ")))
            }
        }
        Goal::NoFinding { rule, resource } => {
            match analysis.findings.iter().find(|it| it.id == rule && it.resource == resource) {
                None => (true, format!("no {} on {resource}", rule.as_str())),
                Some(finding) => (false, finding.message.clone()),
            }
        }
        Goal::NoErrors => {
            let errors: Vec<String> = analysis
                .findings
                .iter()
                .filter(|it| it.severity == Severity::Error)
                .map(|it| format!("{} on {}", it.id.as_str(), it.resource))
                .collect();
            match errors.len() {
                0 => (true, "no errors".to_string()),
                1 => (false, format!("1 error: {}", errors[0])),
                n => (false, format!("{n} errors: {}", errors.join(", "))),
            }
        }
        Goal::AtMostBastions(limit) => {
            let n = design.bastions.len();
            (n <= limit, format!("{n} Bastion host{}", if n == 1 { "" } else { "s" }))
        }
        Goal::CostAtMost(dollars) => {
            let total = analysis.cost.total;
            (total <= dollars + 1e-9, format!("${total:.2} a month"))
        }
        Goal::BastionSubnetKeepsNsg { vnet } => {
            let subnet = design.vnet(vnet).and_then(|it| it.subnet(BASTION_SUBNET));
            match subnet {
                None => (false, format!("{vnet} has no AzureBastionSubnet")),
                Some(subnet) => match &subnet.nsg {
                    Some(nsg) => (true, format!("{nsg} is attached")),
                    None => (false, "no NSG is attached".to_string()),
                },
            }
        }
    }
}
