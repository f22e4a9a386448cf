// Importing real Azure JSON in the page: an ARM template written by others (the shared
// corpus's quickstart) opens as a design with its verdicts, the notice says what kind of
// file it was and what was skipped; a file that is neither a design nor Azure JSON leaves
// the current design as it was and says why.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { openPage } = require('../support/page');

const corpus = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

test('an ARM template imports as a design whose Bastion reaches its VM', async ({ page }) => {
  const errors = await openPage(page);
  const file = path.join(corpus, 'arm', 'qs-bastion-hub-spoke-vnet.azuredeploy.json');
  await page.getByTestId('import').setInputFiles(file);
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Imported qs-bastion-hub-spoke-vnet.azuredeploy.json (ARM template)');
  // The template's admin password has no default: the notice lists it as skipped, and
  // every skipped item is folded under it with its path and reason.
  await expect(notice).toContainText('skipped');
  const details = page.getByTestId('notice-details');
  await expect(details).toContainText('Show the 2 item(s)');
  await expect(details.locator('li').first()).toBeHidden();
  await details.locator('summary').click();
  await expect(details.locator('li')).toHaveCount(2);
  await expect(details).toContainText(
    "resources[7].properties.osProfile.adminPassword: a value of Microsoft.Compute/virtualMachines 'vm1': not read: parameter 'adminPassword' has no value",
  );
  for (const node of ['vnet-hub', 'vnet-spoke', 'bastion1', 'vm1']) {
    await expect(page.getByTestId(`node-${node}`), node).toBeVisible();
  }
  await page.getByTestId('node-vm1').click();
  const verdict = page.getByTestId('verdict-bastion1-vm1');
  await expect(verdict).toContainText(/reachable/i);
  await expect(verdict).toContainText('R-PEER');
  expect(errors).toEqual([]);
});

test('a JSON file that is neither a design nor Azure JSON changes nothing and says why', async ({ page }) => {
  await openPage(page);
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
  await page.getByTestId('import').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ hello: 'world' })),
  });
  await expect(page.getByTestId('notice')).toContainText('Could not import notes.json');
  await expect(page.getByTestId('notice')).toContainText('The current design is unchanged');
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
});
