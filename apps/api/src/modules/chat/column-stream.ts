import type { SseStream } from '../../common/sse/sse-stream';
import type { StartedGeneration } from './chat.service';
import { eventJson, type StoredEvent } from './generation-events.repository';
import { type GenerationsService, isTerminalEvent } from './generations.service';

/** A column's start: its generation, or why it could not start (the other columns carry on). */
export type ColumnStart =
  { column: number; started: StartedGeneration } | { column: number; error: { code: string; message: string } };

/**
 * The JSON data to send for one of a column's events instead of the default (the event's own data with `column`
 * added), undefined to keep the default, or null to leave the event out.
 */
export type ColumnEventRewrite = (column: number, event: StoredEvent) => string | null | undefined;

/**
 * Multiplexes several columns' generations onto one SSE stream: `meta` first, then every column's events with
 * `column` added to their data, renumbered in the order they leave. The stream ends when every column has ended.
 */
export async function streamColumns(
  sse: SseStream,
  generations: GenerationsService,
  meta: object,
  starts: ColumnStart[],
  rewrite?: ColumnEventRewrite,
): Promise<void> {
  let nextId = 1;
  sse.sendJson(nextId++, 'meta', JSON.stringify(meta));
  let open = starts.length;
  const columnEnded = () => {
    if (--open === 0) sse.end();
  };
  const detachers: (() => void)[] = [];
  for (const start of starts) {
    if ('error' in start) {
      sse.sendJson(nextId++, 'error', JSON.stringify({ column: start.column, ...start.error }));
      columnEnded();
      continue;
    }
    // Splicing the column into the stored JSON spares a parse and re-stringify of every token event.
    const prefix = `{"column":${start.column}`;
    const detach = await generations.attach(start.started.generationId, start.started.assistantMessage, 0, (event) => {
      let json = rewrite?.(start.column, event);
      if (json === null) {
        if (isTerminalEvent(event)) columnEnded();
        return;
      }
      if (json === undefined) {
        const data = eventJson(event);
        json = data === '{}' ? `${prefix}}` : `${prefix},${data.slice(1)}`;
      }
      sse.sendJson(nextId++, event.event, json);
      if (isTerminalEvent(event)) columnEnded();
    });
    detachers.push(detach);
  }
  // Leaving only detaches: every column runs on to its end and is persisted.
  sse.onClose(() => detachers.forEach((detach) => detach()));
}
