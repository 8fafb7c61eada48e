import { expect, type Page, test } from '@playwright/test';
import { type Account, screenshotPath, settle, signInThroughForm, UUID } from './support/app';
import { accountWithMockModels } from './support/mock-llm';

/** Same answer length, three speeds: the fast one must finish first and get the badge. */
const MODELS = {
  Swift: 'mock-chat@ttft=50,tps=300,tokens=40',
  Steady: 'mock-chat@ttft=400,tps=60,tokens=40',
  // Slow enough (≈ 10 s) that it is still streaming while the page is checked, even on a loaded machine.
  Thinker: 'mock-reasoning@ttft=800,tps=10,tokens=60,reasoning=40',
} as const;
type ModelName = keyof typeof MODELS;
const NAMES = Object.keys(MODELS) as ModelName[];

let user: Account;

test.beforeAll(async () => {
  user = await accountWithMockModels('Compare', MODELS, 'Swift');
});

const column = (page: Page, index: number) => page.locator(`[data-testid="compare-column"][data-column="${index}"]`);

test('three models answer side by side with live metrics and a fastest badge; a rating survives reopening from the history', async ({
  page,
}) => {
  test.setTimeout(120_000); // three streams, a follow-up and screenshots in both schemes: ≈ 50 s on this machine
  await signInThroughForm(page, user.email, user.password);
  await page.goto('/compare');
  await expect(page.getByTestId('compare-empty')).toBeVisible();
  await page.screenshot({ path: screenshotPath('compare-empty-light') });

  // Pick the three models; the choice is remembered for next time.
  await page.getByTestId('compare-model-select').click();
  for (const name of NAMES) await page.getByTestId(`compare-model-option-${name}`).click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-send')).toBeDisabled();
  // The toolbar holds still as the picker loses focus: the first click on History opens it (it used to move away
  // under the mouse-down and the click was lost).
  await page.getByTestId('compare-history-toggle').click();
  await expect(page.locator('.el-drawer')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.el-drawer')).toBeHidden();

  const prompt = `Explain rainbows ${Date.now().toString(36)}`;
  await page.getByTestId('compare-prompt').fill(prompt);
  await page.getByTestId('compare-prompt').press('Control+Enter');

  await expect(page).toHaveURL(new RegExp(`/compare/${UUID.source}$`));
  const runId = page.url().split('/').pop()!;
  await expect(page.getByTestId('compare-column')).toHaveCount(3);
  for (const [index, name] of NAMES.entries()) await expect(column(page, index)).toContainText(name);

  // Live: the slow thinker is still going while the fast one has already finished, with its figures.
  await expect(column(page, 0)).toHaveAttribute('data-status', 'complete', { timeout: 15_000 });
  await expect(column(page, 2)).toHaveAttribute('data-status', 'streaming');
  await expect(page.getByTestId('compare-stop-all')).toBeVisible();
  await expect(column(page, 2).getByTestId('compare-column-stop')).toBeVisible();
  await expect(column(page, 2).getByTestId('compare-metrics')).toContainText('Total');
  await page.screenshot({ path: screenshotPath('compare-streaming-light') });

  for (let index = 0; index < 3; index++) {
    await expect(column(page, index)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    const metrics = column(page, index).getByTestId('compare-metrics');
    await expect(metrics).toContainText('First token');
    await expect(metrics).toContainText('Tokens/s');
    await expect(metrics).toContainText(/\d+ → \d+/);
    await expect(column(page, index).getByTestId('column-content')).toContainText(/\w+/);
  }
  await expect(column(page, 2).getByTestId('thinking-panel')).toBeVisible();
  await expect(column(page, 0).getByTestId('compare-metrics')).toContainText('Est. cost');
  await expect(page.getByTestId('compare-fastest')).toHaveCount(1);
  await expect(column(page, 0).getByTestId('compare-fastest')).toBeVisible();
  await expect(page.getByTestId('compare-send')).toBeVisible();

  // Rate the second answer: four stars and a note.
  const rating = column(page, 1).getByTestId('compare-rate');
  await rating.locator('.el-rate__item').nth(3).click();
  await expect(rating).toHaveAttribute('data-stars', '4');
  await rating.getByTestId('compare-rate-note-toggle').click();
  await rating.getByTestId('compare-rate-note-input').fill('Clear and calm');
  await rating.getByTestId('compare-rate-save').click();
  await expect(rating.getByTestId('compare-rate-note')).toHaveText('Clear and calm');

  await settle(page);
  await page.screenshot({ path: screenshotPath('compare-done-light'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await settle(page);
  await page.screenshot({ path: screenshotPath('compare-done-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // A follow-up goes to every column.
  await page.getByTestId('compare-prompt').fill('And in one sentence?');
  await page.getByTestId('compare-send').click();
  await expect(page.getByTestId('compare-turn')).toHaveCount(2);
  const second = page.locator('[data-testid="compare-turn"][data-turn="1"]');
  await expect(second.locator('[data-testid="compare-column"][data-status="complete"]')).toHaveCount(3, {
    timeout: 30_000,
  });

  // Later: start afresh, then reopen the run from the history.
  await page.getByTestId('compare-new').click();
  await expect(page).toHaveURL(/\/compare$/);
  await expect(page.getByTestId('compare-empty')).toBeVisible();
  await page.reload();
  // The model choice was remembered.
  for (const name of NAMES) await expect(page.getByTestId('compare-model-select')).toContainText(name);

  await page.getByTestId('compare-history-toggle').click();
  const item = page.locator(`[data-testid="compare-history-item"][data-run-id="${runId}"]`);
  await expect(item).toContainText(prompt);
  await expect(item).toContainText('Swift · Steady · Thinker');
  await page.screenshot({ path: screenshotPath('compare-history-light') });
  await item.getByTestId('compare-history-open').click();
  await expect(page).toHaveURL(new RegExp(`/compare/${runId}$`));
  await expect(page.getByTestId('compare-turn')).toHaveCount(2);
  const first = page.locator('[data-testid="compare-turn"][data-turn="0"]');
  await expect(first.getByTestId('compare-turn-prompt')).toHaveText(prompt);
  await expect(first.locator('[data-testid="compare-column"][data-status="complete"]')).toHaveCount(3);
  await expect(first.locator('[data-column="1"]').getByTestId('compare-rate')).toHaveAttribute('data-stars', '4');
  await expect(first.locator('[data-column="1"]').getByTestId('compare-rate-note')).toHaveText('Clear and calm');
  await expect(first.locator('[data-column="0"]').getByTestId('compare-fastest')).toBeVisible();

  // Export as CSV: the browser saves a file named after the run.
  const download = page.waitForEvent('download');
  await page.getByTestId('compare-export').click();
  await page.getByTestId('compare-export-csv').click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});

test('stopping one column keeps the others going', async ({ page }) => {
  await signInThroughForm(page, user.email, user.password);
  await page.goto('/compare');
  await page.getByTestId('compare-model-select').click();
  // The choice of the other test may be remembered in this browser context: start from two models.
  for (const name of ['Swift', 'Thinker'] as const) {
    const option = page.getByTestId(`compare-model-option-${name}`);
    if (!(await option.getAttribute('class'))?.includes('is-selected')) await option.click();
  }
  const steady = page.getByTestId('compare-model-option-Steady');
  if ((await steady.getAttribute('class'))?.includes('is-selected')) await steady.click();
  await page.keyboard.press('Escape');
  await page.getByTestId('compare-prompt').fill('Stop the slow one');
  await page.getByTestId('compare-send').click();
  const thinker = page.locator('[data-testid="compare-column"]', { hasText: 'Thinker' });
  await expect(thinker.getByTestId('compare-column-stop')).toBeVisible();
  await thinker.getByTestId('compare-column-stop').click();
  await expect(thinker).toHaveAttribute('data-status', 'stopped', { timeout: 15_000 });
  const swift = page.locator('[data-testid="compare-column"]', { hasText: 'Swift' });
  await expect(swift).toHaveAttribute('data-status', 'complete', { timeout: 15_000 });
  await expect(page.getByTestId('compare-send')).toBeVisible();
});
