import { afterEach, describe, expect, it } from 'vitest';
import { installEscapeFromSelect } from './escape-from-select';

function select(expanded: boolean, swallow: boolean): HTMLInputElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'el-select';
  const input = document.createElement('input');
  input.setAttribute('aria-expanded', String(expanded));
  wrapper.append(input);
  document.body.append(wrapper);
  // What Element Plus's select does with Esc, open or closed.
  if (swallow) wrapper.addEventListener('keydown', (event) => event.stopPropagation());
  return input;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('Esc on a closed select', () => {
  let uninstall = () => {};
  afterEach(() => {
    uninstall();
    document.body.innerHTML = '';
  });

  it('reaches the document (where dialogs listen) once, whether the select stops it or not', async () => {
    uninstall = installEscapeFromSelect();
    const heard: string[] = [];
    const listener = (event: KeyboardEvent) => heard.push(event.key);
    document.addEventListener('keydown', listener);
    try {
      select(false, true).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await tick();
      expect(heard).toEqual(['Escape']);

      heard.length = 0;
      select(false, false).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await tick();
      expect(heard).toEqual(['Escape']);

      // Open, Esc only closes its menu.
      heard.length = 0;
      select(true, true).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await tick();
      expect(heard).toEqual([]);
    } finally {
      document.removeEventListener('keydown', listener);
    }
  });
});
