import { useMediaQuery } from '@vueuse/core';
import { computed, type ComputedRef } from 'vue';
import { modifierKeyName } from '@/views/chat/composer-keys';

/**
 * The send shortcut to name in hints and placeholders ("Ctrl+Enter", "⌘+Enter"), or null where the pointer is a
 * finger: a phone's keyboard has no Ctrl, and the hint only crowds a narrow box.
 */
export function useSendShortcut(): ComputedRef<string | null> {
  const touch = useMediaQuery('(pointer: coarse)');
  const platform = typeof navigator === 'undefined' ? '' : navigator.platform || navigator.userAgent;
  const keys = `${modifierKeyName(platform)}+Enter`;
  return computed(() => (touch.value ? null : keys));
}
