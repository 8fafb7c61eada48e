import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
// Workspace libs resolve to their sources so tests never run against a stale build.
const alias = {
  '@modelyard/contracts': resolve(root, 'libs/contracts/src/index.ts'),
  '@modelyard/llm-clients': resolve(root, 'libs/llm-clients/src/index.ts'),
  '@modelyard/training': resolve(root, 'libs/training/src/index.ts'),
  '@modelyard/mock-llm': resolve(root, 'libs/mock-llm/src/index.ts'),
  '@modelyard/migrations': resolve(root, 'migrations/index.ts'),
};
// Nest's dependency injection needs decorator metadata, which esbuild does not emit; SWC does.
const nestTransform = () =>
  swc.vite({
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { decoratorMetadata: true, legacyDecorator: true } },
  });

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [nestTransform()],
        resolve: { alias },
        test: {
          name: 'unit-node',
          environment: 'node',
          include: ['apps/api/src/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
        },
      },
      {
        plugins: [vue()],
        resolve: { alias: { ...alias, '@': resolve(root, 'apps/web/src') } },
        test: {
          name: 'unit-web',
          environment: 'happy-dom',
          include: ['apps/web/src/**/*.spec.ts'],
        },
      },
      {
        plugins: [nestTransform()],
        resolve: { alias },
        test: {
          name: 'medium',
          environment: 'node',
          include: ['apps/api/test/medium/**/*.spec.ts'],
          globalSetup: ['apps/api/test/medium/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e-http',
          environment: 'node',
          // Vite sets its own BASE_URL ('/') in workers; pass the harness' value through explicitly.
          env: { BASE_URL: process.env.BASE_URL ?? '' },
          include: ['e2e/http/**/*.spec.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
