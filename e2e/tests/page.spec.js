// The page as a person first meets it: it loads cleanly, opens on the default scenario by
// itself, and offers the same built-in scenarios as the command-line tool.
const { test, expect } = require('@playwright/test');
const cli = require('../support/cli');
const { openPage } = require('../support/page');

test('the page loads with no console error', async ({ page }) => {
  const errors = await openPage(page);
  // Give the app a moment to run its first analysis and draw.
  await expect(page.locator('[data-testid=canvas] [data-testid^="node-"]').first()).toBeVisible();
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});

test('the page opens on a scenario and draws its resources without any click', async ({ page }) => {
  await openPage(page);
  const picked = await page.getByTestId('scenario-picker').inputValue();
  expect(picked).not.toBe('');
  const { vnets, bastions, vms } = cli.resources(picked);
  for (const name of [...vnets, ...bastions, ...vms]) {
    await expect(page.getByTestId(`node-${name}`), `node-${name} of ${picked}`).toBeVisible();
  }
});

test('the scenario picker offers exactly the command-line tool\'s scenarios, then its exercises, in order', async ({ page }) => {
  const expected = cli.scenarioNames();
  expect(expected.length, '`bastion-sim scenarios` lists no scenario').toBeGreaterThan(0);
  const exercises = cli.run(['exercises']).trim().split('\n').map((line) => line.split(/\s+/)[0]);
  expect(exercises.length, '`bastion-sim exercises` lists no exercise').toBeGreaterThan(0);
  await openPage(page);
  const group = (label) => page
    .getByTestId('scenario-picker')
    .locator(`optgroup[label^="${label}"] option`)
    .evaluateAll((list) => list.map((it) => it.value));
  expect(await group('Scenarios')).toEqual(expected);
  expect(await group('Exercises')).toEqual(exercises);
  const all = await page
    .getByTestId('scenario-picker')
    .locator('option')
    .evaluateAll((list) => list.map((it) => it.value).filter((value) => value !== ''));
  expect(all).toEqual([...expected, ...exercises]);
});
