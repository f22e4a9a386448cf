// A long findings list draws its first 300 rows (errors first) and a button shows the rest:
// every finding of the command-line tool's analysis is still one click away.
const { test, expect } = require('@playwright/test');
const cli = require('../support/cli');

test('a long findings list shows 300 rows, then all of them on request', async ({ page }) => {
  const analysis = JSON.parse(cli.run(['analyze', 'synthetic:small', '--json']));
  const expected = [...new Set(analysis.findings.map((it) => `finding-${it.id}-${it.resource}`))].sort();
  expect(expected.length, 'the small synthetic estate needs more than 300 findings for this test').toBeGreaterThan(300);
  await page.goto('./?scenario=synthetic:small');
  const rows = page.locator('.findings [data-testid^="finding-"]');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(rows).toHaveCount(300);
  const more = page.getByTestId('findings-more');
  await expect(more).toContainText(`of ${analysis.findings.length} findings`);
  await more.click();
  await expect(rows).toHaveCount(analysis.findings.length);
  await expect(more).toHaveCount(0);
  const shown = [...new Set(await rows.evaluateAll((list) => list.map((it) => it.dataset.testid)))].sort();
  expect(shown).toEqual(expected);
});

// The page paints an edit's verdicts first and completes the analysis (SKU advice, RBAC,
// cost, findings) after that frame: the findings must still follow every edit, and be the
// tool's findings for the design as edited.
test('after an edit the findings follow it: the tool\'s findings of the exported design, and the first ones again after an undo', async ({ page }) => {
  const fs = require('fs');
  const { openPage, pickScenario } = require('../support/page');
  const name = 'hub-spoke';
  const before = cli.findingTestIds(name);
  const { vnets, peerings } = cli.resources(name);
  expect(peerings.length).toBeGreaterThan(0);
  await openPage(page);
  await pickScenario(page, name, vnets[0]);
  const shown = () =>
    page.locator('[data-testid^="finding-"]').evaluateAll((list) => [...new Set(list.map((it) => it.dataset.testid))].sort());
  await expect.poll(shown).toEqual(before);

  // Both links of a peering draw one line: the click selects whichever is on top.
  const edges = page.locator('[data-testid^="edge-peer-"]');
  await expect(edges).toHaveCount(peerings.length);
  const box = await page.getByTestId(`edge-${peerings[0].name}`).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('Delete');
  await expect(edges).toHaveCount(peerings.length - 1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const analysis = JSON.parse(cli.run(['analyze', await download.path(), '--json']));
  const after = [...new Set(analysis.findings.map((it) => `finding-${it.id}-${it.resource}`))].sort();
  expect(after, 'deleting the link changes the findings').not.toEqual(before);
  await expect.poll(shown).toEqual(after);
  expect(fs.existsSync(await download.path())).toBe(true);

  await page.keyboard.press('Control+z');
  await expect.poll(shown).toEqual(before);
});
