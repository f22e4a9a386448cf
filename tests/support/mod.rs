//! Helpers shared by the snapshot tests (`mod support;` in each test file that uses them).

use bastion_sim::engine::Target;
use bastion_sim::model::Design;
use std::path::Path;

/// A readable line diff of a snapshot and the text now (longest common subsequence; the
/// reports are small): `- ` lines only in the snapshot, `+ ` lines only in the text.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        }
    }
    out
}

/// Compares `actual` with the snapshot at `path`, or rewrites it under `UPDATE_SNAPSHOTS=1`.
/// Returns what a failing test should say (`name`, the file, the line diff), or `None`;
/// `test` is the test target to rerun, named in the hint for a missing snapshot.
pub fn check_snapshot(name: &str, path: &Path, actual: &str, test: &str) -> Option<String> {
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|it| it == "1") {
        std::fs::create_dir_all(path.parent()?).ok()?;
        std::fs::write(path, actual).ok()?;
        return None;
    }
    match std::fs::read_to_string(path) {
        Err(_) => {
            Some(format!("{name}: no snapshot at {} (run UPDATE_SNAPSHOTS=1 cargo test --test {test})", path.display()))
        }
        Ok(expected) if expected != actual => Some(format!(
            "{name}: the report differs from {} (- snapshot, + now):\n{}",
            path.display(),
            line_diff(&expected, actual)
        )),
        Ok(_) => None,
    }
}

/// The VM or on-premises machine named `name`, as an analysis target.
pub fn target(design: &Design, name: &str) -> Target {
    if let Some(idx) = design.vms.iter().position(|it| it.name == name) {
        return Target::Vm(idx);
    }
    let idx = design.onprem_machines.iter().position(|it| it.name == name).unwrap_or_else(|| panic!("no {name}"));
    Target::Machine(idx)
}

/// The index of the Bastion named `name`.
pub fn bastion(design: &Design, name: &str) -> usize {
    design.bastions.iter().position(|it| it.name == name).unwrap_or_else(|| panic!("no Bastion {name}"))
}
