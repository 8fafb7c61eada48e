import { expect, test } from '@playwright/test';
import { newCredentials, SECTION_NAV_IDS, signInThroughForm, signOutThroughMenu } from './support/app';

test('a new user registers, signs in, finds every section, stays signed in across a reload, and signs out', async ({
  page,
}) => {
  const creds = newCredentials('shell');

  // Register through the form: the app signs the new user straight in.
  await page.goto('/register');
  await page.getByTestId('register-email').fill(creds.email);
  await page.getByTestId('register-nickname').fill(creds.nickname);
  await page.getByTestId('register-password').fill(creds.password);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('sidebar')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText(creds.nickname);

  // Sign out, then in again through the login form.
  await signOutThroughMenu(page);
  await signInThroughForm(page, creds.email, creds.password);
  await expect(page).toHaveURL(/\/chat$/);

  // Every product section is in the sidebar; the admin section is not, for a normal user.
  const sidebar = page.getByTestId('sidebar');
  for (const id of SECTION_NAV_IDS) await expect(sidebar.getByTestId(id)).toBeVisible();
  await expect(sidebar.getByTestId('nav-admin')).toHaveCount(0);

  // A section without a page yet shows the coming-soon page.
  await sidebar.getByTestId('nav-training').click();
  await expect(page).toHaveURL(/\/training$/);
  const comingSoon = page.getByTestId('coming-soon');
  await expect(comingSoon).toBeVisible();
  await expect(comingSoon).toHaveAttribute('data-section', 'training');
  await expect(comingSoon).toContainText('Training');

  // A reload keeps the session (the httpOnly refresh cookie) and the page.
  await page.reload();
  await expect(page).toHaveURL(/\/training$/);
  await expect(page.getByTestId('coming-soon')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText(creds.nickname);

  // The sidebar can be collapsed and expanded.
  const toggle = page.getByTestId('sidebar-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  // Signing out lands on /login, and a protected page then sends back to /login.
  await signOutThroughMenu(page);
  await page.goto('/models');
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)models$/);
  await expect(page.getByTestId('login-submit')).toBeVisible();

  // A reload does not bring the session back either.
  await page.reload();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('user-menu')).toHaveCount(0);
});

test('the login form tells a user about wrong credentials and keeps them on the page', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(`nobody-${Date.now()}@e2e.test`);
  await page.getByTestId('login-password').fill('Wrong-password-1');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('sidebar')).toHaveCount(0);
});

test('after signing in from a deep link, the user lands where they were going', async ({ page }) => {
  const creds = newCredentials('deeplink');
  await page.goto('/register');
  await page.getByTestId('register-email').fill(creds.email);
  await page.getByTestId('register-nickname').fill(creds.nickname);
  await page.getByTestId('register-password').fill(creds.password);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('sidebar')).toBeVisible();
  await signOutThroughMenu(page);

  await page.goto('/datasets');
  await expect(page).toHaveURL(/\/login\?redirect=(%2F|\/)datasets$/);
  await page.getByTestId('login-email').fill(creds.email);
  await page.getByTestId('login-password').fill(creds.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/datasets$/);
  await expect(page.getByTestId('coming-soon')).toHaveAttribute('data-section', 'datasets');
});
