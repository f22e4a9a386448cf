//! The command-line tool: analyze a design file, list and print built-in scenarios,
//! diff two designs. See docs/cli.md for commands, exit codes and the JSON schema.
//!
//! Arguments are parsed by hand (a handful of commands and flags); output goes through
//! `Out`, which never panics on a closed pipe (`bastion-sim analyze x | head`).

use bastion_sim::engine::{self, Severity};
use bastion_sim::io::export::arm_template;
use bastion_sim::io::import::{import_template, import_text, Imported, SourceKind};
use bastion_sim::model::{save_design, Design, Layout};
use bastion_sim::report::{text_report, write_json_report};
use bastion_sim::scenarios::{self, exercises};
use serde_json::Value;
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
bastion-sim: simulate Azure remote access (Bastion, peering, NSG, RBAC) offline.

Usage:
  bastion-sim analyze FILE [--json] [--deny-errors]
  bastion-sim import FILE [--parameters FILE]
  bastion-sim export-arm FILE
  bastion-sim scenarios
  bastion-sim scenario NAME
  bastion-sim diff A B [--json]
  bastion-sim exercises
  bastion-sim exercise NAME
  bastion-sim score EXERCISE FILE [--json]
  bastion-sim --help | --version

FILE, A and B are design files (format \"bastion-sim/1\", see docs/design-format.md),
or, for analyze, import and export-arm, an ARM template or live Azure resource JSON (docs/import.md);
'-' reads standard input, 'scenario:NAME' uses a built-in scenario,
'exercise:NAME' an exercise's starting design, and 'synthetic:small' or 'synthetic:enterprise' (optionally ':SEED') a generated estate.

Commands:
  analyze     health, reachability, SKU advice, RBAC gaps, findings and cost
  import      print an ARM template or live Azure JSON as a design file; what
              was not imported goes to stderr, one line each with its path
  export-arm  print the design as an ARM deployment template (JSON); what the
              template cannot hold goes to stderr, one line each with the reason
  scenarios   list the built-in scenarios (name and title)
  scenario    print a built-in scenario as a design file
  diff        what changes from design A to design B
  exercises   list the graded exercises (name and title)
  exercise    print an exercise's starting design file (the task is its description)
  score       grade a design against an exercise's goals (partial credit)

Options:
  --json          print the analysis, diff or score as JSON (analysis: schema
                  bastion-sim-analysis/1)
  --deny-errors   exit with status 1 when the analysis has error findings
  --parameters F  import: the ARM parameters file of the template
  -h, --help      print this help
  -V, --version   print the version

Exit status: 0 the command ran; 1 --deny-errors and error findings exist;
2 unreadable or invalid input, unknown scenario or exercise, or bad usage
(reason on stderr).
";

/// Exit statuses (docs/cli.md).
const OK: u8 = 0;
const ERROR_FINDINGS: u8 = 1;
const BAD_INPUT: u8 = 2;

/// Standard output that stops quietly when the reader goes away.
struct Out {
    closed: bool,
}

impl Out {
    fn print(&mut self, text: &str) {
        self.write(|stdout| stdout.write_all(text.as_bytes()));
    }

    /// Writes to standard output through a buffer (a report written piece by piece).
    fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.closed {
            return;
        }
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        if write(&mut stdout).and_then(|_| stdout.flush()).is_err() {
            // Broken pipe or a full disk: nothing more can be written; the exit status
            // still tells what the analysis found.
            self.closed = true;
        }
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
    ExitCode::from(BAD_INPUT)
}

fn usage_error(message: &str) -> ExitCode {
    fail(&format!("error: {message}\nRun 'bastion-sim --help' for usage."))
}

/// Reads and validates a design: a file, '-' for stdin, 'scenario:NAME' or
/// 'synthetic:SIZE[:SEED]'.
fn read_design(source: &str) -> Result<Design, String> {
    if let Some(name) = source.strip_prefix("scenario:") {
        return match scenarios::by_name(name) {
            Some(scenario) => Ok((scenario.build)()),
            None => Err(unknown_scenario(name)),
        };
    }
    if let Some(name) = source.strip_prefix("exercise:") {
        return exercises::by_name(name).map(|it| it.start()).ok_or_else(|| unknown_exercise(name));
    }
    if let Some(spec) = source.strip_prefix("synthetic:") {
        return synthetic(spec).map(|params| scenarios::synthetic::generate(&params));
    }
    let text = read_text(source)?;
    let shown = if source == "-" { "standard input" } else { source };
    let imported = import_text(&text).map_err(|err| import_error(shown, &err))?;
    report_skipped(&imported);
    Ok(imported.file.design)
}

fn import_error(shown: &str, err: &bastion_sim::io::import::ImportError) -> String {
    use bastion_sim::io::import::ImportError;
    match err {
        ImportError::Design(err) => {
            let mut message = format!("error: {shown} is not a valid design ({} problem(s)):", err.problems.len());
            for problem in &err.problems {
                message.push_str("\n  ");
                message.push_str(&problem.to_string());
            }
            message
        }
        ImportError::Unusable(reason) => format!("error: {shown} cannot be imported: {reason}"),
    }
}

/// What an import left out, on stderr: one line each, with its path in the input.
fn report_skipped(imported: &Imported) {
    if imported.source == SourceKind::Design {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "imported {}: {} item(s) skipped", imported.source.label(), imported.skipped.len());
    for skipped in &imported.skipped {
        let _ = writeln!(stderr, "skipped {skipped}");
    }
}

fn read_text(source: &str) -> Result<String, String> {
    let mut text = String::new();
    let read = if source == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(source).map(|it| text = it)
    };
    let shown = if source == "-" { "standard input" } else { source };
    read.map(|_| text).map_err(|err| format!("error: cannot read {shown}: {err}"))
}

