// The inspector edits every property: a field checks what is typed as it is typed, a
// committed value is one undoable edit, and the analysis follows. The principals panel
// creates users and role assignments, and the user's reach follows. Mouse and keyboard only.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { openPage, pickScenario, verdictHeading, outcomeOf, readmeShot } = require('../support/page');

const BASTION = 'bas-hub-weu';
const screenshot = readmeShot;

test('a subnet prefix is checked as it is typed, and a valid one moves the analysis', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await page.getByTestId('node-vnet-hub-weu').click({ position: { x: 12, y: 12 } });
  const prefix = page.getByTestId('prop-subnet-AzureBastionSubnet-prefix');
  await expect(prefix).toHaveValue('10.0.1.0/26');
  const error = page.getByTestId('prop-subnet-AzureBastionSubnet-prefix-error');
  const finding = page.getByTestId(`finding-B-HEALTH-2-${BASTION}`);
  await expect(finding).toHaveCount(0);

  // Typing an invalid length: the error shows while typing, before any commit.
  await prefix.click();
  await prefix.press('Control+a');
  await prefix.pressSequentially('10.0.1.0/33');
  await expect(error).toContainText('0 to 32');
  await expect(page.getByTestId('undo')).toBeDisabled();
  // Enter does not commit text that does not parse; the text stays.
  await prefix.press('Enter');
  await expect(prefix).toHaveValue('10.0.1.0/33');
  await expect(page.getByTestId('undo')).toBeDisabled();

  // A valid /27: the error goes, Enter commits, and the engine warns (B-HEALTH-2).
  await prefix.press('Backspace');
  await prefix.press('Backspace');
  await prefix.pressSequentially('27');
  await expect(error).toHaveCount(0);
  await prefix.press('Enter');
  await expect(finding).toBeVisible();
  await page.screenshot({ path: screenshot('inspector-subnet-prefix.png') });

  // A prefix outside the VNet parses but the design refuses it: the notice says why and the
  // field keeps the person's text.
  await prefix.press('Control+a');
  await prefix.pressSequentially('10.9.0.0/26');
  await prefix.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('not applied');
  await expect(prefix).toHaveValue('10.9.0.0/26');

  // Undo the one accepted edit: the /26 and the healthy Bastion come back.
  await page.getByTestId('undo').click();
  await expect(finding).toHaveCount(0);
  await expect(prefix).toHaveValue('10.0.1.0/26');
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});

test('a Bastion feature toggle changes the SKU advice and the findings; undo restores them', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await page.getByTestId(`node-${BASTION}`).click();
  const advice = page.getByTestId(`sku-advice-${BASTION}`);
  const upgrade = page.getByTestId(`finding-SKU-UPGRADE-${BASTION}`);
  await expect(advice).toBeVisible();
  await expect(advice).not.toContainText('Premium');
  await expect(upgrade).toHaveCount(0);

  const recording = page.getByTestId('prop-feature-session_recording');
  await expect(recording).not.toBeChecked();
  await recording.click();
  await expect(recording).toBeChecked();
  await expect(advice).toContainText('Premium');
  await expect(upgrade).toBeVisible();

  // Keyboard: Ctrl+Z (focus on the page, not in a field) undoes the toggle.
  await page.locator('body').press('Control+z');
  await expect(upgrade).toHaveCount(0);
  await expect(advice).not.toContainText('Premium');
  await expect(recording).not.toBeChecked();

  // Scale units: an out-of-range number is refused as typed.
  const units = page.getByTestId('prop-scale-units');
  await units.fill('60');
  await expect(page.getByTestId('prop-scale-units-error')).toContainText('2 to 50');
  await units.fill('4');
  await units.press('Tab');
  await expect(advice).toBeVisible();
  await expect(page.getByTestId('undo')).toBeEnabled();
  await page.getByTestId('undo').click();
  await expect(units).toHaveValue('2');

  // A select applies on change and shows the design's value again after undo.
  const sku = page.getByTestId('prop-sku');
  await expect(sku).toHaveValue('Standard');
  await sku.selectOption('Basic');
  await expect(upgrade).toBeVisible();
  await expect(upgrade).toContainText('native client');
  await page.getByTestId('undo').click();
  await expect(sku).toHaveValue('Standard');
  await expect(upgrade).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});

// The verdict of the Bastion for a VM, as the inspector states it with the VM selected.
async function verdictOf(page, vm) {
  await page.getByTestId(`node-${vm}`).click();
  const verdict = page.getByTestId(`verdict-${BASTION}-${vm}`);
  await expect(verdict).toBeVisible();
  return verdict;
}

