import type { Batch, BatchReportFormat } from '@modelyard/contracts';
import { ElMessage } from 'element-plus';
import { reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { batchesApi } from '@/api/batches';
import { useConfirm } from '@/composables/useConfirm';
import { saveFile } from '@/views/chat/chat-files';
import { durationMessage } from './batch-progress';

/** "3 min 20 s" in the UI language. */
export function useDuration() {
  const { t } = useI18n();
  return (seconds: number) => {
    const { key, values } = durationMessage(seconds);
    return t(`batchJobs.duration.${key}`, values);
  };
}

/** Cancel, delete and download, with their confirmations and toasts; errors are toasted by the HTTP client. */
export function useBatchActions() {
  const { t } = useI18n();
  const confirm = useConfirm();
  /** `${batchId}:${action}` of the calls in flight, for the buttons' loading state. */
  const busy = reactive(new Set<string>());

  async function run<T>(key: string, task: () => Promise<T>): Promise<T | null> {
    busy.add(key);
    try {
      return await task();
    } catch {
      return null; // shown by the HTTP client
    } finally {
      busy.delete(key);
    }
  }

  async function cancel(batch: Pick<Batch, 'id' | 'name'>): Promise<Batch | null> {
    const ok = await confirm(t('batchJobs.confirm.cancel', { name: batch.name }), {
      title: t('batchJobs.confirm.cancelTitle'),
      confirmText: t('batchJobs.confirm.cancelConfirm'),
      cancelText: t('batchJobs.confirm.keep'),
      danger: true,
    });
    if (!ok) return null;
    const result = await run(`${batch.id}:cancel`, () => batchesApi.cancel(batch.id));
    if (result) ElMessage.success({ message: t('batchJobs.messages.cancelled'), grouping: true });
    return result;
  }

  async function remove(batch: Pick<Batch, 'id' | 'name'>): Promise<boolean> {
    const ok = await confirm(t('batchJobs.confirm.delete', { name: batch.name }), {
      title: t('batchJobs.confirm.deleteTitle'),
      confirmText: t('batchJobs.confirm.deleteConfirm'),
      danger: true,
    });
    if (!ok) return false;
    const done = await run(`${batch.id}:delete`, async () => {
      await batchesApi.remove(batch.id);
      return true;
    });
    if (done) ElMessage.success({ message: t('batchJobs.messages.deleted'), grouping: true });
    return done === true;
  }

  async function download(batchId: string, format: BatchReportFormat): Promise<void> {
    const file = await run(`${batchId}:download:${format}`, () => batchesApi.download(batchId, format));
    if (!file) return;
    saveFile(file);
    ElMessage.success({ message: t('batchJobs.messages.downloaded', { name: file.filename }), grouping: true });
  }

  const isBusy = (batchId: string, action: string) => busy.has(`${batchId}:${action}`);

  return { cancel, remove, download, isBusy };
}
