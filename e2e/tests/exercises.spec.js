// Graded exercises as a student meets them: picked in the picker or opened by a link, the
// panel over the canvas shows the task, each goal and the score (`exercise-score`), the same
// score `bastion-sim score` gives; a repair made on the page raises it, Undo lowers it again,
// and the exercise survives a reload and a share link.
const { test, expect } = require('@playwright/test');
const path = require('path');
const cli = require('../support/cli');
const { openPage, pickScenario } = require('../support/page');

const screenshots = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

// The command-line tool's grade of an exercise's starting design.
function startScore(name) {
  const score = JSON.parse(cli.run(['score', name, `exercise:${name}`, '--json']));
  const percent = Math.floor((score.earned * 100) / score.total);
  return { ...score, summary: `Score ${score.earned} / ${score.total} (${percent} %)` };
}

test('picking an exercise shows its goals and the score the command-line tool gives', async ({ page }) => {
  const errors = await openPage(page);
  const expected = startScore('exercise-bastion-nsg');
  await expect(page.getByTestId('exercise-score')).toHaveCount(0);
  await pickScenario(page, 'exercise-bastion-nsg', 'vnet-hub-weu');
  const score = page.getByTestId('exercise-score');
  await expect(score).toHaveText(expected.summary);
  expect(expected.summary).toBe('Score 1 / 6 (16 %)');
  for (const [i, goal] of expected.goals.entries()) {
    const item = page.getByTestId(`exercise-goal-${i}`);
    await expect(item).toContainText(goal.goal);
    await expect(item).toHaveAttribute('data-met', String(goal.met));
  }
  // The unmet Connect goal names the blocker.
  await expect(page.getByTestId('exercise-goal-0')).toContainText('B-HEALTH-4');
  await page.screenshot({ path: path.join(screenshots, 'exercise-bastion-nsg.png') });

  // The repair: the finding's Fix button. Every goal is met; Undo takes the credit back.
  await page.getByTestId('fix-B-HEALTH-4-bas-hub-weu').click();
  await expect(score).toHaveText('Score 6 / 6 (100 %)');
  await expect(page.getByTestId('exercise')).toContainText('Every goal is met');
  await page.getByTestId('undo').click();
  await expect(score).toHaveText('Score 1 / 6 (16 %)');

  // Leaving for a scenario leaves the exercise.
  await pickScenario(page, 'hub-spoke', 'vnet-hub-weu');
  await expect(page.getByTestId('exercise')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an exercise link opens the exercise, and a reload and a share link keep its grading', async ({ page, context }) => {
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('./?exercise=exercise-public-ip');
  const score = page.getByTestId('exercise-score');
  await expect(score).toHaveText(startScore('exercise-public-ip').summary);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('exercise-public-ip');

  // Close the jump box's public door with its finding's Fix button: full marks.
  await page.getByTestId('fix-CAF-R10-vm-app2-jump01').click();
  await expect(score).toHaveText('Score 5 / 5 (100 %)');

  // Autosave runs a moment after the last edit; the reload restores design and exercise.
  await page.waitForTimeout(800);
  await page.goto('./');
  await expect(page.getByTestId('exercise-score')).toHaveText('Score 5 / 5 (100 %)');

  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  const other = await context.newPage();
  other.on('pageerror', (err) => errors.push(err.message));
  await other.goto(link);
  await expect(other.getByTestId('exercise-score')).toHaveText('Score 5 / 5 (100 %)');
  expect(errors).toEqual([]);
});
