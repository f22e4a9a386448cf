// Selecting a Bastion colours the VMs by whether it reaches them: a reachable VM and a
// blocked VM must end up looking different. The verdicts come from the page's own
// inspector, so the test needs a scenario where one Bastion has both kinds of VM.
const { test, expect } = require('@playwright/test');
const cli = require('../support/cli');
const { openPage, pickScenario, outcomeOf, lookOf, lookChange } = require('../support/page');

// The first (scenario, Bastion) with both a reachable and a blocked VM, as the page says.
async function findMixedBastion(page) {
  for (const name of cli.scenarioNames()) {
    const { vnets, bastions, vms } = cli.resources(name);
    if (bastions.length === 0 || vms.length < 2) continue;
    await pickScenario(page, name, vnets[0]);
    const outcomes = new Map(bastions.map((it) => [it, { reachable: [], blocked: [] }]));
    for (const vm of vms) {
      await page.getByTestId(`node-${vm}`).click();
      for (const bastion of bastions) {
        const verdict = page.getByTestId('inspector').getByTestId(`verdict-${bastion}-${vm}`);
        if ((await verdict.count()) === 0) continue;
        const outcome = outcomeOf(await verdict.first().innerText());
        if (outcome) outcomes.get(bastion)[outcome].push(vm);
      }
    }
    for (const [bastion, split] of outcomes) {
      if (split.reachable.length && split.blocked.length) return { name, vnets, bastion, vms, ...split };
    }
  }
  return null;
}

test('clicking a Bastion colours reachable and blocked VMs differently', async ({ page }) => {
  await openPage(page);
  const mixed = await findMixedBastion(page);
  expect(mixed, 'no built-in scenario has a Bastion that reaches one VM and not another').not.toBeNull();

  // Start from a fresh page so nothing is selected, then select the Bastion.
  await page.reload();
  await pickScenario(page, mixed.name, mixed.vnets[0]);
  const before = new Map();
  for (const vm of mixed.vms) before.set(vm, await lookOf(page.getByTestId(`node-${vm}`)));
  await page.getByTestId(`node-${mixed.bastion}`).click();
  await page.waitForTimeout(200);
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
