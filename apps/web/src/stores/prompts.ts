import { BUILTIN_PROMPT_CATEGORIES, type Team } from '@modelyard/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { type PromptCategoryCount, promptsApi } from '@/api/prompts';
import { teamsApi } from '@/api/teams';

/**
 * What the library's filters and the editor's pickers choose from: categories and tags with their counts, and the
 * caller's teams. Loaded once per page visit and refreshed after a change that can move a count.
 */
export const usePromptsStore = defineStore('prompts', () => {
  const categoryCounts = shallowRef<PromptCategoryCount[]>([]);
  const tags = shallowRef<{ tag: string; count: number }[]>([]);
  const teams = shallowRef<Team[]>([]);
  const teamsLoaded = ref(false);

  /** Built-ins first, in their fixed order (even when nothing uses them yet), then custom ones by use. */
  const categories = computed<PromptCategoryCount[]>(() => {
    const counts = new Map(categoryCounts.value.map((c) => [c.id, c]));
    const builtins = BUILTIN_PROMPT_CATEGORIES.map((id) => ({ id, builtin: true, count: counts.get(id)?.count ?? 0 }));
    const custom = categoryCounts.value
      .filter((c) => !(BUILTIN_PROMPT_CATEGORIES as readonly string[]).includes(c.id))
      .map((c) => ({ ...c, builtin: false }))
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
    return [...builtins, ...custom];
  });

  /** Teams a prompt may be shared into: where the caller edits (admins act as owners of every team). */
  const shareableTeams = computed(() => teams.value.filter((t) => t.myRole !== 'viewer'));

  async function loadFacets(): Promise<void> {
    const [c, t] = await Promise.allSettled([
      promptsApi.categories({ silent: true }),
      promptsApi.tags({ silent: true }),
    ]);
    if (c.status === 'fulfilled') categoryCounts.value = c.value.items;
    if (t.status === 'fulfilled') tags.value = t.value.items;
  }

  async function loadTeams(isAdmin = false): Promise<void> {
    try {
      const page = await teamsApi.list({ page: 1, pageSize: 100, all: isAdmin || undefined }, { silent: true });
      teams.value = page.items;
    } catch {
      // Without teams the filter and the share dialog offer none; the rest still works.
    } finally {
      teamsLoaded.value = true;
    }
  }

  return { categories, tags, teams, teamsLoaded, shareableTeams, loadFacets, loadTeams };
});
