import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createAccount, screenshotPath, signInThroughForm } from './support/app';

test('an admin disables a user who has the app open; the user is sent to /login at their next action', async ({
  browser,
}) => {
  const victim = await createAccount('victim');

  // The user is working in their own browser.
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signInThroughForm(userPage, victim.email, victim.password);
  await userPage.getByTestId('nav-training').click();
  await expect(userPage.getByTestId('coming-soon')).toHaveAttribute('data-section', 'training');

  // Meanwhile the admin opens the users page in another browser.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInThroughForm(adminPage, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(adminPage.getByTestId('nav-admin')).toBeVisible();
  await adminPage.goto('/admin/users');
  const table = adminPage.getByTestId('admin-users-table');
  await expect(table).toBeVisible();
  await adminPage.getByTestId('admin-users-search').fill(victim.email);
  const toggle = adminPage.getByTestId(`user-toggle-active-${victim.email}`);
  await expect(toggle).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(adminPage.getByTestId(`user-badge-status-${victim.email}`)).toHaveAttribute('data-active', 'true');

  // The admin's own row cannot be disabled.
  await adminPage.getByTestId('admin-users-search').fill(ADMIN_EMAIL);
  await expect(adminPage.getByTestId(`user-toggle-active-${ADMIN_EMAIL.toLowerCase()}`)).toBeDisabled();
  await adminPage.getByTestId('admin-users-search').fill(victim.email);
  await expect(toggle).toBeVisible();

  // Disabling asks first; cancelling changes nothing.
  await toggle.click();
  const dialog = adminPage.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(victim.email);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(adminPage.getByTestId(`user-badge-status-${victim.email}`)).toHaveAttribute('data-active', 'true');

  await toggle.click();
  await expect(dialog).toBeVisible();
  await dialog
    .locator('.el-message-box__btns .el-button--primary, .el-message-box__btns .el-button--danger')
    .last()
    .click();
  await expect(adminPage.getByTestId(`user-badge-status-${victim.email}`)).toHaveAttribute('data-active', 'false');
  await expect(dialog).toBeHidden();
  await adminPage.screenshot({ path: screenshotPath('admin-users-after-disable') });

  // The user's next click ends on the sign-in page.
  await userPage.getByTestId('nav-prompts').click();
  await expect(userPage).toHaveURL(/\/login/);
  await expect(userPage.getByTestId('login-submit')).toBeVisible();
  await expect(userPage.getByTestId('sidebar')).toHaveCount(0);

  // And signing in again is refused with a message.
  await userPage.getByTestId('login-email').fill(victim.email);
  await userPage.getByTestId('login-password').fill(victim.password);
  await userPage.getByTestId('login-submit').click();
  await expect(userPage.getByTestId('login-error')).toContainText(/disabled/i);
  await expect(userPage).toHaveURL(/\/login/);

  await userContext.close();
  await adminContext.close();
});
