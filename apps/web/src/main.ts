// Element Plus loads on demand; these are the styles the resolver cannot see: the dark palette, the
// function-called ElMessage / ElMessageBox, and the base variables every component relies on.
import 'element-plus/es/components/base/style/css';
import 'element-plus/theme-chalk/dark/css-vars.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles/index.scss';

import { ElMessage } from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installEscapeFromSelect } from './app/escape-from-select';
import { installSession } from './app/session';
import { i18n } from './i18n';
import { createAppRouter } from './router';
import { installChunkRecovery } from './router/chunk-recovery';
import { usePreferencesStore } from './stores/preferences';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
// Applies the theme and language (html class and lang) before anything renders.
usePreferencesStore(pinia);

const router = createAppRouter();
installSession(router, pinia);
installEscapeFromSelect();
installChunkRecovery(router, { notify: () => ElMessage.error(i18n.global.t('app.pageLoadFailed')) });
app.use(router);

// Mount once the first route is settled (session restored, guards run), so no page flashes in and out.
void router.isReady().finally(() => app.mount('#app'));
