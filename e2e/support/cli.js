// The command-line tool is the oracle of the browser tests: the page must show the
// scenarios, resources and findings that `bastion-sim` computes natively from the same core.
// Runs synchronously because Playwright declares one test per scenario at collection time.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');

function binary() {
  if (process.env.BASTION_SIM_BIN) return process.env.BASTION_SIM_BIN;
  for (const profile of ['release', 'debug']) {
    const candidate = path.join(repo, 'target', profile, 'bastion-sim');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('bastion-sim is not built: run `cargo build --bin bastion-sim` (make e2e does it)');
}

// Runs the tool and returns its standard output. `analyze` may exit non-zero to gate a
// pipeline when it finds errors; its JSON is still the answer, so the exit status is ignored
// whenever something was printed.
function run(args) {
  try {
    return execFileSync(binary(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    if (err.stdout && String(err.stdout).trim()) return String(err.stdout);
    throw new Error(`bastion-sim ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

// `bastion-sim scenarios`: one scenario per line, its name first (a title may follow);
// a JSON list of names or of {name} objects is accepted too.
function scenarioNames() {
  const text = run(['scenarios']).trim();
  if (!text) return [];
  if (text.startsWith('[') || text.startsWith('{')) {
    let list = JSON.parse(text);
    if (!Array.isArray(list)) list = list.scenarios || [];
    return list.map((it) => (typeof it === 'string' ? it : it.name));
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => /^[a-z0-9][a-z0-9._-]*$/i.test(name));
}

const designs = new Map();

// `bastion-sim scenario NAME`: the scenario's design file (JSON).
function scenarioDesign(name) {
  if (!designs.has(name)) designs.set(name, JSON.parse(run(['scenario', name])));
  return designs.get(name);
}

const analyses = new Map();

// `bastion-sim analyze FILE --json` on the scenario's design file.
function analysis(name) {
  if (!analyses.has(name)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bastion-sim-e2e-'));
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(scenarioDesign(name), null, 2));
    try {
      analyses.set(name, JSON.parse(run(['analyze', file, '--json'])));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return analyses.get(name);
}

// The findings' testids the page must show: `finding-<rule id>-<resource>`.
function findingTestIds(name) {
  const findings = analysis(name).findings || [];
  return [...new Set(findings.map((it) => `finding-${it.id || it.rule}-${it.resource}`))].sort();
}

// Each Bastion's verdict on each VM, as the tool reports it: Map "bastion|vm" -> "reachable" | "blocked".
function vmVerdicts(name) {
  const verdicts = new Map();
  for (const it of analysis(name).reachability || []) {
    if ((it.target_kind || 'vm') === 'vm') verdicts.set(`${it.bastion}|${it.target}`, it.verdict);
  }
  return verdicts;
}

// The resources the canvas must draw for a scenario, by name.
function resources(name) {
  const design = scenarioDesign(name);
  const names = (list) => (list || []).map((it) => it.name);
  return {
    vnets: names(design.vnets),
    bastions: names(design.bastions),
    vms: names(design.vms),
    peerings: (design.peerings || []).map((it) => ({ name: it.name, from: it.from, to: it.to })),
  };
}

module.exports = { binary, run, scenarioNames, scenarioDesign, analysis, findingTestIds, vmVerdicts, resources };
