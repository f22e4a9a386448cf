// Exporting the design as an ARM template from the page: the download is named after the
// design, parses as a deployment template that holds the scenario's Bastion, is the same
// template the command line writes for that design, and the notice says what the
// template could not hold.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const { openPage, pickScenario } = require('../support/page');
const cli = require('../support/cli');

// Every resource of a template, nested deployments' included.
function resources(template) {
  const out = [];
  for (const r of template.resources || []) {
    if (r.type === 'Microsoft.Resources/deployments') out.push(...resources(r.properties.template));
    else out.push(r);
  }
  return out;
}

test('the ARM template export downloads a deployable template with the Bastion', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hybrid-vpn');
  const design = cli.scenarioDesign('hybrid-vpn');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-arm').click()]);
  expect(download.suggestedFilename()).toBe(`${design.name}.template.json`);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const template = JSON.parse(text);
  expect(template.$schema).toMatch(/DeploymentTemplate\.json#$/);
  const bastions = resources(template).filter((r) => r.type === 'Microsoft.Network/bastionHosts');
  expect(bastions.map((r) => r.name)).toEqual(design.bastions.map((b) => b.name));
  expect(bastions[0].sku.name).toBe(design.bastions[0].sku);
  // The page and the command line write the same template for the same design.
  expect(text).toBe(cli.run(['export-arm', 'scenario:hybrid-vpn']));
  // The on-premises servers have no ARM resource: the notice names what was left out.
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('ARM template exported');
  await expect(notice).toContainText('Not exported');
  expect(errors).toEqual([]);
});
