import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type APIRequestContext, type Page, expect, request as playwrightRequest } from '@playwright/test';

export const ADMIN_EMAIL = requiredEnv('ADMIN_EMAIL');
export const ADMIN_PASSWORD = requiredEnv('ADMIN_PASSWORD');
export const BASE_URL = requiredEnv('BASE_URL');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the browser e2e suite`);
  return value;
}

/** Where screenshots go, whatever directory Playwright was started from. */
export const screenshotPath = (name: string) => join(__dirname, '../../artifacts/screenshots', `${name}.png`);

/** Every section of the product sidebar, by test id, in order. */
export const SECTION_NAV_IDS = [
  'nav-chat',
  'nav-compare',
  'nav-arena',
  'nav-prompts',
  'nav-models',
  'nav-datasets',
  'nav-batch-jobs',
  'nav-training',
] as const;

export interface Account {
  email: string;
  nickname: string;
  password: string;
  id: string;
}

export type Credentials = Pick<Account, 'email' | 'password'>;

export const ADMIN: Credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD };

/** A server id, as it shows in URLs and test ids. */
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The e2e database outlives a run's specs: every name is unique to this run. */
export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

export const newCredentials = (tag: string) => ({
  email: `${tag}-${randomUUID()}@e2e.test`,
  nickname: `${tag}${randomUUID().replace(/-/g, '').slice(0, 12)}`,
  password: `Pw-${randomUUID().slice(0, 10)}7q`,
});

/** Creates an account over HTTP (faster than the form, which has its own test). */
export async function createAccount(tag: string): Promise<Account> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  try {
    const creds = newCredentials(tag);
    // The HTTP suite closes registration for a moment in one test; wait that out instead of failing.
    for (let attempt = 0; attempt < 40; attempt++) {
      const res = await api.post('/api/auth/register', { data: creds });
      if (res.status() === 201) return { ...creds, id: ((await res.json()) as { user: { id: string } }).user.id };
      const body = (await res.json().catch(() => ({}))) as { code?: string };
      if (res.status() !== 403 || body.code !== 'REGISTRATION_CLOSED') {
        throw new Error(`registration failed: ${res.status()} ${JSON.stringify(body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('registration stayed closed');
  } finally {
    await api.dispose();
  }
}

/** Signs in through the login form and waits for the app shell. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // A login is a bcrypt check at cost 12: with browsers, the API and the databases sharing two cores it has taken
  // up to 6 s in CI (p50 0.4 s), past the default 10 s wait once the page load is added.
  await expect(page.getByTestId('sidebar')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

export async function signOutThroughMenu(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
}

/** An API client for setup and checks that are not what the test is about. */
export async function apiAs(email: string, password: string): Promise<{ api: APIRequestContext; token: string }> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const res = await api.post('/api/auth/login', { data: { email, password } });
  if (res.status() !== 200) throw new Error(`login of ${email} failed: ${res.status()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { api, token: accessToken };
}

/** `apiAs` with the bearer header ready to pass; dispose of `api` when done. */
export async function authed(
  account: Credentials,
): Promise<{ api: APIRequestContext; headers: Record<string, string> }> {
  const { api, token } = await apiAs(account.email, account.password);
  return { api, headers: { Authorization: `Bearer ${token}` } };
}

/** Waits until fonts and a couple of frames have settled, so screenshots show what a user sees. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
