//! Graded exercises as a student meets them: each starts with its main goals unmet (the
//! reason names the blocker), the intended repair — made with the editor's commands, as the
//! page makes it — earns full marks, and the shortcuts that break the point of the exercise
//! (deleting the VM, removing the NSG, a second Bastion) do not.

use bastion_sim::analyze;
use bastion_sim::edit::{Command, Editor, Key};
use bastion_sim::engine::fixes::fix_action_for;
use bastion_sim::engine::RuleId;
use bastion_sim::model::{Design, DesignFile, Layout, Role, RoleAssignment};
use bastion_sim::scenarios::builder::vnet_scope;
use bastion_sim::scenarios::exercises::{self, score, Exercise, Score};
use bastion_sim::scenarios::{self};

fn exercise(name: &str) -> &'static Exercise {
    exercises::by_name(name).unwrap_or_else(|| panic!("no exercise {name}"))
}

fn graded(name: &str, design: &Design) -> Score {
    score(exercise(name), design, &analyze(design))
}

/// The editor on the exercise's starting design.
fn start(name: &str) -> Editor {
    Editor::new(DesignFile { design: exercise(name).start(), layout: Layout::default() })
}

/// The goal whose sentence starts with `prefix`: (met, found).
fn goal(score: &Score, prefix: &str) -> (bool, String) {
    let it = score.goals.iter().find(|it| it.goal.starts_with(prefix)).unwrap_or_else(|| panic!("no goal {prefix}"));
    (it.met, it.found.clone())
}

/// Applies the fix of the first finding `rule` on `resource`, as the page's Fix button does.
fn apply_fix(editor: &mut Editor, rule: RuleId, resource: &str) {
    let design = editor.file.design.clone();
    let analysis = analyze(&design);
    let finding = analysis
        .findings
        .iter()
        .find(|it| it.id == rule && it.resource == resource)
        .unwrap_or_else(|| panic!("no {rule:?} on {resource}"));
    let action = fix_action_for(&design, &analysis, finding).expect("a mechanical fix");
    editor.apply(&Command::ApplyFix(action)).expect("the fix applies");
}

#[test]
fn every_exercise_starts_from_a_valid_design_with_points_to_earn() {
    for exercise in exercises::all() {
        let design = exercise.start();
        assert!(bastion_sim::model::validate(&design).is_empty(), "{}", exercise.name);
        assert_eq!(design.name, exercise.name);
        let score = score(exercise, &design, &analyze(&design));
        assert!(score.total > 0 && score.earned < score.total, "{}: {}", exercise.name, score.summary());
        assert!(scenarios::by_name(exercise.name).is_none(), "{} shadows a scenario", exercise.name);
    }
}

#[test]
fn the_bastion_nsg_exercise_is_solved_by_restoring_the_https_rule_not_by_removing_the_nsg() {
    let name = "exercise-bastion-nsg";
    let mut editor = start(name);
    let before = graded(name, &editor.file.design);
    assert_eq!((before.earned, before.total), (1, 6), "{before:#?}");
    let (met, found) = goal(&before, "alice@contoso.com can connect to vm-app1-web01");
    assert!(!met);
    assert!(
        found.starts_with("B-HEALTH-4: nsg-bas-hub-weu on AzureBastionSubnet lacks") && found.contains("443"),
        "{found}"
    );
    assert!(goal(&before, "AzureBastionSubnet of vnet-hub-weu keeps an NSG").0);
    assert_eq!(before.summary(), "Score 1 / 6 (16 %)");

    // The shortcut: detach the NSG. The Bastion works again, but the exercise said not to.
    let mut shortcut = start(name);
    shortcut
        .apply(&Command::SetNsg {
            target: bastion_sim::edit::NsgTarget::Subnet {
                vnet: "vnet-hub-weu".into(),
                subnet: "AzureBastionSubnet".into(),
            },
            nsg: None,
        })
        .expect("detach");
    let cut = graded(name, &shortcut.file.design);
    assert!(goal(&cut, "alice@contoso.com can connect").0);
    assert_eq!(goal(&cut, "AzureBastionSubnet of vnet-hub-weu keeps an NSG"), (false, "no NSG is attached".into()));
    assert_eq!(cut.earned, 5);

    // The repair: the finding's Fix button adds the missing rule.
    apply_fix(&mut editor, RuleId::BHealth4, "bas-hub-weu");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (6, 6), "{after:#?}");
    assert_eq!(after.summary(), "Score 6 / 6 (100 %)");
    assert_eq!(goal(&after, "bob@contoso.com can connect to vm-app2-sql01").1, "opens through bas-hub-weu");
}

