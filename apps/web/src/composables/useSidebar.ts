import { useMediaQuery } from '@vueuse/core';
import { computed, ref, watch } from 'vue';
import { useRoute } from 'vue-router';
import { usePreferencesStore } from '@/stores/preferences';

export const NARROW_SCREEN_QUERY = '(max-width: 768px)';

/**
 * Sidebar state for the app shell. On wide screens the collapse choice is the user's and is remembered; on
 * narrow screens the sidebar is an icon rail that opens as an overlay and closes again after navigating.
 */
export function useSidebar() {
  const preferences = usePreferencesStore();
  const route = useRoute();
  const isNarrow = useMediaQuery(NARROW_SCREEN_QUERY);
  const overlayOpen = ref(false);

  const collapsed = computed(() => (isNarrow.value ? !overlayOpen.value : preferences.sidebarCollapsed));
  const isOverlay = computed(() => isNarrow.value && overlayOpen.value);

  function toggle(): void {
    if (isNarrow.value) overlayOpen.value = !overlayOpen.value;
    else preferences.toggleSidebar();
  }

  function closeOverlay(): void {
    overlayOpen.value = false;
  }

  watch(() => route.fullPath, closeOverlay);
  watch(isNarrow, closeOverlay);

  return { collapsed, isNarrow, isOverlay, toggle, closeOverlay };
}
