import { randomUUID } from 'node:crypto';
import type { ModelConfig } from '@modelyard/contracts';
import { expect, type Page, test } from '@playwright/test';
import {
  type Account,
  ADMIN,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  authed,
  createAccount,
  screenshotPath,
  settle,
  signInThroughForm,
} from './support/app';
import { createMockProvider, createModelConfigs } from './support/mock-llm';

let voter: Account;
let enrolled: ModelConfig[];

/** The arena is global: this file enrols its own two shared configs (distinctive names, to look for in the page). */
test.beforeAll(async () => {
  const tag = randomUUID().slice(0, 6);
  const providerId = await createMockProvider(`Arena mock ${tag}`);
  enrolled = await createModelConfigs(ADMIN, [
    { name: `Falcon ${tag}`, providerId, model: 'mock-chat@ttft=300,tps=30,tokens=40', visibility: 'shared' },
    // A reasoning model: its thinking must not give it away before the vote.
    { name: `Heron ${tag}`, providerId, model: 'mock-reasoning@ttft=500,tps=20,tokens=50', visibility: 'shared' },
  ]);
  const { api, headers } = await authed(ADMIN);
  try {
    const put = await api.put('/api/arena/models', { headers, data: { modelConfigIds: enrolled.map((c) => c.id) } });
    expect(put.status(), await put.text()).toBe(200);
  } finally {
    await api.dispose();
  }
  voter = await createAccount('arena');
});

/** Nothing in the page (text, attributes, hidden nodes) names an enrolled model or its upstream model. */
async function expectAnonymous(page: Page): Promise<void> {
  const html = await page.content();
  for (const config of enrolled) {
    expect(html).not.toContain(config.name);
    expect(html).not.toContain(config.id);
    expect(html).not.toContain(config.model);
  }
}

test('a blind battle streams two anonymous answers, reveals the models after the vote, and counts on the leaderboard', async ({
  page,
}) => {
  await signInThroughForm(page, voter.email, voter.password);
  await page.goto('/arena');
  await expect(page.getByTestId('arena-battle')).toBeVisible();
  await expect(page.getByTestId('arena-tab-manage')).toHaveCount(0);

  await page.getByTestId('arena-prompt').fill('Write a haiku about rivers');
  await page.getByTestId('arena-start').click();
  const columns = page.getByTestId('arena-column');
  await expect(columns).toHaveCount(2);
  await expect(columns.nth(0)).toContainText('Model A');
  await expect(columns.nth(1)).toContainText('Model B');
  await expect(page.getByTestId('arena-vote-a')).toBeDisabled();
  await expectAnonymous(page);

  for (let side = 0; side < 2; side++) {
    await expect(columns.nth(side)).toHaveAttribute('data-status', 'complete', { timeout: 20_000 });
    await expect(columns.nth(side).getByTestId('column-content')).toContainText(/\w+/);
  }
  await expect(page.getByTestId('arena-vote-a')).toBeEnabled();
  await expectAnonymous(page);
  await expect(page.getByTestId('thinking-panel')).toHaveCount(0);
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-battle-light'), fullPage: true });

  await page.getByTestId('arena-vote-a').click();
  const revealed = page.getByTestId('arena-revealed');
  await expect(revealed).toBeVisible();
  await expect(revealed).toContainText('A is better');
  for (const config of enrolled) await expect(revealed).toContainText(config.name);
  await expect(page.getByTestId('arena-revealed-name')).toHaveCount(2);
  // Revealed, the reasoning model's thinking can be read.
  await expect(page.getByTestId('thinking-panel')).toHaveCount(1);
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-revealed-light'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-revealed-dark'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // The leaderboard counts the vote for both models, with a heat map of who beat whom.
  await page.getByTestId('arena-tab-leaderboard').click();
  for (const config of enrolled) {
    const row = page.locator(`[data-testid="arena-leaderboard-row"][data-name="${config.name}"]`);
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-votes', '1');
  }
  await expect(page.getByTestId('arena-heatmap').locator('canvas')).toBeVisible();
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-leaderboard-light'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-leaderboard-dark'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // A new battle starts anonymous again.
  await page.getByTestId('arena-tab-battle').click();
  await page.getByTestId('arena-new').click();
  await expect(page.getByTestId('arena-column')).toHaveCount(0);
  await expectAnonymous(page);
});

test('admins see the enrolled models and the excluded voters', async ({ page }) => {
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/arena');
  await page.getByTestId('arena-tab-manage').click();
  const select = page.getByTestId('arena-enrolled-select');
  for (const config of enrolled) await expect(select).toContainText(config.name);
  await expect(page.getByTestId('arena-enrolled-save')).toBeDisabled();
  await settle(page);
  await page.screenshot({ path: screenshotPath('arena-manage-light'), fullPage: true });
});
