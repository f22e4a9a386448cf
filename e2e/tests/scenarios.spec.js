// Every built-in scenario, picked in the page: the canvas draws its VNets, peerings,
// Bastions and VMs; clicking a VM shows each Bastion's verdict; the findings list is the
// command-line tool's. A screenshot of each is kept under artifacts/screenshots/.
const { test, expect } = require('@playwright/test');
const path = require('path');
const cli = require('../support/cli');
const { openPage, pickScenario, outcomeOf, verdictHeading } = require('../support/page');

const screenshots = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

let names = [];
let listError = null;
try {
  names = cli.scenarioNames();
} catch (err) {
  listError = err;
}

test('the command-line tool lists the built-in scenarios', () => {
  if (listError) throw listError;
  expect(names.length).toBeGreaterThan(0);
});

for (const name of names) {
  test.describe(`scenario ${name}`, () => {
    test('renders every VNet, peering, Bastion and VM, with no console error', async ({ page }) => {
      const { vnets, bastions, vms, peerings } = cli.resources(name);
      const errors = await openPage(page);
      await pickScenario(page, name, vnets[0]);
      for (const node of [...vnets, ...bastions, ...vms]) {
        await expect(page.getByTestId(`node-${node}`), `node-${node}`).toBeVisible();
      }
      // A peering is two links; the canvas draws each pair at least once.
      for (const link of peerings) {
        const reverse = peerings.find((it) => it.from === link.to && it.to === link.from);
        const ids = [link.name, ...(reverse ? [reverse.name] : [])].map((it) => `edge-${it}`);
        const drawn = page.locator(ids.map((id) => `[data-testid="${id}"]`).join(', '));
        await expect(drawn.first(), `${ids.join(' or ')}`).toBeAttached();
      }
      await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
    });

    test('clicking a VM shows every Bastion\'s verdict on it, as the command-line tool gives it', async ({ page }) => {
      const { vnets, bastions, vms } = cli.resources(name);
      const expected = cli.vmVerdicts(name);
      test.skip(vms.length === 0 || bastions.length === 0, 'no VM or no Bastion in this scenario');
      await openPage(page);
      await pickScenario(page, name, vnets[0]);
      const inspector = page.getByTestId('inspector');
      for (const vm of vms) {
        await page.getByTestId(`node-${vm}`).click();
        for (const bastion of bastions) {
          const verdict = inspector.getByTestId(`verdict-${bastion}-${vm}`);
          await expect(verdict, `verdict-${bastion}-${vm}`).toBeVisible();
          const text = await verdictHeading(verdict);
          const outcome = outcomeOf(text);
          expect(outcome, `verdict-${bastion}-${vm} says "${text}"`).not.toBeNull();
          const cliSays = expected.get(`${bastion}|${vm}`);
          if (cliSays) expect(outcome, `verdict-${bastion}-${vm} says "${text}"; bastion-sim says ${cliSays}`).toBe(cliSays);
        }
        if (vm === vms[0]) {
          await page.screenshot({ path: path.join(screenshots, `${name}--${vm}-verdicts.png`), fullPage: true });
        }
      }
    });

    test('the findings list equals `bastion-sim analyze --json`', async ({ page }) => {
      const expected = cli.findingTestIds(name);
      const { vnets } = cli.resources(name);
      await openPage(page);
      await pickScenario(page, name, vnets[0]);
      const shown = () =>
        page
          .locator('[data-testid^="finding-"]')
          .evaluateAll((list) => [...new Set(list.map((it) => it.dataset.testid))].sort());
      await expect.poll(shown, { message: `findings of ${name}` }).toEqual(expected);
    });
  });
}