/// `small`, `enterprise`, optionally followed by `:SEED`.
fn synthetic(spec: &str) -> Result<scenarios::synthetic::EstateParams, String> {
    let (size, seed) = spec.split_once(':').unwrap_or((spec, "1"));
    let seed: u64 = seed.parse().map_err(|_| format!("error: synthetic seed '{seed}' is not a number"))?;
    let params = match size {
        "small" => scenarios::synthetic::EstateParams::small(),
        "enterprise" => scenarios::synthetic::EstateParams::enterprise(),
        other => return Err(format!("error: unknown synthetic estate '{other}'; valid sizes: small, enterprise")),
    };
    Ok(params.with_seed(seed))
}

fn unknown_scenario(name: &str) -> String {
    format!("error: unknown scenario '{name}'; valid names: {}", scenarios::names().join(", "))
}

fn unknown_exercise(name: &str) -> String {
    let names: Vec<&str> = exercises::all().iter().map(|it| it.name).collect();
    format!("error: unknown exercise '{name}'; valid names: {}", names.join(", "))
}

/// The score as a student reads it: each goal ticked or not, with what the design does now.
fn score_text(exercise: &exercises::Exercise, score: &exercises::Score) -> String {
    let mut text = format!("{}\n{}\n\n", exercise.title, exercise.brief);
    for goal in &score.goals {
        let mark = if goal.met { "[x]" } else { "[ ]" };
        let points = if goal.points == 1 { "1 point".to_string() } else { format!("{} points", goal.points) };
        text.push_str(&format!("{mark} {} ({points}): {}\n", goal.goal, goal.found));
    }
    text.push_str(&format!("\n{}\n", score.summary()));
    text
}

