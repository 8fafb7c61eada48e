import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Every `element-plus/es/components/<name>/style/css` entry, exactly as the resolver imports them. */
function elementPlusStyleEntries(): string[] {
  const root = dirname(createRequire(import.meta.url).resolve('element-plus/package.json'));
  const components = join(root, 'es', 'components');
  return readdirSync(components)
    .filter((name) => existsSync(join(components, name, 'style', 'css.mjs')))
    .map((name) => `element-plus/es/components/${name}/style/css`);
}

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus is imported on demand: components and directives used in templates are resolved together with
    // their CSS, so the app never registers the whole library. No generated .d.ts: template types come from
    // `element-plus/global` (tsconfig "types"), and our own code imports what it uses explicitly.
    AutoImport({
      resolvers: [ElementPlusResolver()],
      dts: false,
    }),
    Components({
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
    }),
  ],
  resolve: {
    alias: {
      '@': fromHere('./src'),
      '@modelyard/contracts': fromHere('../../libs/contracts/src/index.ts'),
    },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  // Pre-bundle Element Plus and its per-component styles up front: discovering them page by page makes the dev
  // server reload the browser mid-session (which also upsets browser tests run against it).
  optimizeDeps: {
    include: [
      'vue',
      'vue-router',
      'pinia',
      'vue-i18n',
      '@vueuse/core',
      'zod',
      'element-plus/es',
      ...elementPlusStyleEntries(),
      'element-plus/es/locale/lang/en',
      'element-plus/es/locale/lang/zh-cn',
      '@element-plus/icons-vue',
    ],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
});
