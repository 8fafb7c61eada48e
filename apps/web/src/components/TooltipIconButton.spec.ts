import '@/test-utils/happy-dom-node-name';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Check } from '@element-plus/icons-vue';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it } from 'vitest';
import TooltipIconButton from './TooltipIconButton.vue';

function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? vueFiles(join(dir, entry.name)) : entry.name.endsWith('.vue') ? [join(dir, entry.name)] : [],
  );
}

describe('buttons inside tooltips', () => {
  it('are pressed with Enter and Space: the tooltip does not take the keys', async () => {
    const wrapper = mount(TooltipIconButton, {
      props: { tooltip: 'Copy', label: 'Copy the answer', icon: Check },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    });
    const button = wrapper.get('button[aria-label="Copy the answer"]').element;
    for (const key of ['Enter', 'Space']) {
      const event = new KeyboardEvent('keydown', {
        key: key === 'Space' ? ' ' : key,
        code: key,
        bubbles: true,
        cancelable: true,
      });
      button.dispatchEvent(event);
      // A cancelled keydown is a button that never clicks.
      expect(event.defaultPrevented, key).toBe(false);
    }
    wrapper.unmount();
  });

  it('holds for every tooltip in the app', () => {
    const root = join(__dirname, '..');
    const offenders = vueFiles(root).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/<ElTooltip\b[^>]*>/g)]
        .filter((match) => !match[0].includes(':trigger-keys="[]"'))
        .map(() => file.slice(root.length + 1)),
    );
    expect(offenders).toEqual([]);
  });
});
