import { expect, test } from '@playwright/test';
import { createAccount, signInThroughForm } from './support/app';

test('a user renames themself on the profile page; the header shows it and it survives a reload', async ({ page }) => {
  const account = await createAccount('profile');
  await signInThroughForm(page, account.email, account.password);

  await page.getByTestId('user-menu').click();
  await page.getByTestId('user-menu-profile').click();
  await expect(page).toHaveURL(/\/profile$/);

  const nickname = page.getByTestId('profile-nickname');
  await expect(nickname).toHaveValue(account.nickname);
  const renamed = `renamed${Date.now().toString(36)}`;
  await nickname.fill(renamed);
  await page.getByTestId('profile-save').click();
  await expect(page.getByTestId('user-menu')).toContainText(renamed);

  await page.reload();
  await expect(page.getByTestId('profile-nickname')).toHaveValue(renamed);
  await expect(page.getByTestId('user-menu')).toContainText(renamed);

  // A nickname that is not allowed is refused in place, and nothing is saved.
  await page.getByTestId('profile-nickname').fill('<b>');
  await page.getByTestId('profile-save').click();
  await expect(page.locator('.el-form-item.is-error')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('profile-nickname')).toHaveValue(renamed);
});
