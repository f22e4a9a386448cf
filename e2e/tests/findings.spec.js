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
