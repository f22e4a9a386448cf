// Helpers that drive the page the way a person does: open it, pick a scenario in the
// picker, click a node, read the inspector. Everything is found by its data-testid.
const { expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');

// Opens the page and records every console error and uncaught exception, so a test can
// assert that a person would have seen none.
async function openPage(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url || 'page'})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  await page.goto('./');
  await expect(page.getByTestId('canvas')).toBeVisible();
  return errors;
}

// Picks a scenario in the top bar's picker and waits until the canvas draws its nodes.
async function pickScenario(page, name, firstNode) {
  await page.getByTestId('scenario-picker').selectOption(name);
  await expect(page.getByTestId('scenario-picker')).toHaveValue(name);
  if (firstNode) await expect(page.getByTestId(`node-${firstNode}`)).toBeVisible();
}

// A verdict's outcome as a person reads it in its heading: "blocked" (also "unreachable",
// or "Bastion unhealthy": an unhealthy Bastion reaches nothing), else "reachable".
function outcomeOf(text) {
  if (/blocked|unreachable|not reachable|cannot reach|unhealthy/i.test(text)) return 'blocked';
  if (/reachable/i.test(text)) return 'reachable';
  return null;
}

// The heading of a verdict entry (its first child), where the outcome is stated; the check
// chain below it may quote other words ("... is not reachable ...").
async function verdictHeading(verdict) {
  return verdict.evaluate((el) => (el.firstElementChild || el).innerText);
}

// What a drawn node looks like, as a set of tokens (per element kind: each class, the fill,
// the stroke, the opacity), without its label. Tests compare a node's look before and after
// an action, so differences that were there all along (a Windows icon beside a Linux one)
// do not count.
async function lookOf(locator) {
  return locator.evaluate((node) => {
    const tokens = new Set();
    for (const el of [node, ...node.querySelectorAll('*')]) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'text' || tag === 'tspan' || tag === 'title') continue;
      const style = getComputedStyle(el);
      const cls = typeof el.className === 'string' ? el.className : el.className?.baseVal || '';
      for (const token of cls.split(/\s+/).filter(Boolean)) tokens.add(`${tag}.class:${token}`);
      tokens.add(`${tag}.fill:${style.fill}`);
      tokens.add(`${tag}.stroke:${style.stroke}`);
      tokens.add(`${tag}.opacity:${style.opacity}`);
    }
    return [...tokens];
  });
}

// The tokens of a node's look that an action added, as one comparable string.
function lookChange(before, after) {
  const old = new Set(before);
  return after
    .filter((token) => !old.has(token))
    .sort()
    .join(' ');
}

// Where a README picture goes: artifacts/readme/ on a normal run, so testing leaves the tree
// clean; docs/screenshots/ (what README.md shows) when README_SHOTS=1 asks to refresh them.
function readmeShot(name) {
  const repo = path.resolve(__dirname, '..', '..');
  const dir = process.env.README_SHOTS ? path.join(repo, 'docs', 'screenshots') : path.join(repo, 'artifacts', 'readme');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

module.exports = { openPage, pickScenario, outcomeOf, verdictHeading, lookOf, lookChange, readmeShot };
