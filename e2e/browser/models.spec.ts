import type { ModelConfig, Provider } from '@modelyard/contracts';
import { expect, type Page, test } from '@playwright/test';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  apiAs,
  createAccount,
  screenshotPath,
  signInThroughForm,
  unique,
} from './support/app';

/** The mock LLM upstream the harness starts: OpenAI-compatible under /v1; a key starting with "invalid" gets a 401. */
const MOCK_LLM_URL = (process.env.MOCK_LLM_URL ?? '').replace(/\/+$/, '');

test.beforeAll(() => {
  if (!MOCK_LLM_URL) throw new Error('MOCK_LLM_URL must be set for the models browser tests');
});

async function confirmDialog(page: Page, expectText?: RegExp | string): Promise<void> {
  const dialog = page.getByRole('dialog').filter({ has: page.locator('.el-message-box__btns') });
  await expect(dialog).toBeVisible();
  if (expectText) await expect(dialog).toContainText(expectText);
  await dialog
    .locator('.el-message-box__btns .el-button--primary, .el-message-box__btns .el-button--danger')
    .last()
    .click();
  await expect(dialog).toBeHidden();
}

/** A provider and (optionally) a model config made over HTTP, for tests about what comes after. */
async function seedProvider(name: string, apiKey: string, config?: { name: string; visibility: 'private' | 'shared' }) {
  const { api, token } = await apiAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const headers = { Authorization: `Bearer ${token}` };
  try {
    const created = await api.post('/api/providers', {
      headers,
      data: { name, kind: 'openai', preset: 'custom', baseUrl: `${MOCK_LLM_URL}/v1`, apiKey },
    });
    expect(created.status()).toBe(201);
    const provider = (await created.json()) as Provider;
    if (!config) return { provider, config: null };
    const made = await api.post('/api/model-configs', {
      headers,
      data: { name: config.name, providerId: provider.id, model: 'mock-chat', visibility: config.visibility },
    });
    expect(made.status()).toBe(201);
    return { provider, config: (await made.json()) as ModelConfig };
  } finally {
    await api.dispose();
  }
}

