// The page answers: Connect says whether a session would open and fixes what blocks it, the
// path trace links each rule to its reference, the SKU advisor names the least SKU and why,
// the RBAC planner writes the az commands, compare mode marks what a change lost, and every
// mechanical finding has a Fix button that undo reverts. README pictures: see readmeShot.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const path = require('path');
const { openPage, pickScenario, readmeShot } = require('../support/page');
const { analysis, scenarioDesign, scenarioNames } = require('../support/cli');

const repo = path.resolve(__dirname, '..', '..');

// A copy of a scenario's design file to change: the tool's answer is cached and shared with
// other spec files (the scenario tests compare the page with it), so it must stay as it is.
function freshDesign(name) {
  return JSON.parse(JSON.stringify(scenarioDesign(name)));
}

async function shot(page, name) {
  await page.screenshot({ path: readmeShot(name) });
}

test('Connect without Reader on the peered VNet fails at RBAC-VNET; its Fix makes the session open, undo breaks it again', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'broken-missing-reader', 'vm-app2-sql01');
  await page.getByTestId('node-vm-app2-sql01').click();
  const inspector = page.getByTestId('inspector');
  // Pre-filled from the selection; the user is picked from the keyboard.
  await expect(inspector.getByTestId('connect-vm')).toHaveValue('vm-app2-sql01');
  await inspector.getByTestId('connect-user').focus();
  await inspector.getByTestId('connect-user').selectOption('bob@contoso.com');
  await inspector.getByTestId('connect').focus();
  await page.keyboard.press('Enter');

  const outcome = inspector.getByTestId('connect-outcome');
  await expect(outcome).toHaveAttribute('data-opens', 'false');
  // The Bastions detected, the VM's own VNet first, then peered: here the hub's.
  await expect(outcome).toContainText('bas-hub-weu');
  await expect(outcome).toContainText('a peered VNet');
  const step = outcome.getByTestId('connect-step-RBAC-VNET');
  await expect(step).toBeVisible();
  await expect(step).toContainText('vnet-spoke-app2-weu');
  await expect(step).toContainText('Fix:');
  await expect(outcome.locator('[data-testid^="connect-step-"]')).toHaveCount(1);
  await shot(page, 'connect.png');

  // The rule id opens the in-app reference; Escape closes it.
  await step.getByTestId('rule-link-RBAC-VNET').click();
  await expect(page.getByTestId('rule-ref-RBAC-VNET')).toBeVisible();
  await expect(page.getByTestId('rule-ref')).toContainText('learn.microsoft.com');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('rule-ref')).toHaveCount(0);

  await step.getByTestId('connect-fix-RBAC-VNET').click();
  await expect(outcome).toHaveAttribute('data-opens', 'true');
  await expect(outcome.getByTestId('connect-opens')).toContainText('bas-hub-weu');
  await page.locator('body').press('Control+z');
  await expect(outcome).toHaveAttribute('data-opens', 'false');
  await expect(outcome.getByTestId('connect-step-RBAC-VNET')).toBeVisible();
  expect(errors).toEqual([]);
});

test('Connect with the Bastion\'s subscription cleared in the portal filter fails at PORTAL-SUBSCRIPTION-FILTER', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vm-app1-web01');
  await page.getByTestId('node-vm-app1-web01').click();
  const inspector = page.getByTestId('inspector');
  await inspector.locator('.subscription-filter summary').click();
  await inspector.getByTestId('connect-subscription-sub-connectivity').uncheck();
  await inspector.getByTestId('connect').click();
  const outcome = inspector.getByTestId('connect-outcome');
  await expect(outcome).toHaveAttribute('data-opens', 'false');
  await expect(outcome.getByTestId('connect-step-PORTAL-SUBSCRIPTION-FILTER')).toContainText('sub-connectivity');
  // Selecting it again and pressing Connect opens the session.
  await inspector.getByTestId('connect-subscription-sub-connectivity').check();
  await inspector.getByTestId('connect').click();
  await expect(outcome).toHaveAttribute('data-opens', 'true');
});