#[test]
fn the_spoke_to_spoke_exercise_is_solved_by_peering_the_spokes_not_by_a_second_bastion() {
    let name = "exercise-spoke-to-spoke";
    let before = graded(name, &start(name).file.design);
    let (met, found) = goal(&before, "A Bastion reaches vm-app2-sql01");
    assert!(!met);
    assert_eq!(found, "blocked from bas-app1-weu by R-NONTRANSITIVE");
    assert!(goal(&before, "A Bastion reaches vm-app1-web01").0);
    assert_eq!((before.earned, before.total), (3, 5));

    let mut editor = start(name);
    editor
        .apply(&Command::AddPeering { a: "vnet-spoke-app1-weu".into(), b: "vnet-spoke-app2-weu".into() })
        .expect("peer the spokes");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");
    assert_eq!(goal(&after, "A Bastion reaches vm-app2-sql01").1, "reached from bas-app1-weu");

    // Deleting the unreachable VM earns nothing for it.
    let mut deleted = start(name);
    deleted.apply(&Command::Delete { keys: vec![Key::Vm("vm-app2-sql01".into())] }).expect("delete");
    let cut = graded(name, &deleted.file.design);
    assert_eq!(
        goal(&cut, "A Bastion reaches vm-app2-sql01"),
        (false, "vm-app2-sql01 is no longer in the design".into())
    );
}

#[test]
fn the_missing_reader_exercise_is_solved_by_reader_on_the_spoke_vnet() {
    let name = "exercise-missing-reader";
    let before = graded(name, &start(name).file.design);
    let (met, found) = goal(&before, "bob@contoso.com can connect to vm-app2-sql01");
    assert!(!met);
    assert!(found.starts_with("RBAC-VNET"), "{found}");
    assert!(goal(&before, "alice@contoso.com can connect to vm-app1-web01").0);
    assert!(!goal(&before, "No CAF-R7 finding on bob@contoso.com").0);
    assert_eq!((before.earned, before.total), (1, 5));

    let mut editor = start(name);
    let scope = vnet_scope(&editor.file.design, "vnet-spoke-app2-weu");
    let grant = RoleAssignment { principal: "grp-app2-operators".into(), role: Role::Reader, scope };
    editor
        .apply(&Command::ApplyFix(bastion_sim::engine::FixAction::AddRoleAssignment {
            principal: grant.principal,
            role: grant.role,
            scope: grant.scope,
        }))
        .expect("grant");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");
}