async function selectNsg(page, vnet, nsg) {
  await page.getByTestId(`node-${vnet}`).click({ position: { x: 12, y: 12 } });
  await page.getByTestId('inspector').getByRole('button', { name: nsg, exact: true }).click();
  await expect(page.getByTestId('properties')).toBeVisible();
  await expect(page.getByTestId('prop-name')).toHaveValue(nsg);
}

test('an NSG rule denying 3389 from the Bastion subnet blocks the VM until it is moved below the allow', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const vm = 'vm-app2-sql01';
  const nsg = 'nsg-snet-app-app2-weu';
  expect(outcomeOf(await verdictHeading(await verdictOf(page, vm)))).toBe('reachable');

  await selectNsg(page, 'vnet-spoke-app2-weu', nsg);
  await page.getByTestId('prop-add-rule').click();
  const row = (field) => page.getByTestId(`prop-rule-rule-${field}`);
  await expect(row('priority')).toHaveValue('4010');
  await row('access').selectOption('Deny');
  const sources = row('sources');
  await sources.fill('10.0.1.0/266');
  await expect(page.getByTestId('prop-rule-rule-sources-error')).toBeVisible();
  await sources.fill('10.0.1.0/26');
  await sources.press('Enter');
  await row('ports').fill('3389');
  await row('ports').press('Enter');
  // Up twice: above DenyRemoteAccessInbound (4000), then above AllowBastionSshRdpInbound (100).
  await row('up').click();
  await expect(row('priority')).toHaveValue('4000');
  await row('up').click();
  await expect(row('priority')).toHaveValue('100');
  await expect(page.getByTestId('prop-rule-AllowBastionSshRdpInbound-priority')).toHaveValue('4000');
  await page.screenshot({ path: screenshot('inspector-nsg-rules.png') });

  let verdict = await verdictOf(page, vm);
  expect(outcomeOf(await verdictHeading(verdict))).toBe('blocked');
  await expect(verdict).toContainText('R-NSG-IN');

  // Below the allow again: reachable.
  await selectNsg(page, 'vnet-spoke-app2-weu', nsg);
  await row('down').click();
  await expect(row('priority')).toHaveValue('4000');
  verdict = await verdictOf(page, vm);
  expect(outcomeOf(await verdictHeading(verdict))).toBe('reachable');

  // Each committed value was one step: undo the move, then it is blocked again.
  await page.locator('body').press('Control+z');
  verdict = page.getByTestId(`verdict-${BASTION}-${vm}`);
  await expect.poll(async () => outcomeOf(await verdictHeading(verdict))).toBe('blocked');
  // Undo the rest (two moves, ports, sources, access, the new rule): reachable, no rule left.
  for (let i = 0; i < 6; i++) await page.getByTestId('undo').click();
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect.poll(async () => outcomeOf(await verdictHeading(verdict))).toBe('reachable');
  await selectNsg(page, 'vnet-spoke-app2-weu', nsg);
  await expect(row('priority')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a new user and a role assignment in the principals panel change what the user can reach', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const user = 'dana@contoso.com';
  const name = page.getByTestId('new-user');
  await name.click();
  await name.pressSequentially('dana contoso');
  await expect(page.getByTestId('new-user-error')).toBeVisible();
  await expect(page.getByTestId('new-user-add')).toBeDisabled();
  await name.fill('alice@contoso.com');
  await expect(page.getByTestId('new-user-error')).toContainText('already');
  await name.fill(user);
  await name.press('Enter');

  // The new user is listed and selected: nobody has given them anything yet.
  await expect(page.getByTestId(`principal-${user}`)).toBeVisible();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByRole('heading', { name: /^Can reach/ })).toContainText('0 of 0');

  await page.getByTestId('new-assignment-principal').selectOption(user);
  await page.getByTestId('new-assignment-role').selectOption('Reader');
  await page.getByTestId('new-assignment-scope').selectOption('/');
  await page.getByTestId('add-assignment').click();
  await expect(inspector.getByRole('heading', { name: /^Can reach/ })).toContainText('2 of 4');
  await expect(page.getByTestId('user-grants')).toContainText('Key Vault Secrets User');
  // The same assignment again is not offered.
  await expect(page.getByTestId('add-assignment')).toBeDisabled();
  await expect(page.getByTestId('add-assignment-error')).toContainText('already holds');
  await page.screenshot({ path: screenshot('principals-panel.png') });

  // Undo the assignment, then the user.
  await page.getByTestId('undo').click();
  await expect(inspector.getByRole('heading', { name: /^Can reach/ })).toContainText('0 of 0');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId(`principal-${user}`)).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});