test('the path trace lists each check as a step whose rule id opens the rule reference', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'broken-spoke-to-spoke', 'vm-app2-sql01');
  await page.getByTestId('node-vm-app2-sql01').click();
  const verdict = page.locator('[data-testid^="verdict-"][data-testid$="-vm-app2-sql01"]').first();
  await expect(verdict).toBeVisible();
  const steps = verdict.locator('ol.trace > li');
  expect(await steps.count()).toBeGreaterThan(1);
  await expect(steps.first()).toContainText('1.');
  const failing = verdict.locator('li.check.fail').first();
  const link = failing.locator('[data-testid^="rule-link-"]').first();
  const rule = (await link.getAttribute('data-testid')).replace('rule-link-', '');
  await link.click();
  await expect(page.getByTestId(`rule-ref-${rule}`)).toBeVisible();
  await expect(page.getByTestId('rule-ref')).toContainText('What it checks');
  await expect(page.getByTestId('rule-ref')).toContainText('Why Azure behaves so');
  await shot(page, 'path-trace.png');
  await page.getByTestId('rule-ref-close').click();
  await expect(page.getByTestId('rule-ref')).toHaveCount(0);
});

test('a Basic Bastion with IP-based connection on is advised Standard, with the reason, and Apply upgrades it', async ({ page }) => {
  await openPage(page);
  const design = freshDesign('peering-hub-spoke');
  const bastion = design.bastions[0];
  expect(bastion.sku).toBe('Basic');
  bastion.features = { ...(bastion.features || {}), ip_connect: true };
  await page.getByTestId('import').setInputFiles({ name: 'basic-ipc.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId(`node-${bastion.name}`)).toBeVisible();
  await page.getByTestId(`node-${bastion.name}`).click();
  const advice = page.getByTestId(`sku-advice-${bastion.name}`);
  await expect(advice.getByTestId(`sku-least-${bastion.name}`)).toHaveText('needs Standard');
  await expect(advice).toContainText('IP-based connection is on');
  await expect(advice.getByTestId(`sku-path-${bastion.name}`)).toContainText('Basic → Standard');
  // Capacity: 300 SSH sessions need 8 instances.
  await advice.getByTestId('capacity-ssh').fill('300');
  await expect(advice.getByTestId('capacity-answer')).toContainText('8 instance');
  await advice.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'sku.png');
  await advice.getByTestId(`sku-apply-${bastion.name}`).click();
  await expect(advice.getByTestId(`sku-least-${bastion.name}`)).toHaveText('needs Standard');
  await expect(page.getByTestId('inspector')).toContainText('Standard');
  await expect(advice.getByTestId(`sku-apply-${bastion.name}`)).toHaveCount(0);
  await page.locator('body').press('Control+z');
  await expect(advice.getByTestId(`sku-apply-${bastion.name}`)).toBeVisible();
});

test('the RBAC planner writes the az commands the native test expects for hub-spoke', async ({ page }) => {
  await openPage(page);
  // hub-spoke with every role assignment removed, as the native test plans it.
  const design = freshDesign('hub-spoke');
  design.role_assignments = [];
  await page.getByTestId('import').setInputFiles({ name: 'hub-spoke-no-roles.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId('node-vnet-hub-weu')).toBeVisible();
  const planner = page.getByTestId('rbac-plan');
  await planner.getByTestId('plan-principals').selectOption(['grp-app2-operators']);
  await planner.getByTestId('plan-targets').selectOption(['vm-app2-sql01', 'vm-app2-app01']);
  const expected = fs.readFileSync(path.join(repo, 'tests', 'expected', 'hub_spoke_plan.az.txt'), 'utf8');
  await expect(planner.getByTestId('plan-az')).toContainText('--assignee grp-app2-operators');
  expect(await planner.getByTestId('plan-az').textContent()).toBe(expected);
  await expect(planner.getByTestId('plan-bicep')).toContainText("targetScope = 'resourceGroup'");
  // Reader on the hub VNet reveals its topology: the plan says so.
  await expect(planner.getByTestId('plan-warnings')).toContainText('Reader on vnet-hub-weu');
  await planner.scrollIntoViewIfNeeded();
  await shot(page, 'rbac-plan.png');
});

test('compare after deleting a peering marks the lost pairs red on the canvas and lists them', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('compare-list')).toContainText('No difference yet');
  const link = 'peer-vnet-hub-weu-to-vnet-spoke-app1-weu';
  // An edge is a thin line: click its middle with the mouse, then Delete from the keyboard.
  const box = await page.getByTestId(`edge-${link}`).locator('.edge-hit').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.mouse.click(box.x, box.y);
  await expect(page.getByTestId(`edge-${link}`)).toHaveClass(/selected/);
  await page.locator('body').press('Delete');
  await expect(page.getByTestId(`edge-${link}`)).toHaveCount(0);
  for (const vm of ['vm-app1-web01', 'vm-app1-web02']) {
    await expect(page.getByTestId(`diff-vm-${vm}`)).toHaveAttribute('data-change', 'lost');
    await expect(page.getByTestId(`compare-lost-bas-hub-weu-${vm}`)).toBeVisible();
  }
  await expect(page.getByTestId(`diff-peering-${link}`)).toHaveAttribute('data-change', 'removed');
  await expect(page.getByTestId('diff-vm-vm-app2-sql01')).toHaveCount(0);
  await expect(page.getByTestId('compare-cost')).toContainText('a month');
  const stroke = await page.getByTestId('diff-vm-vm-app1-web01').evaluate((el) => getComputedStyle(el).stroke);
  expect(stroke).toBe('rgb(209, 52, 56)');
  await shot(page, 'compare.png');
  // Undo: the design equals the baseline again, nothing is marked.
  await page.locator('body').press('Control+z');
  await expect(page.locator('[data-testid^="diff-vm-"]')).toHaveCount(0);
  await page.getByTestId('compare').click();
  await expect(page.getByTestId('compare-list')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the NSG helper shows the missing AzureBastionSubnet rule and adds it in one click', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'broken-bastion-nsg', 'bas-hub-weu');
  await page.getByTestId('node-bas-hub-weu').click();
  const helper = page.getByTestId('nsg-helper-nsg-bas-hub-weu');
  await expect(helper).toContainText('missing');
  await expect(helper).toContainText('AllowHttpsInbound');
  await helper.scrollIntoViewIfNeeded();
  await shot(page, 'nsg-helper.png');
  await helper.getByTestId('nsg-apply-nsg-bas-hub-weu').click();
  await expect(helper).toContainText('carries every rule');
  await expect(page.getByTestId('finding-B-HEALTH-4-bas-hub-weu')).toHaveCount(0);
  await page.locator('body').press('Control+z');
  await expect(page.getByTestId('finding-B-HEALTH-4-bas-hub-weu')).toBeVisible();
});

test('the NSG helper finds the spoke rule that drops SSH from the Bastion subnet and adds the allow rule above it', async ({ page }) => {
  await openPage(page);
  // hub-spoke without the spoke's allow rule: its DenyRemoteAccessInbound drops Bastion sessions.
  const design = freshDesign('hub-spoke');
  const nsg = design.nsgs.find((it) => it.name === 'nsg-snet-app-app1-weu');
  nsg.rules = nsg.rules.filter((it) => it.name !== 'AllowBastionSshRdpInbound');
  await page.getByTestId('import').setInputFiles({ name: 'spoke-deny.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId('node-vm-app1-web01')).toBeVisible();
  await page.getByTestId('node-vm-app1-web01').click();
  const verdict = page.getByTestId('verdict-bas-hub-weu-vm-app1-web01');
  await expect(verdict).toContainText('R-NSG-IN');
  const helper = page.getByTestId('nsg-helper-vm-app1-web01');
  await expect(helper).toContainText('DenyRemoteAccessInbound');
  // SSH (the VM's own port) first: the verdict turns reachable; RDP is still dropped.
  await helper.getByTestId('nsg-apply-nsg-snet-app-app1-weu-bas-hub-weu-22').click();
  await expect(verdict.locator('.verdict-head')).toContainText(/reachable/i);
  await expect(helper.getByTestId('nsg-apply-nsg-snet-app-app1-weu-bas-hub-weu-22')).toHaveCount(0);
  await helper.getByTestId('nsg-apply-nsg-snet-app-app1-weu-bas-hub-weu-3389').click();
  await expect(helper).toContainText('No NSG on this VM');
  await page.locator('body').press('Control+z');
  await page.locator('body').press('Control+z');
  await expect(helper.getByTestId('nsg-apply-nsg-snet-app-app1-weu-bas-hub-weu-22')).toBeVisible();
  await expect(verdict).toContainText('R-NSG-IN');
});

test('a deny at priority 100 leaves no place for an allow: the NSG helper says to move it and offers no rule, and CAF-R5 has no Fix button', async ({ page }) => {
  const errors = await openPage(page);
  const design = freshDesign('hub-spoke');
  const nsg = design.nsgs.find((it) => it.name === 'nsg-snet-app-app1-weu');
  nsg.rules = nsg.rules.filter((it) => it.name !== 'AllowBastionSshRdpInbound');
  nsg.rules.find((it) => it.name === 'DenyRemoteAccessInbound').priority = 100;
  await page.getByTestId('import').setInputFiles({ name: 'deny-at-100.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await expect(page.getByTestId('node-vm-app1-web01')).toBeVisible();
  await page.getByTestId('node-vm-app1-web01').click();
  await expect(page.getByTestId('verdict-bas-hub-weu-vm-app1-web01')).toContainText('R-NSG-IN');
  const helper = page.getByTestId('nsg-helper-vm-app1-web01');
  await expect(helper).toContainText('DenyRemoteAccessInbound');
  await expect(helper).toContainText('move or narrow that rule first');
  await expect(helper.locator('[data-testid^="nsg-apply-"]')).toHaveCount(0);
  const finding = page.getByTestId('finding-CAF-R5-nsg-snet-app-app1-weu');
  await expect(finding).toContainText('move or narrow that deny first');
  await expect(page.getByTestId('fix-CAF-R5-nsg-snet-app-app1-weu')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('cost per Bastion and in total, from an editable dated price table, with the consolidation saving', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'per-spoke', 'vm-app1-web01');
  const cost = page.getByTestId('cost-panel');
  await expect(cost).toContainText('approximate');
  await expect(cost.getByTestId('cost-bas-app1-weu')).toBeVisible();
  const before = await cost.getByTestId('cost-total').innerText();
  await cost.getByTestId('edit-prices').click();
  await cost.getByTestId('price-basic').fill('1');
  await cost.getByTestId('price-basic').press('Enter');
  await expect(cost.getByTestId('cost-total')).not.toHaveText(before);
  await expect(cost).toContainText('(edited)');
  // Two Basic Bastions that one hub Bastion could replace: the saving follows the edited price.
  await expect(cost.getByTestId('consolidation')).toContainText('Consolidation could save about $730.00 a month');
  await cost.scrollIntoViewIfNeeded();
  await shot(page, 'cost.png');
  await page.getByTestId('undo').click();
  await expect(cost.getByTestId('cost-total')).toHaveText(before);
});

test('a VM lists its remote-access options and the one the guidance recommends', async ({ page }) => {
  await openPage(page);
  await pickScenario(page, 'hybrid-vpn', 'vm-app1-web01');
  await page.getByTestId('node-vm-app1-web01').click();
  const options = page.getByTestId('options-vm-app1-web01');
  for (const kind of ['bastion', 'jit', 'hybrid', 'public-ip']) await expect(options.getByTestId(`option-${kind}`)).toBeVisible();
  await expect(options.locator('.option.recommended')).toHaveCount(1);
  await expect(options.getByTestId('option-public-ip')).not.toHaveClass(/recommended/);
  await options.scrollIntoViewIfNeeded();
  await shot(page, 'options.png');
});

// Each broken scenario: every finding with a mechanical fix loses it on Fix and gets it back
// on undo; every finding, mechanical or not, says what to do.
for (const name of scenarioNames().filter((it) => it.startsWith('broken-'))) {
  test(`every Fix button of ${name} removes its finding and undo brings it back`, async ({ page }) => {
    await openPage(page);
    await pickScenario(page, name);
    const findings = analysis(name).findings || [];
    for (const finding of findings) {
      const id = `${finding.id || finding.rule}-${finding.resource}`;
      await expect(page.getByTestId(`finding-${id}`)).toContainText('Fix:');
      if (!finding.fix_action) {
        await expect(page.getByTestId(`fix-${id}`)).toHaveCount(0);
        continue;
      }
      await page.getByTestId(`fix-${id}`).click();
      await expect(page.getByTestId(`finding-${id}`)).toHaveCount(0);
      await page.getByTestId('undo').click();
      await expect(page.getByTestId(`finding-${id}`)).toBeVisible();
    }
  });
}
