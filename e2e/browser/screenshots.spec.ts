import { expect, type Page, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createAccount, screenshotPath, signInThroughForm } from './support/app';

/** Waits until fonts, images and transitions have settled, so screenshots show what a user sees. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test(`login page in ${scheme} mode`, async ({ page }) => {
      await page.goto('/login');
      await expect(page.getByTestId('login-submit')).toBeVisible();
      if (scheme === 'dark') await expect(page.locator('html')).toHaveClass(/\bdark\b/);
      else await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
      await settle(page);
      await page.screenshot({ path: screenshotPath(`login-${scheme}`), fullPage: true });
    });
  });
}

test('app shell in light and dark mode', async ({ page }) => {
  const account = await createAccount('shot');
  await signInThroughForm(page, account.email, account.password);
  await expect(page.getByTestId('chat-page')).toBeVisible();
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
  await settle(page);
  await page.screenshot({ path: screenshotPath('shell-light'), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await settle(page);
  await page.screenshot({ path: screenshotPath('shell-dark'), fullPage: true });

  await page.getByTestId('sidebar-toggle').click();
  await expect(page.getByTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', 'false');
  await settle(page);
  await page.screenshot({ path: screenshotPath('shell-dark-collapsed'), fullPage: true });
  await page.getByTestId('sidebar-toggle').click();

  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('logout')).toBeVisible();
  await settle(page);
  await page.screenshot({ path: screenshotPath('shell-dark-user-menu') });
});

test('admin users page in light mode', async ({ page }) => {
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/users');
  await expect(page.getByTestId('admin-users-table')).toBeVisible();
  await expect(page.getByTestId('admin-users-table').locator('tbody tr').first()).toBeVisible();
  await settle(page);
  await page.screenshot({ path: screenshotPath('admin-users-light'), fullPage: true });
});
