//! The command-line tool as a script or a person runs it: the built binary, in a temp
//! directory, every command and exit status, and errors that name the problem and path.
//! Also: the complete example of docs/design-format.md loads and uses every resource kind.

use bastion_sim::model::{load_design, save_design, Layout};
use bastion_sim::scenarios::synthetic::{generate, EstateParams};
use bastion_sim::{analyze, scenarios};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_bastion-sim");

/// A fresh directory for one test, removed when the test ends.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(test: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("bastion-sim-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

/// Writes a built-in scenario as a design file.
fn scenario_file(dir: &std::path::Path, name: &str) -> String {
    let design = (scenarios::by_name(name).unwrap().build)();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, save_design(&design, &Layout::default())).unwrap();
    path.to_string_lossy().into_owned()
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn help_and_version() {
    for flag in ["--help", "-h", "help"] {
        let out = run(&[flag]);
        assert_eq!(code(&out), 0);
        for word in ["analyze", "scenarios", "scenario", "diff", "--json", "--deny-errors", "Exit status"] {
            assert!(stdout(&out).contains(word), "help lacks {word}");
        }
    }
    let out = run(&["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out).trim(), format!("bastion-sim {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_usage_exits_2_with_the_reason() {
    for (args, says) in [
        (vec![], "no command"),
        (vec!["frobnicate"], "unknown command 'frobnicate'"),
        (vec!["analyze"], "needs a design file"),
        (vec!["analyze", "a.json", "--colour"], "unknown option '--colour'"),
        (vec!["diff", "a.json"], "two design files"),
        (vec!["scenarios", "extra"], "too many arguments"),
    ] {
        let out = run(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn scenarios_lists_every_name_and_title() {
    let out = run(&["scenarios"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for scenario in scenarios::all() {
        let line = text.lines().find(|l| l.starts_with(scenario.name)).unwrap_or_else(|| panic!("{}", scenario.name));
        assert!(line.ends_with(scenario.title), "{line}");
    }
    assert_eq!(text.lines().count(), scenarios::all().len());
}

#[test]
fn scenario_prints_a_design_file_that_loads_back() {
    for scenario in scenarios::all() {
        let out = run(&["scenario", scenario.name]);
        assert_eq!(code(&out), 0);
        let file = load_design(&stdout(&out)).unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
        assert_eq!(file.design, (scenario.build)());
    }
}

#[test]
fn an_unknown_scenario_lists_the_valid_names() {
    let out = run(&["scenario", "hub-and-spoke"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown scenario 'hub-and-spoke'"), "{err}");
    for name in scenarios::names() {
        assert!(err.contains(name), "{name} missing from {err}");
    }
    assert_eq!(code(&run(&["analyze", "scenario:nope"])), 2);
    let out = run(&["analyze", "synthetic:huge"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("valid sizes: small, enterprise"), "{}", stderr(&out));
}

#[test]
fn a_synthetic_estate_is_summarised_rather_than_explained_pair_by_pair() {
    let out = run(&["analyze", "synthetic:small:7"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("too many to explain each one"), "{text}");
    assert!(text.contains("pairs reachable"));
    let out = run(&["analyze", "synthetic:small:7", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["explained"], false);
    assert_eq!(value["design"], "synthetic-100-vnets-seed-7");
}

#[test]
fn analyze_prints_the_text_report() {
    let dir = temp_dir("analyze-text");
    let file = scenario_file(&dir, "hub-spoke");
    let out = run(&["analyze", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("bastion-sim analysis of design 'hub-spoke'"));
    for section in ["== Bastion health ==", "== Reachability ==", "== Findings ==", "== Cost (approximate) =="] {
        assert!(text.contains(section), "{section}");
    }
    let design = (scenarios::by_name("hub-spoke").unwrap().build)();
    assert_eq!(text, bastion_sim::report::text_report(&design, &analyze(&design)));
}

#[test]
fn analyze_reads_standard_input() {
    let design = (scenarios::by_name("per-spoke").unwrap().build)();
    let out = run_with_stdin(&["analyze", "-"], &save_design(&design, &Layout::default()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("design 'per-spoke'"));
}

#[test]
fn analyze_json_follows_the_documented_schema() {
    let dir = temp_dir("analyze-json");
    let file = scenario_file(&dir, "hybrid-vpn");
    let out = run(&["analyze", &file, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(value["format"], "bastion-sim-analysis/1");
    assert_eq!(value["design"], "hybrid-vpn");
    let pairs = value["reachability"].as_array().unwrap();
    assert_eq!(pairs.len(), 3, "one Bastion: one VM and two on-premises machines");
    let kinds: Vec<&str> = pairs.iter().map(|p| p["target_kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["vm", "onprem", "onprem"]);
    for pair in pairs {
        let verdict = pair["verdict"].as_str().unwrap();
        assert!(verdict == "reachable" || verdict == "blocked");
        assert_eq!(verdict == "blocked", !pair["blocker"].is_null());
        assert!(pair["checks"].is_array() && pair["path"].is_array());
    }
    let bastion = &value["bastions"][0];
    assert_eq!(bastion["name"], "bas-hub-weu");
    assert_eq!(bastion["sku"], "Standard");
    assert_eq!(bastion["vnet"], "vnet-hub-weu");
    assert!(bastion["healthy"].is_boolean());
    for key in ["findings", "sku", "rbac"] {
        assert!(value[key].is_array(), "{key}");
    }
    assert_eq!(value["cost"]["approximate"], true);
}

#[test]
fn deny_errors_exits_1_only_when_error_findings_exist() {
    let dir = temp_dir("deny-errors");
    let broken = scenario_file(&dir, "broken-public-ip");
    let healthy = scenario_file(&dir, "hub-spoke");
    let out = run(&["analyze", &broken, "--deny-errors"]);
    assert_eq!(code(&out), 1, "CAF-R10 is an error finding:\n{}", stdout(&out));
    assert!(stdout(&out).contains("CAF-R10"), "the report is still printed");
    assert_eq!(code(&run(&["analyze", &broken])), 0, "without --deny-errors the analysis ran: 0");
    assert_eq!(code(&run(&["analyze", &healthy, "--deny-errors", "--json"])), 0);
}

#[test]
fn unreadable_and_invalid_files_exit_2_naming_the_problem_and_path() {
    let dir = temp_dir("invalid");
    let hub = (scenarios::by_name("hub-spoke").unwrap().build)();
    let full = save_design(&hub, &Layout::default());
    let mut bad_subnet = hub.clone();
    bad_subnet.vnets[0].subnets[1].prefix = "10.9.0.0/26".parse().unwrap();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("malformed.json", "{ \"format\": \"bastion-sim/1\", \"vnets\": [ }".to_string(), vec!["not valid JSON"]),
        ("truncated.json", full[..full.len() / 2].to_string(), vec!["truncated"]),
        // Neither a design, an ARM template nor Azure resource JSON (those import: docs/import.md).
        ("foreign.json", "{\"name\": \"x\", \"items\": []}".to_string(), vec!["format", "bastion-sim/1"]),
        ("future.json", "{\"format\": \"bastion-sim/9\"}".to_string(), vec!["unsupported format 'bastion-sim/9'"]),
        ("array.json", "[1, 2]".to_string(), vec!["bastion-sim design"]),
        (
            "unknown-field.json",
            full.replacen("\"name\": \"hub-spoke\"", "\"name\": \"hub-spoke\", \"colour\": \"red\"", 1),
            vec!["colour"],
        ),
        (
            "outside.json",
            save_design(&bad_subnet, &Layout::default()),
            vec!["at vnets[0].subnets[1].prefix", "outside its VNet"],
        ),
        ("wrong-type.json", full.replacen("\"10.0.0.0/22\"", "42", 1), vec!["vnets[0].address_prefixes[0]"]),
    ];
    for (name, text, says) in cases {
        let file = write(&dir, name, &text);
        let out = run(&["analyze", &file]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        assert!(err.contains(&file), "{name}: the message names the file: {err}");
        for word in says {
            assert!(err.contains(word), "{name}: expected '{word}' in: {err}");
        }
        assert!(stdout(&out).is_empty(), "{name}: nothing on stdout");
        assert!(!err.contains("panicked"), "{name}");
    }
    let missing = dir.join("no-such-file.json");
    let out = run(&["analyze", missing.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
}

#[test]
fn several_validation_errors_are_listed_one_per_line() {
    let mut design = (scenarios::by_name("hub-spoke").unwrap().build)();
    design.vms[0].nic.subnet = "snet-missing".to_string();
    design.bastions[0].scale_units = 99;
    let out = run_with_stdin(&["analyze", "-"], &save_design(&design, &Layout::default()));
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.trim_start().starts_with("at ")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(err.contains("at bastions[0].scale_units"), "{err}");
    assert!(err.contains("at vms[0].nic.subnet"), "{err}");
    assert!(err.contains("standard input"));
}

#[test]
fn diff_shows_what_changes_between_two_designs() {
    let dir = temp_dir("diff");
    let hub = scenario_file(&dir, "hub-spoke");
    let broken = scenario_file(&dir, "broken-disconnected-peering");
    let out = run(&["diff", &hub, &broken]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("diff of 'hub-spoke' -> 'broken-disconnected-peering'"), "{text}");
    assert!(text.contains("vm-app2-sql01"), "the app2 VMs became blocked:\n{text}");
    let out = run(&["diff", &hub, "scenario:broken-disconnected-peering", "--json"]);
    assert_eq!(code(&out), 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("diff --json is JSON");
    assert!(value.is_object());
    assert!(stdout(&out).contains("vm-app2-sql01"));
    let out = run(&["diff", &hub, &dir.join("missing.json").to_string_lossy()]);
    assert_eq!(code(&out), 2);
}

#[test]
fn a_closed_pipe_does_not_panic() {
    let dir = temp_dir("pipe");
    let params = EstateParams { seed: 3, vnets: 30, vms: 300, bastions: 4, principals: 10, regions: 2 };
    let file = write(&dir, "estate.json", &save_design(&generate(&params), &Layout::default()));
    let mut child = Command::new(BIN)
        .args(["analyze", &file, "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close our end: the tool's writes fail with a broken pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let err = stderr(&output);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(output.status.code(), Some(0), "{err}");
}

/// The complete example of docs/design-format.md: the longest ```json block.
fn documented_example() -> String {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/design-format.md")).unwrap();
    let mut blocks = Vec::new();
    let mut rest = doc.as_str();
    while let Some(start) = rest.find("```json\n") {
        let body = &rest[start + 8..];
        let end = body.find("```").expect("closed block");
        blocks.push(body[..end].to_string());
        rest = &body[end..][3..];
    }
    blocks.into_iter().max_by_key(|b| b.len()).expect("a json example")
}

#[test]
fn the_design_format_example_loads_and_uses_every_resource_kind() {
    let text = documented_example();
    let file = load_design(&text).unwrap_or_else(|e| panic!("the documented example does not load:\n{e}"));
    let d = &file.design;
    let kinds: [(&str, usize); 22] = [
        ("management_groups", d.management_groups.len()),
        ("subscriptions", d.subscriptions.len()),
        ("vnets", d.vnets.len()),
        ("peerings", d.peerings.len()),
        ("deleted_peerings", d.deleted_peerings.len()),
        ("nsgs", d.nsgs.len()),
        ("route_tables", d.route_tables.len()),
        ("public_ips", d.public_ips.len()),
        ("bastions", d.bastions.len()),
        ("vms", d.vms.len()),
        ("virtual_wans", d.virtual_wans.len()),
        ("virtual_hubs", d.virtual_hubs.len()),
        ("hub_connections", d.hub_connections.len()),
        ("gateways", d.gateways.len()),
        ("onprem_sites", d.onprem_sites.len()),
        ("site_connections", d.site_connections.len()),
        ("onprem_machines", d.onprem_machines.len()),
        ("key_vaults", d.key_vaults.len()),
        ("log_workspaces", d.log_workspaces.len()),
        ("users", d.users.len()),
        ("groups", d.groups.len()),
        ("role_assignments", d.role_assignments.len()),
    ];
    for (kind, count) in kinds {
        assert!(count > 0, "the example has no {kind}");
        assert!(text.contains(&format!("\"{kind}\"")));
    }
    assert!(d.prices.is_some(), "the example shows a price table");
    assert!(!file.layout.positions.is_empty(), "the example shows a layout");
    // The CLI reads it too.
    let out = run_with_stdin(&["analyze", "-"], &text);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn a_binary_file_or_a_directory_is_refused_with_the_reason() {
    let dir = temp_dir("binary");
    let binary = dir.join("design.bin");
    std::fs::write(&binary, [0xffu8, 0xfe, 0x00, 0x7b]).unwrap();
    let out = run(&["analyze", binary.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read") && stderr(&out).contains("UTF-8"), "{}", stderr(&out));
    let out = run(&["analyze", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn docs_cli_lists_every_scenario_with_its_title() {
    let doc = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap();
    for scenario in scenarios::all() {
        let row = format!("| `{}` | {} |", scenario.name, scenario.title);
        assert!(doc.contains(&row), "docs/cli.md lacks the row of {}", scenario.name);
    }
}

#[test]
fn an_exercise_is_listed_printed_and_graded_with_partial_credit() {
    let list = stdout(&run(&["exercises"]));
    for exercise in scenarios::exercises::all() {
        assert!(list.contains(exercise.name) && list.contains(exercise.title), "{list}");
    }

    // The starting design, edited as a student would: peer the two spokes.
    let dir = temp_dir("exercise");
    let printed = run(&["exercise", "exercise-spoke-to-spoke"]);
    assert_eq!(code(&printed), 0);
    let start = write(&dir, "start.json", &stdout(&printed));
    let graded = run(&["score", "exercise-spoke-to-spoke", &start]);
    assert_eq!(code(&graded), 0, "{}", stderr(&graded));
    let text = stdout(&graded);
    assert!(
        text.contains("[ ] A Bastion reaches vm-app2-sql01 (2 points): blocked from bas-app1-weu by R-NONTRANSITIVE"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("Score 3 / 5 (60 %)"), "{text}");

    let mut file = load_design(&stdout(&printed)).expect("the printed design loads");
    let mut editor = bastion_sim::edit::Editor::new(file.clone());
    editor
        .apply(&bastion_sim::edit::Command::AddPeering {
            a: "vnet-spoke-app1-weu".into(),
            b: "vnet-spoke-app2-weu".into(),
        })
        .expect("peer the spokes");
    file.design = editor.file.design.clone();
    let solved = write(&dir, "solved.json", &save_design(&file.design, &Layout::default()));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["score", "exercise-spoke-to-spoke", &solved, "--json"]))).expect("JSON");
    assert_eq!((json["earned"].as_u64(), json["total"].as_u64()), (Some(5), Some(5)), "{json}");
    assert_eq!(json["goals"][0]["found"], "reached from bas-app1-weu");

    let unknown = run(&["score", "no-such-exercise", &solved]);
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("unknown exercise 'no-such-exercise'; valid names: exercise-bastion-nsg"));
    assert_eq!(code(&run(&["score", "exercise-spoke-to-spoke"])), 2);
    let bad = run(&["score", "exercise-spoke-to-spoke", &write(&dir, "bad.json", "{\"format\": 1}")]);
    assert_eq!(code(&bad), 2);
}

fn corpus_file(rel: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(rel).to_str().unwrap().to_string()
}

#[test]
fn import_prints_a_design_and_the_skipped_list_on_stderr() {
    let template = corpus_file("arm/qs-nat-gateway-hub-spoke-firewall.azuredeploy.json");
    let params = corpus_file("arm/qs-nat-gateway-hub-spoke-firewall.azuredeploy.parameters.json");
    let out = run(&["import", &template, "--parameters", &params]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let design = bastion_sim::model::load_design(&stdout(&out)).expect("stdout is a design file");
    assert_eq!(design.design.bastions.len(), 1);
    let err = stderr(&out);
    assert!(err.contains("ARM template"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("skipped resources[7]: Microsoft.Network/azureFirewalls")), "{err}");
    assert!(err.contains("adminPasswordOrKey"), "{err}");
    // analyze reads the template directly, with the same skipped list on stderr.
    let out = run(&["analyze", &template]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("natfw-"), "{}", stdout(&out));
    assert!(stderr(&out).contains("azureFirewalls"));
}

#[test]
fn import_of_unusable_input_exits_2_with_the_reason() {
    let dir = temp_dir("import-bad");
    let params = corpus_file("arm/qs-bastion-hub-spoke-vnet.azuredeploy.parameters.json");
    let out = run(&["import", &params]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("parameters file"), "{}", stderr(&out));
    let junk = write(&dir, "junk.json", "{ \"resources\": [ ");
    let out = run(&["import", &junk]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot be imported"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = run(&["import"]);
    assert_eq!(code(&out), 2);
    let out = run(&["analyze", &params, "--parameters", &params]);
    assert_eq!(code(&out), 2, "--parameters is for import only");
}

#[test]
fn export_arm_prints_a_template_and_the_not_exported_list_on_stderr() {
    let out = run(&["export-arm", "scenario:hybrid-vpn"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let template: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert!(template["$schema"].as_str().unwrap().contains("DeploymentTemplate.json"));
    assert!(stdout(&out).contains("\"Microsoft.Network/bastionHosts\""));
    let err = stderr(&out);
    assert!(err.lines().next().unwrap().contains("item(s) not exported"), "{err}");
    // The on-premises servers are not Azure resources: each is named, with the reason.
    assert!(err.lines().any(|l| l.starts_with("not exported: on-premises machine '")), "{err}");
    // The printed template imports back: `analyze` reads it and finds the same Bastion.
    let dir = temp_dir("export-arm");
    let file = write(&dir, "template.json", &stdout(&out));
    let again = run(&["analyze", &file]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    let design = (scenarios::by_name("hybrid-vpn").unwrap().build)();
    assert!(stdout(&again).contains(&design.bastions[0].name));
    // A design file and an exercise are read as every other command reads them.
    let path = scenario_file(&dir, "per-spoke");
    assert_eq!(code(&run(&["export-arm", &path])), 0);
    assert_eq!(code(&run(&["export-arm", "exercise:exercise-spoke-to-spoke"])), 0);
}

#[test]
fn export_arm_of_unusable_input_exits_2_with_the_reason() {
    let out = run(&["export-arm", "scenario:no-such-thing"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("no-such-thing"), "{}", stderr(&out));
    let out = run(&["export-arm"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("export-arm needs a design file"), "{}", stderr(&out));
    let out = run_with_stdin(&["export-arm", "-"], "{ not json");
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
}
