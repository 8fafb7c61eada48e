import type { Batch, BatchStatus } from '@modelyard/contracts';

export { isBatchFinished as isFinished } from '@modelyard/contracts';

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

export function statusTagType(status: BatchStatus): TagType {
  switch (status) {
    case 'completed':
      return 'success';
    case 'running':
      return 'primary';
    case 'failed':
      return 'danger';
    case 'cancelled':
      return 'warning';
    default:
      return 'info';
  }
}

/** Whole percent of cells finished; 100 only when every cell is, so a bar never claims done too early. */
export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}

export interface DurationParts {
  hours: number;
  minutes: number;
  seconds: number;
}

export function durationParts(totalSeconds: number): DurationParts {
  const s = Math.max(0, Math.round(totalSeconds));
  return { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

/** The message of a duration: the two largest units that matter ("1 h 5 min", "3 min 20 s", "45 s"). */
export function durationMessage(totalSeconds: number): {
  key: 'hours' | 'minutes' | 'seconds';
  values: { h: number; m: number; s: number };
} {
  const { hours, minutes, seconds } = durationParts(totalSeconds);
  const values = { h: hours, m: minutes, s: seconds };
  if (hours > 0) return { key: 'hours', values };
  if (minutes > 0) return { key: 'minutes', values };
  return { key: 'seconds', values };
}

/** Models held back by an upstream 429 right now, with the time they resume. */
export function pausedModels(batch: Batch, now = Date.now()): { name: string; until: Date }[] {
  return batch.models.flatMap((model) => {
    if (!model.pausedUntil) return [];
    const until = new Date(model.pausedUntil);
    return Number.isNaN(until.getTime()) || until.getTime() <= now ? [] : [{ name: model.name, until }];
  });
}

export const totalErrors = (batch: Batch) => batch.models.reduce((sum, model) => sum + model.errors, 0);

/** A model's share of the questions done, in percent. */
export const modelPercent = (batch: Batch, done: number) => progressPercent(done, batch.questions);

/** Seconds the batch has been running (or ran), for the "elapsed" figure. */
export function elapsedSeconds(batch: Batch, now = Date.now()): number | null {
  if (!batch.startedAt) return null;
  const start = Date.parse(batch.startedAt);
  const end = batch.finishedAt ? Date.parse(batch.finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, Math.round((end - start) / 1000));
}
