import {
  ChatDotRound,
  Collection,
  Cpu,
  DataAnalysis,
  EditPen,
  Files,
  Management,
  Setting,
  Tickets,
  TrendCharts,
  Trophy,
  User,
  UserFilled,
} from '@element-plus/icons-vue';
import { markRaw, type Component } from 'vue';

/** The product sections of the sidebar, in order. Sections without a page yet open the "coming soon" view. */
export const SECTION_KEYS = [
  'chat',
  'compare',
  'arena',
  'prompts',
  'teams',
  'models',
  'datasets',
  'batchJobs',
  'training',
] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];

export interface NavItem {
  /** i18n key of the label. */
  labelKey: string;
  path: string;
  icon: Component;
  testId: string;
}

export interface SectionItem extends NavItem {
  key: SectionKey;
  routeName: string;
}

const section = (key: SectionKey, path: string, icon: Component, slug: string): SectionItem => ({
  key,
  path,
  icon: markRaw(icon),
  labelKey: `nav.${key}`,
  testId: `nav-${slug}`,
  routeName: slug,
});

export const SECTIONS: readonly SectionItem[] = [
  section('chat', '/chat', ChatDotRound, 'chat'),
  section('compare', '/compare', DataAnalysis, 'compare'),
  section('arena', '/arena', Trophy, 'arena'),
  section('prompts', '/prompts', EditPen, 'prompts'),
  section('teams', '/teams', UserFilled, 'teams'),
  section('models', '/models', Cpu, 'models'),
  section('datasets', '/datasets', Files, 'datasets'),
  section('batchJobs', '/batch-jobs', Collection, 'batch-jobs'),
  section('training', '/training', TrendCharts, 'training'),
];

export const SECTION_BY_KEY: Record<SectionKey, SectionItem> = Object.fromEntries(
  SECTIONS.map((item) => [item.key, item]),
) as Record<SectionKey, SectionItem>;

/** Admin pages, shown in the sidebar only to admins. */
export const ADMIN_NAV = {
  labelKey: 'nav.admin',
  testId: 'nav-admin',
  icon: markRaw(Management),
  items: [
    { labelKey: 'nav.adminUsers', path: '/admin/users', icon: markRaw(User), testId: 'nav-admin-users' },
    {
      labelKey: 'nav.adminAuditLogs',
      path: '/admin/audit-logs',
      icon: markRaw(Tickets),
      testId: 'nav-admin-audit-logs',
    },
    { labelKey: 'nav.adminSettings', path: '/admin/settings', icon: markRaw(Setting), testId: 'nav-admin-settings' },
  ] satisfies NavItem[],
} as const;
