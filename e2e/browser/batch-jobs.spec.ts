import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { type Account, screenshotPath, settle, signInThroughForm, UUID } from './support/app';
import { accountWithMockModels } from './support/mock-llm';

/** An echo (answers with the question: a perfect score where the expected answer is the question) and a chatty one. */
const MODELS = {
  'Batch Echo': 'mock-echo@ttft=5,tps=0',
  'Batch Chat': 'mock-chat@ttft=40,tps=0,tokens=8',
} as const;
type ModelName = keyof typeof MODELS;
const NAMES = Object.keys(MODELS) as ModelName[];

let user: Account;

test.beforeAll(async () => {
  user = await accountWithMockModels('Batch', MODELS, 'Batch Chat');
});

const CSV = [
  'question,expected',
  '"Say: the cat sat on the mat","Say: the cat sat on the mat"',
  '"Name a primary colour","Red"',
  '"Count to three","one, two, three"',
  '"What is 2 + 2?","4"',
].join('\n');

test('uploads a CSV with expected answers for two models, follows it to 100% and downloads the XLSX report', async ({
  page,
}) => {
  await signInThroughForm(page, user.email, user.password);
  await page.getByTestId('nav-batch-jobs').click();
  await expect(page).toHaveURL(/\/batch-jobs$/);
  await expect(page.getByTestId('batch-empty')).toBeVisible();

  // The new batch: the file is previewed before anything is sent.
  await page.getByTestId('batch-new').click();
  const dialog = page.getByTestId('batch-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('batch-submit')).toBeDisabled();
  await page
    .getByTestId('batch-file-input')
    .setInputFiles({ name: 'qa.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await expect(page.getByTestId('batch-preview-count')).toHaveText('4 questions found');
  await expect(page.getByTestId('batch-preview')).toContainText('With expected answers');
  await expect(page.getByTestId('batch-preview-row')).toHaveCount(4);

  await page.getByTestId('batch-model-select').click();
  for (const name of NAMES) await page.getByTestId(`batch-model-option-${name}`).click();
  await page.keyboard.press('Escape');
  await dialog.locator('[data-testid="batch-concurrency"] input').first().fill('2');
  await dialog.locator('[data-testid="batch-concurrency"] input').first().press('Tab');
  const name = `Browser batch ${Date.now().toString(36)}`;
  await page.getByTestId('batch-name').fill(name);
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-new-light') });

  await page.getByTestId('batch-submit').click();
  await expect(page).toHaveURL(new RegExp(`/batch-jobs/${UUID.source}$`));
  await expect(page.getByTestId('batch-title')).toHaveText(name);

  // Live progress over SSE until every cell is done.
  await expect(page.getByTestId('batch-progress')).toHaveAttribute('data-percent', '100', { timeout: 30_000 });
  await expect(page.getByTestId('batch-progress-count')).toHaveText('8 of 8 answers');
  await expect(page.getByTestId('batch-status')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('batch-cancel')).toHaveCount(0);
  await expect(page.getByTestId('batch-model-progress')).toHaveCount(2);

  // The report: statistics per model with BLEU and ROUGE-L, the charts and the answer grid.
  await expect(page.getByTestId('batch-summary-row')).toHaveCount(2);
  const echoRow = page.locator('[data-testid="batch-summary-row"][data-name="Batch Echo"]');
  await expect(echoRow).toContainText('mock-echo');
  await expect(echoRow.getByTestId('batch-summary-bleu')).toHaveText(/^\d\.\d{3}$/);
  await expect(echoRow.getByTestId('batch-summary-rouge')).toHaveText(/^\d\.\d{3}$/);
  await expect(page.locator('[data-testid="batch-summary-row"][data-name="Batch Chat"]')).toContainText('$');
  await expect(page.getByTestId('batch-chart-latency').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('batch-chart-box').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('batch-chart-quality').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('batch-grid-cell')).toHaveCount(8);
  await expect(page.locator('[data-testid="batch-grid-cell"][data-status="complete"]')).toHaveCount(8);
  await expect(page.getByTestId('batch-grid-cell').first()).toContainText('the cat sat on the mat');
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-report-light') });
  await page.getByTestId('batch-chart-latency').scrollIntoViewIfNeeded();
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-charts-light') });

  // A row opens to the full answers, rendered as Markdown.
  await page.getByTestId('batch-grid').locator('.el-table__expand-icon').first().click();
  await expect(page.getByTestId('batch-grid-expanded').first()).toContainText('Answer of Batch Chat');
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-grid-light') });

  // The XLSX report downloads with the batch's name.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('batch-download-xlsx').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(download.suggestedFilename()).toContain(name);
  const bytes = await readFile((await download.path())!);
  expect(bytes.byteLength).toBeGreaterThan(1000);
  expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip container, as every .xlsx is

  // Dark mode: the charts take the dark palette too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.getByTestId('batch-grid-expanded').first().scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0); // no hover effect in the picture
  await page.waitForTimeout(500); // Element Plus' table cells fade their background to the new theme
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-grid-dark') });
  await page.getByTestId('batch-chart-latency').scrollIntoViewIfNeeded();
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-charts-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Back on the list, the batch is there, finished.
  await page.getByTestId('batch-back').click();
  await expect(page).toHaveURL(/\/batch-jobs$/);
  const row = page.locator('[data-testid="batch-row"]', { hasText: name });
  await expect(row).toHaveAttribute('data-status', 'completed');
  await expect(row).toContainText('8 / 8');
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-list-light') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page);
  await page.screenshot({ path: screenshotPath('batch-list-dark') });
});