#[test]
fn the_public_ip_exercise_needs_the_public_ip_gone_and_bastion_access_kept() {
    let name = "exercise-public-ip";
    let mut editor = start(name);
    let before = graded(name, &editor.file.design);
    assert!(!goal(&before, "No CAF-R10 finding on vm-app2-jump01").0);
    assert!(goal(&before, "bob@contoso.com can connect to vm-app2-jump01").0);
    assert_eq!(goal(&before, "No error findings"), (false, "1 error: CAF-R10 on vm-app2-jump01".into()));
    assert_eq!((before.earned, before.total), (2, 5));

    // Deleting the jump box closes the door and loses bob's access.
    let mut deleted = start(name);
    deleted.apply(&Command::Delete { keys: vec![Key::Vm("vm-app2-jump01".into())] }).expect("delete");
    let cut = graded(name, &deleted.file.design);
    assert!(goal(&cut, "No CAF-R10 finding on vm-app2-jump01").0);
    assert!(!goal(&cut, "bob@contoso.com can connect to vm-app2-jump01").0);
    assert_eq!(cut.earned, 3);

    // The repair: detach the public IP from the jump box's NIC.
    let mut vm = editor.file.design.vm("vm-app2-jump01").expect("jump box").clone();
    vm.nic.public_ip = None;
    editor.apply(&Command::Update { item: bastion_sim::edit::Item::Vm(vm) }).expect("detach the public IP");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");
}

#[test]
fn the_consolidation_exercise_is_met_by_the_hub_bastion_design_and_not_by_the_spoke_bastions() {
    let name = "exercise-consolidate";
    let before = graded(name, &exercise(name).start());
    assert!(goal(&before, "alice@contoso.com can connect to vm-app1-web01").0);
    assert_eq!(goal(&before, "One Bastion host at most"), (false, "2 Bastion hosts".into()));
    assert_eq!(goal(&before, "Monthly cost at most $250.00"), (false, "$277.40 a month".into()));
    assert_eq!((before.earned, before.total), (4, 6));

    // The landing-zone pattern the exercise asks for: one Bastion in the hub.
    let hub = (scenarios::by_name("hub-spoke").expect("hub-spoke").build)();
    let after = graded(name, &hub);
    assert_eq!((after.earned, after.total), (6, 6), "{after:#?}");

    // Deleting one spoke Bastion saves money but strands that spoke's operators.
    let mut editor = start(name);
    editor.apply(&Command::Delete { keys: vec![Key::Bastion("bas-app2-weu".into())] }).expect("delete");
    let cut = graded(name, &editor.file.design);
    assert!(goal(&cut, "One Bastion host at most").0 && goal(&cut, "Monthly cost at most").0);
    let (met, found) = goal(&cut, "bob@contoso.com can connect to vm-app2-sql01");
    assert!(!met, "{found}");
}

#[test]
fn grading_is_deterministic_and_a_first_stage_analysis_is_completed() {
    let name = "exercise-public-ip";
    let design = exercise(name).start();
    let full = score(exercise(name), &design, &analyze(&design));
    let staged = score(exercise(name), &design, &bastion_sim::engine::analyze_verdicts(&design));
    assert_eq!(full, staged);
    assert_eq!(full, graded(name, &design));
}

#[test]
fn the_developer_exercise_is_solved_by_basic_in_place_and_not_by_standard() {
    let name = "exercise-developer-peering";
    let before = graded(name, &exercise(name).start());
    let (met, found) = goal(&before, "erin@contoso.com can connect to vm-devdata-db01");
    assert!(!met);
    assert!(found.starts_with("R-PEER"), "{found}");
    assert!(goal(&before, "erin@contoso.com can connect to vm-dev-test01").0);
    assert_eq!(goal(&before, "Monthly cost at most $150.00"), (true, "$0.00 a month".into()));
    assert_eq!((before.earned, before.total), (2, 5));

    // The SKU advisor's fix: Developer → Basic in place, with its subnet and public IP. The
    // sessions now come from AzureBastionSubnet, which the VMs' NSGs (written for the
    // Developer's 168.63.129.16) deny: the second half of the exercise.
    let mut editor = start(name);
    apply_fix(&mut editor, RuleId::SkuUpgrade, "bas-dev-weu");
    assert_eq!(editor.file.design.bastion("bas-dev-weu").map(|it| it.sku), Some(bastion_sim::model::BastionSku::Basic));
    let half = graded(name, &editor.file.design);
    let (met, found) = goal(&half, "erin@contoso.com can connect to vm-dev-test01");
    assert!(!met && found.starts_with("R-NSG-IN"), "{found}");
    assert_eq!((half.earned, half.total), (1, 5), "{half:#?}");
    for nsg in ["nsg-snet-dev-weu", "nsg-snet-data-devdata-weu"] {
        apply_fix(&mut editor, RuleId::CafR5, nsg);
    }
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");

    // Standard works too, but costs more than the exercise allows.
    let mut standard = start(name);
    apply_fix(&mut standard, RuleId::SkuUpgrade, "bas-dev-weu");
    let mut host = standard.file.design.bastion("bas-dev-weu").expect("bastion").clone();
    host.sku = bastion_sim::model::BastionSku::Standard;
    standard.apply(&Command::Update { item: bastion_sim::edit::Item::Bastion(host) }).expect("Standard");
    for nsg in ["nsg-snet-dev-weu", "nsg-snet-data-devdata-weu"] {
        apply_fix(&mut standard, RuleId::CafR5, nsg);
    }
    let pricier = graded(name, &standard.file.design);
    assert!(goal(&pricier, "erin@contoso.com can connect to vm-devdata-db01").0);
    assert_eq!(goal(&pricier, "Monthly cost at most $150.00"), (false, "$211.70 a month".into()));
    assert_eq!(pricier.earned, 4, "{pricier:#?}");
}

