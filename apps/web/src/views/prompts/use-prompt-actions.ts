import type { Prompt } from '@modelyard/contracts';
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { promptsApi } from '@/api/prompts';
import { useConfirm } from '@/composables/useConfirm';
import { saveFile } from '@/views/chat/chat-files';
import { isBuiltinCategory } from './prompt-filters';

/** The actions a prompt offers wherever it is shown (library card, editor header). Failures are toasted by the client. */
export function usePromptActions() {
  const { t } = useI18n();
  const confirm = useConfirm();

  /** A private copy in the caller's library; null when it failed. */
  async function copy(prompt: Pick<Prompt, 'id'>): Promise<Prompt | null> {
    try {
      const created = await promptsApi.copy(prompt.id);
      ElMessage.success(t('prompts.actions.copied', { name: created.name }));
      return created;
    } catch {
      return null;
    }
  }

  async function exportOne(prompt: Pick<Prompt, 'id'>): Promise<void> {
    try {
      const file = await promptsApi.exportLibrary([prompt.id]);
      saveFile(file);
      ElMessage.success({ message: t('prompts.library.exported', { name: file.filename }), grouping: true });
    } catch {
      // shown by the HTTP client
    }
  }

  /** Asks first; true once deleted. */
  async function remove(prompt: Pick<Prompt, 'id' | 'name'>): Promise<boolean> {
    const ok = await confirm(t('prompts.actions.confirmDelete', { name: prompt.name }), {
      title: t('prompts.actions.deleteTitle'),
      confirmText: t('prompts.actions.delete'),
      danger: true,
    });
    if (!ok) return false;
    try {
      await promptsApi.remove(prompt.id);
      ElMessage.success(t('prompts.actions.deleted', { name: prompt.name }));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Sets the favourite at once and saves it in the background; `apply` is called with the new value and, when the
   * server refuses, with the old one again.
   */
  async function toggleFavorite(prompt: Pick<Prompt, 'id' | 'isFavorite'>, apply: (value: boolean) => void) {
    const next = !prompt.isFavorite;
    apply(next);
    try {
      await promptsApi.setFavorite(prompt.id, next, { silent: true });
    } catch {
      apply(!next);
      ElMessage.error({ message: t('prompts.actions.favoriteFailed'), grouping: true });
    }
  }

  return { copy, exportOne, remove, toggleFavorite };
}

/** A category's display name: built-ins are translated, custom ones are shown as typed. */
export function useCategoryLabel() {
  const { t } = useI18n();
  return (id: string) => (isBuiltinCategory(id) ? t(`prompts.categories.${id}`) : id);
}
