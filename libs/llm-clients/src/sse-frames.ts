import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

/**
 * Server-sent events from raw body chunks. Chunks split anywhere (inside a frame, inside a multi-byte character):
 * the decoder runs in stream mode and eventsource-parser keeps partial lines. A last frame missing its blank line
 * is still delivered — several servers close the stream right after `data: [DONE]`.
 */
export async function* readSseFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    yield* pending.splice(0);
  }
  parser.feed(`${decoder.decode()}\n\n`);
  yield* pending.splice(0);
}