test('an admin connects a provider, builds a model config on it, tests it, sets a default, duplicates and deletes the copy', async ({
  page,
}) => {
  test.setTimeout(120_000); // a long journey; it ran past 60 s once on a loaded CI machine
  const providerName = unique('Mock OpenAI');
  const configName = unique('Mock chat');
  const copyName = `${configName} (copy)`;

  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByTestId('nav-models').click();
  await expect(page).toHaveURL(/\/models$/);

  // Add the provider: the preset fills the protocol and a base URL, which is then pointed at the mock.
  await page.getByTestId('provider-add').click();
  await page.getByTestId('provider-form-preset').click();
  await page.getByTestId('provider-preset-openai').click();
  await expect(page.getByTestId('provider-form-base-url')).toHaveValue('https://api.openai.com/v1');
  await page.getByTestId('provider-form-name').fill(providerName);
  await page.getByTestId('provider-form-base-url').fill(`${MOCK_LLM_URL}/v1`);
  await page.getByTestId('provider-form-api-key').fill('sk-test-e2e-4f2a');
  await page.getByRole('button', { name: 'Advanced settings' }).click();
  await expect(page.getByTestId('provider-form-auth-style')).toBeVisible();
  await page.screenshot({ path: screenshotPath('models-provider-dialog') });
  await page.getByTestId('provider-form-submit').click();

  const card = page.getByTestId(`provider-card-${providerName}`);
  await expect(card).toBeVisible();
  await expect(page.getByTestId(`provider-key-${providerName}`)).toHaveText('…4f2a');
  await expect(page.getByTestId(`provider-status-${providerName}`)).toHaveAttribute('data-status', 'unknown');

  // Test the connection and list the models.
  await page.getByTestId(`provider-test-${providerName}`).click();
  const providerTest = page.getByTestId(`provider-test-result-${providerName}`);
  await expect(providerTest).toHaveAttribute('data-state', 'ok');
  await expect(providerTest).toContainText('✓');
  await expect(providerTest).toContainText(/\d+ ms/);
  await expect(page.getByTestId(`provider-status-${providerName}`)).toHaveAttribute('data-status', 'ok');
  await page.getByTestId(`provider-refresh-${providerName}`).click();
  await expect(page.getByTestId(`provider-refresh-result-${providerName}`)).toContainText(/Models listed: [1-9]\d*/);

  // A model config on it, picking the model from the provider's list.
  await page.getByTestId('model-config-add').click();
  await page.getByTestId('model-config-form-provider').click();
  await page.getByRole('option', { name: providerName, exact: true }).click();
  await page.getByTestId('model-config-form-model').click();
  await page.getByTestId('model-option-mock-chat').click();
  await expect(page.getByTestId('model-config-form-name')).toHaveValue('mock-chat');
  await page.getByTestId('model-config-form-name').fill(configName);

  // Temperature: typed into the number input, then nudged with the slider's keyboard control.
  const temperature = page.getByTestId('model-config-form-temperature').locator('input');
  const slider = page.getByTestId('model-config-form-temperature-slider').getByRole('slider');
  await temperature.fill('0.3');
  await temperature.press('Tab');
  await expect(slider).toHaveAttribute('aria-valuenow', '0.3');
  await slider.focus();
  await slider.press('ArrowRight');
  await expect(temperature).toHaveValue('0.35');
  await page.getByTestId('model-config-form-system-prompt').fill('Answer briefly.');
  await page.screenshot({ path: screenshotPath('models-config-editor') });
  await page.getByTestId('model-config-form-submit').click();
  await expect(page.getByTestId('model-config-editor')).toBeHidden();

  // Only this run's configs in the table.
  await page.getByTestId('model-configs-search').fill(configName);
  await expect(page.getByTestId(`model-config-row-${configName}`)).toBeVisible();
  await expect(page.getByTestId('model-configs-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('model-configs-table')).toContainText('T 0.35');

  // Test it: a tick, the latency and the model's reply.
  await page.getByTestId(`model-config-test-${configName}`).click();
  const configTest = page.getByTestId(`model-config-test-result-${configName}`);
  await expect(configTest).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  await expect(configTest).toContainText('✓');
  await expect(page.getByTestId(`model-config-test-result-${configName}-reply`)).toHaveText(/Reply: \S+/);

  // Duplicate, make the copy the default, then the original again.
  await page.getByTestId(`model-config-duplicate-${configName}`).click();
  await expect(page.getByTestId(`model-config-row-${copyName}`)).toBeVisible();
  await page.getByTestId(`model-config-default-${copyName}`).click();
  await expect(page.getByTestId(`model-config-default-badge-${copyName}`)).toBeVisible();
  await expect(page.getByTestId(`model-config-default-badge-${configName}`)).toHaveCount(0);
  await page.getByTestId(`model-config-default-${configName}`).click();
  await expect(page.getByTestId(`model-config-default-badge-${configName}`)).toBeVisible();
  await expect(page.getByTestId(`model-config-default-badge-${copyName}`)).toHaveCount(0);
  await expect(page.getByTestId(`model-config-default-${configName}`)).toBeDisabled();

  // Delete the copy, after confirming.
  await page.getByTestId(`model-config-delete-${copyName}`).click();
  await confirmDialog(page, copyName);
  await expect(page.getByTestId(`model-config-row-${copyName}`)).toHaveCount(0);
  await expect(page.getByTestId(`model-config-row-${configName}`)).toBeVisible();
  await page.screenshot({ path: screenshotPath('models-admin'), fullPage: true });
});

test('a provider with a rejected key shows a readable error when tested; deleting it asks first', async ({ page }) => {
  const providerName = unique('Mock keyed');
  const { config } = await seedProvider(providerName, 'sk-test-good-7c1d', {
    name: unique('Keyed chat'),
    visibility: 'private',
  });

  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/models');
  await expect(page.getByTestId(`provider-card-${providerName}`)).toBeVisible();

  // Esc closes the form, also right after choosing from one of its dropdowns (the select used to keep the key).
  await page.getByTestId(`provider-edit-${providerName}`).click();
  await page.getByTestId('provider-form-kind').click();
  await page
    .getByRole('option', { name: /OpenAI/ })
    .first()
    .click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('provider-form-dialog')).toBeHidden();

  // Replace the key with one the upstream refuses.
  await page.getByTestId(`provider-edit-${providerName}`).click();
  const keyInput = page.getByTestId('provider-form-api-key');
  await expect(keyInput).toHaveAttribute('placeholder', /…7c1d/);
  await keyInput.fill('invalid-key');
  await page.getByTestId('provider-form-submit').click();
  await expect(page.getByTestId('provider-form-dialog')).toBeHidden();
  await expect(page.getByTestId(`provider-key-${providerName}`)).toHaveText('…-key');

  await page.getByTestId(`provider-test-${providerName}`).click();
  const result = page.getByTestId(`provider-test-result-${providerName}`);
  await expect(result).toHaveAttribute('data-state', 'error');
  await expect(result).toContainText(/401|key|unauthori[sz]ed/i);
  await expect(result).not.toContainText('invalid-key');
  await expect(page.getByTestId(`provider-status-${providerName}`)).toHaveAttribute('data-status', 'error');

  // Deleting the provider says its model config goes too.
  await page.getByTestId(`provider-delete-${providerName}`).click();
  await confirmDialog(page, /model configs \(1\)/);
  await expect(page.getByTestId(`provider-card-${providerName}`)).toHaveCount(0);
  await page.getByTestId('model-configs-search').fill(config!.name);
  await expect(page.getByTestId('model-configs-empty')).toBeVisible();
});

test('a user sees providers read-only and duplicates a config an admin shared', async ({ page }) => {
  const providerName = unique('Mock shared');
  const sharedName = unique('Team chat');
  await seedProvider(providerName, 'sk-test-shared', { name: sharedName, visibility: 'shared' });
  const user = await createAccount('models');

  await signInThroughForm(page, user.email, user.password);
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId(`provider-card-${providerName}`)).toBeVisible();
  await expect(page.getByTestId('provider-add')).toHaveCount(0);
  await expect(page.getByTestId(`provider-edit-${providerName}`)).toHaveCount(0);
  await expect(page.getByTestId(`provider-delete-${providerName}`)).toHaveCount(0);

  await page.getByTestId('model-configs-search').fill(sharedName);
  await expect(page.getByTestId(`model-config-row-${sharedName}`)).toBeVisible();
  await expect(page.getByTestId(`model-config-readonly-${sharedName}`)).toBeVisible();
  await expect(page.getByTestId(`model-config-edit-${sharedName}`)).toHaveCount(0);
  await expect(page.getByTestId(`model-config-delete-${sharedName}`)).toHaveCount(0);

  await page.getByTestId(`model-config-duplicate-${sharedName}`).click();
  const copyName = `${sharedName} (copy)`;
  await expect(page.getByTestId(`model-config-row-${copyName}`)).toBeVisible();
  await expect(page.getByTestId(`model-config-edit-${copyName}`)).toBeVisible();
  await page.getByTestId(`model-config-default-${copyName}`).click();
  await expect(page.getByTestId(`model-config-default-badge-${copyName}`)).toBeVisible();

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.screenshot({ path: screenshotPath('models-user-dark'), fullPage: true });
});
