// Nothing a person does is lost: every edit can be undone and redone (buttons and keys),
// the design survives a reload (autosave), travels in a share link, and leaves and enters
// the page as a file; bad input says what is wrong and leaves the design as it was.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openPage, pickScenario } = require('../support/page');

const PUBLIC_IP_FINDING = 'finding-CAF-R10-vm-app2-jump01';
const PUBLIC_IP_FIX = 'fix-CAF-R10-vm-app2-jump01';

test('a Fix button applies its fix as one undoable edit; Ctrl+Z and Ctrl+Y replay it', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'broken-public-ip', 'vm-app2-jump01');
  await expect(page.getByTestId('undo')).toBeDisabled();
  await page.getByTestId(PUBLIC_IP_FIX).click();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeEnabled();
  await expect(page.getByTestId('redo')).toBeDisabled();

  await page.getByTestId('undo').click();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toBeVisible();
  await expect(page.getByTestId('redo')).toBeEnabled();
  await page.getByTestId('redo').click();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);

  await page.locator('body').press('Control+z');
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toBeVisible();
  await page.locator('body').press('Control+y');
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
  await page.locator('body').press('Control+z');
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toBeVisible();
  await page.locator('body').press('Control+Shift+Z');
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('Delete removes the selection, says what went with it, and undo brings it all back', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const bastion = page.locator('[data-testid^="node-bas-"]').first();
  const bastionId = await bastion.getAttribute('data-testid');
  await bastion.click();
  await page.locator('body').press('Delete');
  await expect(page.getByTestId(bastionId)).toHaveCount(0);
  await expect(page.getByTestId('notice')).toContainText('Deleted');
  await page.locator('body').press('Control+z');
  await expect(page.getByTestId(bastionId)).toBeVisible();
});

test('the share link reopens the same design in a new page', async ({ page, context }) => {
  await openPage(page);
  await pickScenario(page, 'broken-public-ip', 'vm-app2-jump01');
  await page.getByTestId(PUBLIC_IP_FIX).click();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#design=v1\./);
  const findings = await page.locator('[data-testid^="finding-"]').evaluateAll((list) => list.map((it) => it.dataset.testid));

  const other = await context.newPage();
  const errors = [];
  other.on('pageerror', (err) => errors.push(err.message));
  await other.goto(link);
  await expect(other.getByTestId('node-vm-app2-jump01')).toBeVisible();
  const reopened = await other.locator('[data-testid^="finding-"]').evaluateAll((list) => list.map((it) => it.dataset.testid));
  expect(reopened).toEqual(findings);
  expect(reopened).not.toContain(PUBLIC_IP_FINDING);
  expect(errors).toEqual([]);
});

test('a damaged share link says so and opens a working page', async ({ page }) => {
  await page.goto('./#design=v1.AAAA-this-is-not-deflate');
  await expect(page.getByTestId('notice')).toContainText('share link');
  await expect(page.locator('[data-testid=canvas] [data-testid^="node-"]').first()).toBeVisible();
});

test('a malformed file is refused with the reason, and the design stays as it was', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const before = await page.locator('[data-testid^="node-"]').count();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bastion-sim-'));
  const bad = path.join(dir, 'truncated.json');
  fs.writeFileSync(bad, '{"format": "bastion-sim/1", "design": {"vnets": [ {"name": ');
  await page.getByTestId('import').setInputFiles(bad);
  await expect(page.getByTestId('notice')).toContainText('Could not import truncated.json');
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
  expect(await page.locator('[data-testid^="node-"]').count()).toBe(before);

  const foreign = path.join(dir, 'foreign.json');
  fs.writeFileSync(foreign, JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', resources: [] }));
  await page.getByTestId('import').setInputFiles(foreign);
  await expect(page.getByTestId('notice')).toContainText('Could not import foreign.json');
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
});

test('export then import gives back the same design', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hybrid-vpn');
  const nodes = await page.locator('[data-testid^="node-"]').evaluateAll((list) => list.map((it) => it.dataset.testid).sort());
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const file = await download.path();
  const text = fs.readFileSync(file, 'utf8');
  expect(JSON.parse(text).format).toBe('bastion-sim/1');
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await page.getByTestId('import').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('notice')).toContainText('Imported mine.json');
  const again = await page.locator('[data-testid^="node-"]').evaluateAll((list) => list.map((it) => it.dataset.testid).sort());
  expect(again).toEqual(nodes);
});

test('the canvas exports as a self-contained SVG', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svg = fs.readFileSync(await download.path(), 'utf8');
  expect(svg).toContain('<svg');
  expect(svg).toContain('vnet-hub-weu');
  expect(svg).toContain('<style');
  // The page's own stylesheet is carried over (read from the page, not a compiled-in copy).
  expect(svg).toMatch(/\.canvas-bg\s*\{\s*fill:/);
  // Every icon is embedded: no reference to a file next to the page.
  expect(svg).not.toMatch(/href="icons\//);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const bytes = fs.readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
});

test('a reload restores the autosaved design', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'broken-public-ip', 'vm-app2-jump01');
  await page.getByTestId(PUBLIC_IP_FIX).click();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
  // Autosave runs a moment after the last edit.
  await page.waitForTimeout(800);
  await page.reload();
  await expect(page.getByTestId('node-vm-app2-jump01')).toBeVisible();
  await expect(page.getByTestId(PUBLIC_IP_FINDING)).toHaveCount(0);
});

test('? opens the help with every shortcut and Escape closes it', async ({ page }) => {
  await openPage(page);
  await page.locator('body').press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  for (const keys of ['Ctrl+Z', 'Ctrl+Shift+Z, Ctrl+Y', 'Delete, Backspace', 'Escape', 'Arrow keys', 'Ctrl+A', 'F', '?']) {
    await expect(help.locator('kbd', { hasText: keys }).first()).toBeVisible();
  }
  await page.locator('body').press('Escape');
  await expect(help).toHaveCount(0);
});

test('New asks first, and keeps the design when the person says no', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  page.once('dialog', (dialog) => dialog.dismiss());
  await page.getByTestId('new-design').click();
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('new-design').click();
  await expect(page.locator('[data-testid=canvas] [data-testid^="node-"]')).toHaveCount(0);
});
