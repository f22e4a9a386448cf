// The editor driven only by mouse and keyboard, on the real elements: a new design, hub
// and spoke built from the empty canvas by dragging from the palette and between VNet
// handles, the Bastion's verdicts, a peering link deleted and restored, and the drag and
// selection gestures (move, re-parent, shift-click, rubber band), each one undo step.
const { test, expect } = require('@playwright/test');
const path = require('path');
const { openPage, readmeShot } = require('../support/page');

// Drags a palette item and drops it on `target` (a locator), at `position` inside it.
async function dropFromPalette(page, kind, target, position) {
  await page.getByTestId(`palette-${kind}`).dragTo(target, position ? { targetPosition: position } : {});
}

// Presses at `from`, moves in steps to `to` and releases (screen coordinates).
async function drag(page, from, to, { shift = false, steps = 8 } = {}) {
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
  if (shift) await page.keyboard.up('Shift');
}

// Waits until `locator` is drawn (dx, dy) screen pixels from `before`; positions are kept
// in whole canvas units, so a pixel or two either way.
async function expectMoved(locator, before, dx, dy) {
  await expect
    .poll(async () => {
      const now = await box(locator);
      return Math.max(Math.abs(now.x - before.x - dx), Math.abs(now.y - before.y - dy));
    })
    .toBeLessThan(2);
}

async function box(locator) {
  const it = await locator.boundingBox();
  expect(it).not.toBeNull();
  return it;
}

// A point on a VNet's header, clear of its handle: where a person grabs the box.
async function header(page, vnet) {
  const it = await box(page.getByTestId(`node-${vnet}`));
  return { x: it.x + 60, y: it.y + 12 };
}

function centre(it) {
  return { x: it.x + it.width / 2, y: it.y + it.height / 2 };
}

// Drags from a VNet's handle to the middle of another VNet.
async function connect(page, from, to) {
  const handle = centre(await box(page.getByTestId(`handle-${from}`)));
  const target = centre(await box(page.getByTestId(`node-${to}`)));
  await drag(page, handle, target);
}

async function newDesign(page) {
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('new-design').click();
  await expect(page.locator('[data-testid^="node-"]')).toHaveCount(0);
}

// Hub and spoke from the empty canvas: vnet-1 (hub, with the Bastion), vnet-2 and vnet-3
// (spokes, one VM each), peered hub ↔ spoke by dragging the hub's handle.
async function buildHubAndSpoke(page) {
  await newDesign(page);
  const canvas = page.getByTestId('canvas');
  const size = await box(canvas);
  await dropFromPalette(page, 'vnet', canvas, { x: size.width * 0.33, y: 90 });
  await expect(page.getByTestId('node-vnet-1')).toBeVisible();
  await dropFromPalette(page, 'vnet', canvas, { x: 70, y: size.height * 0.5 });
  await expect(page.getByTestId('node-vnet-2')).toBeVisible();
  await dropFromPalette(page, 'vnet', canvas, { x: size.width * 0.58, y: size.height * 0.5 });
  await expect(page.getByTestId('node-vnet-3')).toBeVisible();

  await connect(page, 'vnet-1', 'vnet-2');
  await expect(page.getByTestId('edge-peer-vnet-1-to-vnet-2')).toHaveClass(/connected/);
  await expect(page.getByTestId('edge-peer-vnet-2-to-vnet-1')).toHaveClass(/connected/);
  await connect(page, 'vnet-1', 'vnet-3');
  await expect(page.getByTestId('edge-peer-vnet-1-to-vnet-3')).toHaveClass(/connected/);

  await dropFromPalette(page, 'bastion', page.getByTestId('node-vnet-1'));
  await expect(page.getByTestId('node-bas-vnet-1')).toBeVisible();
  for (const spoke of ['vnet-2', 'vnet-3']) {
    await dropFromPalette(page, 'vm', page.getByTestId(`node-${spoke}`).locator('.subnet-band').first());
  }
  await expect(page.getByTestId('node-vm-1')).toBeVisible();
  await expect(page.getByTestId('node-vm-2')).toBeVisible();
}

test('hub and spoke built from an empty canvas by mouse: the Bastion reaches both VMs until a link goes', async ({ page }) => {
  const errors = await openPage(page);
  await buildHubAndSpoke(page);

  await page.getByTestId('node-bas-vnet-1').click();
  await expect(page.getByTestId('node-vm-1')).toHaveClass(/reachable/);
  await expect(page.getByTestId('node-vm-2')).toHaveClass(/reachable/);
  await expect(page.getByTestId('node-bas-vnet-1')).toHaveClass(/selected/);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: readmeShot('editor.png') });

  // Select one link of hub ↔ spoke 2 and delete it alone: the other stays, Disconnected.
  await page.getByTestId('edge-peer-vnet-1-to-vnet-3').click();
  await expect(page.getByTestId('edge-peer-vnet-1-to-vnet-3')).toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('edge-peer-vnet-1-to-vnet-3')).toHaveCount(0);
  await expect(page.getByTestId('edge-peer-vnet-3-to-vnet-1')).toHaveClass(/disconnected/);
  await page.getByTestId('node-vm-2').click();
  await expect(page.getByTestId('verdict-bas-vnet-1-vm-2')).toContainText('R-PEER');
  await page.getByTestId('node-bas-vnet-1').click();
  await expect(page.getByTestId('node-vm-2')).toHaveClass(/blocked/);
  await expect(page.getByTestId('node-vm-1')).toHaveClass(/reachable/);

  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('edge-peer-vnet-1-to-vnet-3')).toHaveClass(/connected/);
  await page.getByTestId('node-bas-vnet-1').click();
  await expect(page.getByTestId('node-vm-2')).toHaveClass(/reachable/);
  expect(errors).toEqual([]);
});