#[test]
fn the_forced_tunnel_exercise_is_solved_by_not_advertising_the_default_route_not_by_cutting_the_vpn() {
    let name = "exercise-forced-tunnel";
    let before = graded(name, &exercise(name).start());
    assert_eq!(
        goal(&before, "A Bastion reaches srv-hq-file01"),
        (false, "blocked from bas-hub-weu by B-HEALTH-6".into())
    );
    assert!(goal(&before, "alice@contoso.com can connect to vm-app1-web01").1.starts_with("B-HEALTH-6"));
    assert_eq!((before.earned, before.total), (0, 5));

    // The shortcut: delete the site connection. The Bastion works again, the servers are lost.
    let mut cut = start(name);
    cut.apply(&Command::Delete { keys: vec![Key::SiteConnection("s2s-hub-weu-hq-london".into())] }).expect("delete");
    let cut = graded(name, &cut.file.design);
    assert!(goal(&cut, "alice@contoso.com can connect to vm-app1-web01").0);
    let (met, found) = goal(&cut, "A Bastion reaches srv-hq-file01");
    assert!(!met && found.starts_with("blocked from bas-hub-weu by R-"), "{found}");
    assert_eq!(cut.earned, 3);

    // The repair: the connection stops advertising 0.0.0.0/0 (the property panel's toggle).
    let mut editor = start(name);
    let mut connection = editor.file.design.site_connections[0].clone();
    connection.advertises_default_route = false;
    editor.apply(&Command::Update { item: bastion_sim::edit::Item::SiteConnection(connection) }).expect("update");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");
    assert_eq!(goal(&after, "A Bastion reaches srv-hq-file01").1, "reached from bas-hub-weu");
}

#[test]
fn the_vwan_exercise_is_solved_by_ip_based_connection_on_the_central_bastion() {
    let name = "exercise-vwan-central";
    let before = graded(name, &exercise(name).start());
    assert_eq!(
        goal(&before, "A Bastion reaches vm-app2-sql01"),
        (false, "blocked from bas-central-weu by R-VWAN".into())
    );
    assert_eq!((before.earned, before.total), (1, 5));

    // The repair: IP-based connection on the Standard central Bastion (rules.md R-VWAN).
    let mut editor = start(name);
    let mut host = editor.file.design.bastion("bas-central-weu").expect("central Bastion").clone();
    host.features.ip_connect = true;
    editor.apply(&Command::Update { item: bastion_sim::edit::Item::Bastion(host) }).expect("IP-based connection on");
    let after = graded(name, &editor.file.design);
    assert_eq!((after.earned, after.total), (5, 5), "{after:#?}");
}