fn to_json_text(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Renders a diff for people from its JSON form, so that whatever the engine's diff holds
/// is shown; empty lists are left out.
fn diff_text(before: &Design, after: &Design, value: &Value) -> String {
    let mut out = format!("diff of '{}' -> '{}'\n", before.name, after.name);
    let Some(fields) = value.as_object() else { return out };
    let mut changes = 0;
    for (key, field) in fields {
        let label = key.replace('_', " ");
        match field {
            Value::Array(items) if items.is_empty() => (),
            Value::Array(items) => {
                changes += items.len();
                out.push_str(&format!("{label} ({}):\n", items.len()));
                for item in items {
                    out.push_str(&format!("  {}\n", item_text(item)));
                }
            }
            Value::Number(n) => match n.as_f64() {
                Some(f) if key.ends_with("delta") => out.push_str(&format!("{label}: {f:+.2} (approximate)\n")),
                Some(f) if key.starts_with("cost") => out.push_str(&format!("{label}: {f:.2} (approximate)\n")),
                _ => out.push_str(&format!("{label}: {n}\n")),
            },
            other => out.push_str(&format!("{label}: {}\n", item_text(other))),
        }
    }
    if changes == 0 {
        out.push_str("no change in reachability, findings, roles, SKUs or resources\n");
    }
    out
}

/// One changed item, recognised by its fields (pairs, findings, roles, SKUs, resources).
fn item_text(item: &Value) -> String {
    let field = |name: &str| item.get(name).map(item_text).unwrap_or_default();
    let has = |names: &[&str]| names.iter().all(|n| item.get(*n).is_some());
    let verdict = |name: &str| match item.get(name) {
        Some(Value::Null) | None => "reachable".to_string(),
        Some(rule) => format!("blocked {}", item_text(rule)),
    };
    match item {
        Value::Object(_) if has(&["least_before", "least_after"]) => format!(
            "{}: {} -> {} (least SKU {} -> {})",
            field("bastion"),
            field("before"),
            field("after"),
            field("least_before"),
            field("least_after")
        ),
        Value::Object(_) if has(&["bastion", "target", "before", "after"]) => {
            format!("{} -> {}: {} => {}", field("bastion"), field("target"), verdict("before"), verdict("after"))
        }
        Value::Object(_) if has(&["id", "severity", "resource", "message"]) => {
            format!("[{}] {} {}: {}", field("severity"), field("id"), field("resource"), field("message"))
        }
        Value::Object(_) if has(&["principal", "role", "scope"]) => {
            format!("{} for {} at {}", field("role"), field("principal"), field("scope"))
        }
        Value::Object(_) if has(&["principal", "target", "bastion"]) => {
            format!("{} -> {} via {}", field("principal"), field("target"), field("bastion"))
        }
        Value::Object(_) if has(&["kind", "name"]) => format!("{} {}", field("kind"), field("name")),
        Value::Object(_) if has(&["bastion", "presence", "gained", "lost"]) => {
            let list = |name: &str| match item.get(name) {
                Some(Value::Array(items)) if !items.is_empty() => {
                    items.iter().map(item_text).collect::<Vec<_>>().join(", ")
                }
                _ => "none".to_string(),
            };
            format!("{} ({}): gained {}; lost {}", field("bastion"), field("presence"), list("gained"), list("lost"))
        }
        Value::Object(_) if has(&["target", "before", "after", "reachable_before"]) => {
            let by = |name: &str| match item.get(name) {
                Some(Value::Array(items)) if !items.is_empty() => {
                    format!("reachable by {}", items.iter().map(item_text).collect::<Vec<_>>().join(", "))
                }
                _ => "unreachable".to_string(),
            };
            format!("{}: {} => {}", field("target"), by("before"), by("after"))
        }
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", item_text(v))).collect::<Vec<_>>().join(", "),
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().map(item_text).collect::<Vec<_>>().join(" -> "),
        Value::Null => "-".to_string(),
        other => other.to_string(),
    }
}

fn run(args: &[String], out: &mut Out) -> ExitCode {
    let mut json = false;
    let mut deny_errors = false;
    let mut words: Vec<&str> = Vec::new();
    let mut parameters: Option<&str> = None;
    let mut args_iter = args.iter();
    while let Some(arg) = args_iter.next() {
        match arg.as_str() {
            "--parameters" => match args_iter.next() {
                Some(file) => parameters = Some(file.as_str()),
                None => return usage_error("--parameters needs a file"),
            },
            "-h" | "--help" | "help" => {
                out.print(USAGE);
                return ExitCode::from(OK);
            }
            "-V" | "--version" => {
                out.print(&format!("bastion-sim {}\n", env!("CARGO_PKG_VERSION")));
                return ExitCode::from(OK);
            }
            "--json" => json = true,
            "--deny-errors" => deny_errors = true,
            "-" => words.push("-"),
            flag if flag.starts_with('-') => return usage_error(&format!("unknown option '{flag}'")),
            word => words.push(word),
        }
    }
    match words.as_slice() {
        [] => usage_error("no command given"),
        ["analyze", file] => {
            let design = match read_design(file) {
                Ok(design) => design,
                Err(message) => return fail(&message),
            };
            let analysis = engine::analyze(&design);
            if json {
                out.write(|stdout| write_json_report(&design, &analysis, stdout));
            } else {
                out.print(&text_report(&design, &analysis));
            }
            let errors = analysis.findings.iter().any(|it| it.severity == Severity::Error);
            ExitCode::from(if deny_errors && errors { ERROR_FINDINGS } else { OK })
        }
        ["analyze"] => usage_error("analyze needs a design file (or '-' for standard input)"),
        ["import", file] => {
            let text = match read_text(file) {
                Ok(text) => text,
                Err(message) => return fail(&message),
            };
            let params = match parameters.map(read_text).transpose() {
                Ok(params) => params,
                Err(message) => return fail(&message),
            };
            let shown = if *file == "-" { "standard input" } else { file };
            match import_template(&text, params.as_deref()) {
                Ok(imported) => {
                    report_skipped(&imported);
                    out.print(&save_design(&imported.file.design, &imported.file.layout));
                    ExitCode::from(OK)
                }
                Err(err) => fail(&import_error(shown, &err)),
            }
        }
        ["import"] => usage_error("import needs a file: bastion-sim import FILE [--parameters FILE]"),
        ["export-arm", file] => {
            let design = match read_design(file) {
                Ok(design) => design,
                Err(message) => return fail(&message),
            };
            let export = arm_template(&design);
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "exported an ARM template; {} item(s) not exported", export.not_exported.len());
            for item in &export.not_exported {
                let _ = writeln!(err, "not exported: {item}");
            }
            out.print(&export.template);
            ExitCode::from(OK)
        }
        ["export-arm"] => usage_error("export-arm needs a design file: bastion-sim export-arm FILE"),
        _ if parameters.is_some() => usage_error("--parameters applies to the import command only"),
        ["scenarios"] => {
            let list = scenarios::all();
            let width = list.iter().map(|it| it.name.len()).max().unwrap_or(0);
            let mut text = String::new();
            for scenario in &list {
                text.push_str(&format!("{:<width$}  {}\n", scenario.name, scenario.title));
            }
            out.print(&text);
            ExitCode::from(OK)
        }
        ["scenario", name] => match scenarios::by_name(name) {
            Some(scenario) => {
                out.print(&save_design(&(scenario.build)(), &Layout::default()));
                ExitCode::from(OK)
            }
            None => fail(&unknown_scenario(name)),
        },
        ["scenario"] => usage_error(&format!("scenario needs a name; valid names: {}", scenarios::names().join(", "))),
        ["diff", a, b] => {
            let (before, after) = match (read_design(a), read_design(b)) {
                (Ok(before), Ok(after)) => (before, after),
                (Err(message), _) | (_, Err(message)) => return fail(&message),
            };
            let (mut analysis_a, mut analysis_b) = (engine::analyze(&before), engine::analyze(&after));
            // The diff lists findings with their fix actions, those built on demand too.
            analysis_a.findings = engine::fixes::completed_findings(&engine::Index::new(&before), &analysis_a);
            analysis_b.findings = engine::fixes::completed_findings(&engine::Index::new(&after), &analysis_b);
            let diff = engine::diff((&before, &analysis_a), (&after, &analysis_b));
            let value = serde_json::to_value(&diff).unwrap_or(Value::Null);
            if json {
                out.print(&to_json_text(&value));
            } else {
                out.print(&diff_text(&before, &after, &value));
            }
            ExitCode::from(OK)
        }
        ["diff", ..] => usage_error("diff needs two design files: bastion-sim diff A B"),
        ["exercises"] => {
            let list = exercises::all();
            let width = list.iter().map(|it| it.name.len()).max().unwrap_or(0);
            let text: String = list.iter().map(|it| format!("{:<width$}  {}\n", it.name, it.title)).collect();
            out.print(&text);
            ExitCode::from(OK)
        }
        ["exercise", name] => match exercises::by_name(name) {
            Some(exercise) => {
                out.print(&save_design(&exercise.start(), &Layout::default()));
                ExitCode::from(OK)
            }
            None => fail(&unknown_exercise(name)),
        },
        ["score", name, file] => {
            let Some(exercise) = exercises::by_name(name) else { return fail(&unknown_exercise(name)) };
            let design = match read_design(file) {
                Ok(design) => design,
                Err(message) => return fail(&message),
            };
            let score = exercises::score(exercise, &design, &engine::analyze(&design));
            if json {
                out.print(&to_json_text(&serde_json::to_value(&score).unwrap_or(Value::Null)));
            } else {
                out.print(&score_text(exercise, &score));
            }
            ExitCode::from(OK)
        }
        ["exercise"] => {
            let names: Vec<&str> = exercises::all().iter().map(|it| it.name).collect();
            usage_error(&format!("exercise needs a name; valid names: {}", names.join(", ")))
        }
        ["score", ..] => usage_error("score needs an exercise and a design file: bastion-sim score EXERCISE FILE"),
        [command, ..]
            if ["analyze", "import", "export-arm", "scenarios", "scenario", "exercises", "exercise"]
                .contains(command) =>
        {
            usage_error(&format!("too many arguments for '{command}'"))
        }
        [command, ..] => usage_error(&format!("unknown command '{command}'")),
    }
}

fn main() -> ExitCode {
    // args_os: a non-UTF-8 argument must not panic; it is shown lossily in the error.
    let args: Vec<String> = std::env::args_os().skip(1).map(|it| it.to_string_lossy().into_owned()).collect();
    let mut out = Out { closed: false };
    run(&args, &mut out)
}
