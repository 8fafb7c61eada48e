import type { RouteComponent, RouteRecordRaw } from 'vue-router';
import { ADMIN_NAV, SECTIONS, type SectionKey } from './sections';
import { HOME_PATH } from './redirect';

// Every view is its own chunk: a page's code loads when it is first visited.
const ComingSoonView = () => import('@/views/common/ComingSoonView.vue');

/** The sections that have their page; the others show "coming soon". */
const SECTION_VIEWS: Partial<Record<SectionKey, () => Promise<RouteComponent>>> = {
  chat: () => import('@/views/chat/ChatView.vue'),
  models: () => import('@/views/models/ModelsView.vue'),
  prompts: () => import('@/views/prompts/PromptsView.vue'),
  teams: () => import('@/views/teams/TeamsView.vue'),
  compare: () => import('@/views/compare/CompareView.vue'),
  arena: () => import('@/views/arena/ArenaView.vue'),
  batchJobs: () => import('@/views/batch-jobs/BatchJobsView.vue'),
};

/** Sections whose path takes more: the chat opens a conversation by id (/chat/<id>). */
const SECTION_PATH_PARAMS: Partial<Record<SectionKey, string>> = {
  chat: '/:sessionId?',
  teams: '/:teamId?',
  compare: '/:runId?',
  batchJobs: '/:batchId?',
};

/** Sections that manage their own scrolling and use the whole content area. */
const FULL_BLEED: ReadonlySet<SectionKey> = new Set(['chat', 'compare']);

const sectionRoutes: RouteRecordRaw[] = SECTIONS.map((section) => ({
  path: section.path.slice(1) + (SECTION_PATH_PARAMS[section.key] ?? ''),
  name: section.routeName,
  component: SECTION_VIEWS[section.key] ?? ComingSoonView,
  meta: { titleKey: section.labelKey, section: section.key, fullBleed: FULL_BLEED.has(section.key) },
}));

const [usersNav, auditLogsNav, settingsNav] = ADMIN_NAV.items;

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { guestOnly: true, titleKey: 'auth.login.title' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('@/views/auth/RegisterView.vue'),
    meta: { guestOnly: true, titleKey: 'auth.register.title' },
  },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    meta: { requiresAuth: true },
    children: [
      { path: '', name: 'home', redirect: HOME_PATH },
      ...sectionRoutes,
      {
        // `/prompts/new` creates; `/prompts/<id>` edits (or shows, when read-only) with its versions and try-it panel.
        path: 'prompts/:promptId',
        name: 'prompt-editor',
        component: () => import('@/views/prompts/PromptEditorView.vue'),
        meta: { titleKey: 'nav.prompts', section: 'prompts' },
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/views/profile/ProfileView.vue'),
        meta: { titleKey: 'profile.title' },
      },
      { path: 'admin', redirect: usersNav.path, meta: { requiresAdmin: true } },
      {
        path: usersNav.path.slice(1),
        name: 'admin-users',
        component: () => import('@/views/admin/UsersView.vue'),
        meta: { requiresAdmin: true, titleKey: usersNav.labelKey },
      },
      {
        path: auditLogsNav.path.slice(1),
        name: 'admin-audit-logs',
        component: () => import('@/views/admin/AuditLogsView.vue'),
        meta: { requiresAdmin: true, titleKey: auditLogsNav.labelKey },
      },
      {
        path: settingsNav.path.slice(1),
        name: 'admin-settings',
        component: () => import('@/views/admin/SettingsView.vue'),
        meta: { requiresAdmin: true, titleKey: settingsNav.labelKey },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/common/NotFoundView.vue'),
    meta: { titleKey: 'notFound.title' },
  },
];
