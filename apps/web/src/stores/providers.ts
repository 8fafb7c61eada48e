import type { Provider, ProviderPreset } from '@modelyard/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { providersApi } from '@/api/models';

/**
 * The providers the signed-in user can see (admins: all; everyone else: the enabled ones) and the presets of the
 * add dialog. Shared by the provider cards, the model-config editor and the table's provider filter, and later by
 * every page that picks a model.
 */
export const useProvidersStore = defineStore('providers', () => {
  const items = shallowRef<Provider[]>([]);
  const presets = shallowRef<ProviderPreset[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const failed = ref(false);
  let latest = 0;

  const byId = computed(() => new Map(items.value.map((provider) => [provider.id, provider])));

  async function load(): Promise<void> {
    const id = ++latest;
    loading.value = true;
    try {
      const { items: next } = await providersApi.list();
      if (id !== latest) return;
      items.value = next;
      failed.value = false;
    } catch {
      if (id !== latest) return;
      failed.value = true;
    } finally {
      if (id === latest) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  /** Presets never change while the server runs: fetched once. */
  async function loadPresets(): Promise<ProviderPreset[]> {
    if (presets.value.length === 0) presets.value = (await providersApi.presets()).items;
    return presets.value;
  }

  /** Puts an updated provider in place, or a new one last (the server lists them oldest first). */
  function upsert(provider: Provider): void {
    const known = items.value.some((p) => p.id === provider.id);
    items.value = known ? items.value.map((p) => (p.id === provider.id ? provider : p)) : [...items.value, provider];
  }

  function patch(id: string, changes: Partial<Provider>): void {
    items.value = items.value.map((p) => (p.id === id ? { ...p, ...changes } : p));
  }

  function remove(id: string): void {
    items.value = items.value.filter((p) => p.id !== id);
  }

  return { items, presets, loading, loaded, failed, byId, load, loadPresets, upsert, patch, remove };
});
