type KeyInfo = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing' | 'keyCode'>;

/**
 * Whether a keydown in the composer sends the message. Ctrl/Cmd+Enter always sends; plain Enter sends when the user
 * chose "Enter sends" (Shift+Enter then breaks the line). Enter that confirms an IME composition (Chinese, Japanese
 * input…) never sends.
 */
export function isSendKey(event: KeyInfo, enterToSend: boolean): boolean {
  if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return false;
  if (event.ctrlKey || event.metaKey) return true;
  return enterToSend && !event.shiftKey && !event.altKey;
}

/** The name of the modifier key on this platform, for hints. */
export function modifierKeyName(platform: string): 'Cmd' | 'Ctrl' {
  return /mac|iphone|ipad/i.test(platform) ? 'Cmd' : 'Ctrl';
}
