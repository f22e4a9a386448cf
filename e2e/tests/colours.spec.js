// Selecting a Bastion colours the VMs by whether it reaches them: a reachable VM and a
// blocked VM must end up looking different. Needs a scenario where one Bastion has both.
const { test, expect } = require('@playwright/test');
const path = require('path');
const cli = require('../support/cli');
const { openPage, pickScenario, lookOf, lookChange } = require('../support/page');

// The first (scenario, Bastion) with both a reachable and a blocked VM, per `bastion-sim analyze`
// (the scenario tests check that the page's verdicts agree with it).
function findMixedBastion() {
  for (const name of cli.scenarioNames()) {
    const { vnets, bastions, vms } = cli.resources(name);
    const verdicts = cli.vmVerdicts(name);
    for (const bastion of bastions) {
      const reachable = vms.filter((vm) => verdicts.get(`${bastion}|${vm}`) === 'reachable');
      const blocked = vms.filter((vm) => verdicts.get(`${bastion}|${vm}`) === 'blocked');
      if (reachable.length && blocked.length) return { name, vnets, bastion, vms, reachable, blocked };
    }
  }
  return null;
}

test('clicking a Bastion colours reachable and blocked VMs differently', async ({ page }) => {
  const mixed = findMixedBastion();
  expect(mixed, 'no built-in scenario has a Bastion that reaches one VM and not another').not.toBeNull();

  // A fresh page, so nothing is selected; then select the Bastion.
  await openPage(page);
  await pickScenario(page, mixed.name, mixed.vnets[0]);
  const before = new Map();
  for (const vm of mixed.vms) before.set(vm, await lookOf(page.getByTestId(`node-${vm}`)));
  await page.getByTestId(`node-${mixed.bastion}`).click();
  await page.waitForTimeout(200);
  await page.screenshot({
    path: path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots', `${mixed.name}--${mixed.bastion}-selected.png`),
    fullPage: true,
  });
  const change = async (vm) => lookChange(before.get(vm), await lookOf(page.getByTestId(`node-${vm}`)));

  const reachable = await Promise.all(mixed.reachable.map(change));
  const blocked = await Promise.all(mixed.blocked.map(change));
  const where = `${mixed.name}, ${mixed.bastion}: reachable ${mixed.reachable}, blocked ${mixed.blocked}`;
  expect(reachable.some(Boolean) || blocked.some(Boolean), `selecting the Bastion changed no VM's look (${where})`).toBe(
    true,
  );
  for (const [i, ok] of reachable.entries()) {
    for (const [j, ko] of blocked.entries()) {
      const pair = `${mixed.reachable[i]} (reachable) and ${mixed.blocked[j]} (blocked)`;
      expect(ok, `${pair} look the same after selecting ${mixed.bastion} (${where})`).not.toBe(ko);
    }
  }
});