test('renaming a VM in its form keeps every reference: the canvas, the verdicts, the selection', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await page.getByTestId('node-vm-app2-sql01').click();
  const name = page.getByTestId('prop-name');
  await expect(name).toHaveValue('vm-app2-sql01');
  await name.fill('vm-app2 sql');
  await expect(page.getByTestId('prop-name-error')).toBeVisible();
  await name.fill('vm-app2-db01');
  await name.press('Enter');
  await expect(page.getByTestId('node-vm-app2-db01')).toBeVisible();
  await expect(page.getByTestId('node-vm-app2-sql01')).toHaveCount(0);
  // Still selected under its new name, and the Bastion's verdict follows it.
  await expect(name).toHaveValue('vm-app2-db01');
  await expect(page.getByTestId(`verdict-${BASTION}-vm-app2-db01`)).toBeVisible();
  // A name another VM holds is refused by the design: the notice says why, the text stays.
  await name.fill('vm-app2-app01');
  await name.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('not applied');
  await expect(name).toHaveValue('vm-app2-app01');
  // Escape in the field puts back the name the design holds.
  await name.press('Escape');
  await expect(name).toHaveValue('vm-app2-db01');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('node-vm-app2-sql01')).toBeVisible();
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});

test('groups take members and an assignment changes role in place, each one undo step', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const inspector = page.getByTestId('inspector');
  // Carol holds Network Contributor only: she reaches nothing through the Bastion.
  await page.getByTestId('principal-carol@contoso.com').click();
  await expect(inspector.getByRole('heading', { name: /^Can reach/ })).toContainText('0 of');

  // Into grp-bastion-users (Reader on the Bastion and the hub) and grp-app2-operators.
  await page.getByTestId('group-grp-bastion-users-add-member').selectOption('carol@contoso.com');
  await expect(page.getByTestId('group-grp-bastion-users-remove-carol@contoso.com')).toBeVisible();
  await page.getByTestId('group-grp-app2-operators-add-member').selectOption('carol@contoso.com');
  await expect(inspector).toContainText('grp-bastion-users, grp-app2-operators');
  await expect(inspector.getByRole('heading', { name: /^Can reach/ })).toContainText('2 of');

  // Her own assignment's role becomes Reader in place (delete and insert, one step).
  const own = page.locator('[data-testid^="assignment-"]', { hasText: 'carol@contoso.com' });
  await own.locator('[data-testid$="-role"]').selectOption('Reader');
  await expect(page.locator('[data-testid^="assignment-"]', { hasText: 'carol@contoso.com' }).locator('[data-testid$="-role"]')).toHaveValue('Reader');

  // Three undos: the role, then each membership.
  await page.getByTestId('undo').click();
  await expect(page.locator('[data-testid^="assignment-"]', { hasText: 'carol@contoso.com' }).locator('[data-testid$="-role"]')).toHaveValue('Network Contributor');
  await page.getByTestId('undo').click();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('group-grp-bastion-users-remove-carol@contoso.com')).toHaveCount(0);
  await expect(page.getByTestId('undo')).toBeDisabled();
  expect(errors).toEqual([]);
});

test('a peering link flag decides whether the spoke is reached; its state is shown, derived', async ({ page }) => {
  const errors = await openPage(page);
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  const vm = 'vm-app2-sql01';
  const link = 'peer-vnet-hub-weu-to-vnet-spoke-app2-weu';
  expect(outcomeOf(await verdictHeading(await verdictOf(page, vm)))).toBe('reachable');

  await page.getByTestId('node-vnet-hub-weu').click({ position: { x: 12, y: 12 } });
  await page.getByTestId('inspector').getByRole('button', { name: link, exact: true }).click();
  await expect(page.getByTestId('prop-peering-state')).toHaveText('Connected');
  const access = page.getByTestId('prop-allow-vnet-access');
  await expect(access).toBeChecked();
  await access.press('Space');
  await expect(access).not.toBeChecked();

  const verdict = await verdictOf(page, vm);
  expect(outcomeOf(await verdictHeading(verdict))).toBe('blocked');
  await expect(verdict).toContainText('R-PEER');
  await page.getByTestId('undo').click();
  await expect.poll(async () => outcomeOf(await verdictHeading(verdict))).toBe('reachable');
  expect(errors).toEqual([]);
});
