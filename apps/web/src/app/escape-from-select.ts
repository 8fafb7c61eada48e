/**
 * Element Plus selects handle Esc even while closed (they cancel the key and stop it), so a dialog or drawer never
 * heard it once a dropdown inside had focus: after picking a preset, Esc did not close "Add provider". Esc on a
 * closed select that does not reach the document is passed on to it, where dialogs, drawers and message boxes listen.
 */
export function installEscapeFromSelect(target: Document = document): () => void {
  let stopped: KeyboardEvent | null = null;
  const onCapture = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    const select = event.target instanceof Element ? event.target.closest('.el-select, .el-select-v2') : null;
    // Open, Esc closes its menu: that is the select's own.
    if (!select || select.querySelector('[aria-expanded="true"]')) return;
    stopped = event;
    setTimeout(() => {
      if (stopped !== event) return;
      stopped = null;
      target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape' }));
    });
  };
  // Reached the document after all: nothing to pass on.
  const onBubble = (event: KeyboardEvent): void => {
    if (event === stopped) stopped = null;
  };
  target.addEventListener('keydown', onCapture, true);
  target.addEventListener('keydown', onBubble);
  return () => {
    target.removeEventListener('keydown', onCapture, true);
    target.removeEventListener('keydown', onBubble);
  };
}
