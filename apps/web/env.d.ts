/// <reference types="vite/client" />

import 'vue-router';
import type { SectionKey } from '@/router/sections';

declare module 'vue-router' {
  interface RouteMeta {
    /** Only signed-in users may open the route. */
    requiresAuth?: boolean;
    /** Only admins may open the route (implies requiresAuth). */
    requiresAdmin?: boolean;
    /** Signed-in users are sent on to the app instead (login, register). */
    guestOnly?: boolean;
    /** i18n key of the page title shown in the tab and header. */
    titleKey?: string;
    /** The product section a placeholder route stands for. */
    section?: SectionKey;
    /** The page fills the content area edge to edge and scrolls its own panes (the chat). */
    fullBleed?: boolean;
  }
}
