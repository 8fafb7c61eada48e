import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Browser e2e against an already started stack (BASE_URL). Browsers are never downloaded: Debian's chromium is
 * driven directly (CHROMIUM_PATH).
 */
export default defineConfig({
  testDir: join(__dirname, 'browser'),
  outputDir: join(__dirname, 'artifacts/test-results'),
  reporter: 'list',
  workers: 2,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: process.env.BASE_URL,
    locale: 'en-US',
    colorScheme: 'light',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
