import { expect, type Page, test } from '@playwright/test';
import { createAccount, signInThroughForm } from './support/app';

const html = (page: Page) => page.locator('html');

test('dark mode and language follow the user across reloads and to a new browser', async ({ page, browser }) => {
  const account = await createAccount('prefs');
  await signInThroughForm(page, account.email, account.password);
  const title = page.locator('header h1');

  await expect(html(page)).toHaveAttribute('lang', 'en');
  await expect(html(page)).not.toHaveClass(/\bdark\b/);
  await expect(page.getByTestId('nav-chat')).toContainText('Chat');

  // The theme button cycles system → light → dark.
  const theme = page.getByTestId('theme-toggle');
  await expect(theme).toHaveAttribute('data-theme-mode', 'system');
  await theme.click();
  await expect(theme).toHaveAttribute('data-theme-mode', 'light');
  await expect(html(page)).not.toHaveClass(/\bdark\b/);
  await theme.click();
  await expect(theme).toHaveAttribute('data-theme-mode', 'dark');
  await expect(html(page)).toHaveClass(/\bdark\b/);
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  // The language switch turns the interface into Chinese.
  const englishTitle = await title.innerText();
  await page.getByTestId('locale-switch').click();
  await expect(html(page)).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('locale-switch')).toHaveAttribute('data-locale', 'zh-CN');
  await expect(page.getByTestId('nav-chat')).not.toContainText('Chat');
  await expect(title).not.toHaveText(englishTitle);
  const chineseNav = await page.getByTestId('nav-chat').innerText();
  expect(chineseNav).toMatch(/\p{Script=Han}/u);

  // Both survive a reload.
  await page.reload();
  await expect(page.getByTestId('sidebar')).toBeVisible();
  await expect(html(page)).toHaveClass(/\bdark\b/);
  await expect(html(page)).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('nav-chat')).toHaveText(chineseNav);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(darkBackground);

  // They are saved on the account: a fresh browser picks them up at sign-in.
  const other = await browser.newContext({ colorScheme: 'light', locale: 'en-US' });
  const otherPage = await other.newPage();
  await signInThroughForm(otherPage, account.email, account.password);
  await expect(html(otherPage)).toHaveClass(/\bdark\b/);
  await expect(html(otherPage)).toHaveAttribute('lang', 'zh-CN');
  await expect(otherPage.getByTestId('nav-chat')).toHaveText(chineseNav);
  await other.close();

  // And back: English, and the theme cycles on to "system" (light here).
  await page.getByTestId('locale-switch').click();
  await expect(html(page)).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('nav-chat')).toContainText('Chat');
  await theme.click();
  await expect(theme).toHaveAttribute('data-theme-mode', 'system');
  await expect(html(page)).not.toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(page.getByTestId('sidebar')).toBeVisible();
  await expect(html(page)).toHaveAttribute('lang', 'en');
  await expect(html(page)).not.toHaveClass(/\bdark\b/);
});

test('a saved dark theme is applied before the app script has loaded (no white flash)', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('modelyard:theme', 'dark'));
  // Hold back the app's JavaScript: what shows meanwhile comes from index.html alone.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });

  await page.goto('/login', { waitUntil: 'commit' });
  await expect(html(page)).toHaveClass(/\bdark\b/);
  release();
  await expect(page.getByTestId('login-submit')).toBeVisible();
  expect(violations).toEqual([]);
});

test('the sections are reachable from the keyboard: Tab to a section link, Enter opens it', async ({ page }) => {
  const account = await createAccount('keys');
  await signInThroughForm(page, account.email, account.password);
  const compare = page.getByTestId('nav-compare').getByRole('link', { name: 'Compare' });
  await expect(compare).toHaveAttribute('href', '/compare');
  // A fresh page: Tab starts at the top (skip link, logo, then the sections).
  await page.goto('/chat');
  await expect(page.getByTestId('sidebar')).toBeVisible();
  let focused = false;
  for (let i = 0; i < 15 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await compare.evaluate((el) => el === document.activeElement);
  }
  expect(focused).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/compare$/);
  await expect(page.getByTestId('compare-page')).toBeVisible();
});