test('a VNet drags with its contents as one undo step; shift-click and the rubber band select several', async ({ page }) => {
  const errors = await openPage(page);
  await buildHubAndSpoke(page);
  const vnet = page.getByTestId('node-vnet-3');
  const vm = page.getByTestId('node-vm-2');
  const [vnetBefore, vmBefore] = [await box(vnet), await box(vm)];

  const grab = await header(page, 'vnet-3');
  await drag(page, grab, { x: grab.x + 40, y: grab.y + 50 });
  await expectMoved(vnet, vnetBefore, 40, 50);
  await expectMoved(vm, vmBefore, 40, 50);
  await page.keyboard.press('Control+z');
  await expectMoved(vnet, vnetBefore, 0, 0);
  await expectMoved(vm, vmBefore, 0, 0);

  // A click on what is already selected changes nothing, and the next drag still works.
  const again = await header(page, 'vnet-3');
  await page.mouse.click(again.x, again.y);
  await page.mouse.click(again.x, again.y);
  await drag(page, again, { x: again.x + 20, y: again.y });
  await expectMoved(vnet, vnetBefore, 20, 0);
  await page.keyboard.press('Control+z');
  await expectMoved(vnet, vnetBefore, 0, 0);

  // Click vnet-3, shift-click vnet-2: both selected; dragging one moves both.
  await page.mouse.click((await header(page, 'vnet-3')).x, (await header(page, 'vnet-3')).y);
  const spoke1 = await header(page, 'vnet-2');
  await page.keyboard.down('Shift');
  await page.mouse.click(spoke1.x, spoke1.y);
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('node-vnet-3')).toHaveClass(/selected/);
  await expect(page.getByTestId('node-vnet-2')).toHaveClass(/selected/);
  const spoke1Before = await box(page.getByTestId('node-vnet-2'));
  const from = await header(page, 'vnet-3');
  await drag(page, from, { x: from.x, y: from.y + 30 });
  await expectMoved(page.getByTestId('node-vnet-2'), spoke1Before, 0, 30);
  await expectMoved(vnet, vnetBefore, 0, 30);
  // Shift-click again takes one out of the selection.
  await page.keyboard.down('Shift');
  await page.mouse.click(spoke1.x, spoke1.y + 30);
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('node-vnet-2')).not.toHaveClass(/selected/);
  await expect(page.getByTestId('node-vnet-3')).toHaveClass(/selected/);

  // Escape clears; a shift-drag on empty canvas round the hub selects it and its cards only.
  await page.keyboard.press('Escape');
  const hub = await box(page.getByTestId('node-vnet-1'));
  await drag(page, { x: hub.x - 12, y: hub.y - 12 }, { x: hub.x + hub.width + 12, y: hub.y + hub.height + 12 }, { shift: true });
  await expect(page.getByTestId('node-vnet-1')).toHaveClass(/selected/);
  await expect(page.getByTestId('node-bas-vnet-1')).toHaveClass(/selected/);
  await expect(page.getByTestId('node-vnet-2')).not.toHaveClass(/selected/);
  expect(errors).toEqual([]);
});

test('a VM dragged into another subnet moves there and takes an address of it', async ({ page }) => {
  const errors = await openPage(page);
  await buildHubAndSpoke(page);
  await dropFromPalette(page, 'subnet', page.getByTestId('node-vnet-2'), { x: 30, y: 10 });
  const bands = page.getByTestId('node-vnet-2').locator('.subnet-band');
  await expect(bands).toHaveCount(2);
  await expect(page.getByTestId('node-vm-1')).toContainText('10.1.0.4');
  const card = await box(page.getByTestId('node-vm-1'));
  const target = await box(bands.nth(1));
  await drag(page, { x: card.x + 20, y: card.y + 20 }, { x: target.x + target.width / 2, y: target.y + 8 });
  await expect(page.getByTestId('node-vm-1')).toContainText('10.1.1.4');
  const moved = await box(page.getByTestId('node-vm-1'));
  const band = await box(bands.nth(1));
  expect(moved.y).toBeGreaterThan(band.y);
  expect(moved.y + moved.height).toBeLessThan(band.y + band.height + 1);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-vm-1')).toContainText('10.1.0.4');
  // A drop the design cannot take says why and changes nothing.
  await dropFromPalette(page, 'vnet', page.getByTestId('node-vnet-2'), { x: 30, y: 10 });
  await expect(page.getByTestId('notice')).toContainText('empty canvas');
  await expect(page.getByTestId('node-vnet-4')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an NSG dropped on a subnet is created and attached in one undo step', async ({ page }) => {
  const errors = await openPage(page);
  await buildHubAndSpoke(page);
  await dropFromPalette(page, 'nsg', page.getByTestId('node-vnet-2').locator('.subnet-band').first(), { x: 8, y: 8 });
  await expect(page.getByTestId('node-vnet-2').locator('.nsg-badge')).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-vnet-2').locator('.nsg-badge')).toHaveCount(0);
  expect(errors).toEqual([]);
});
