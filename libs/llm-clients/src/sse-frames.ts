import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

export type { EventSourceMessage };

const NO_FRAMES: readonly EventSourceMessage[] = [];

/**
 * Server-sent events from raw body chunks, one network chunk at a time. Chunks split anywhere (inside a frame,
 * inside a multi-byte character): the decoder runs in stream mode and eventsource-parser keeps partial lines.
 * Synchronous on purpose: a reader parses every frame of a chunk in one go instead of paying an async hop per frame.
 */
export class SseFrameReader {
  private pending: EventSourceMessage[] = [];
  private readonly parser: EventSourceParser;
  // StringDecoder rather than TextDecoder: the same stream-mode UTF-8 decoding, but TextDecoder's streaming path is
  // several times slower on Node 20 and was a visible share of the per-token cost.
  private readonly decoder = new StringDecoder('utf8');
  private started = false;

  constructor() {
    this.parser = createParser({
      onEvent: (event) => this.pending.push(event),
      // Not SSE, but llama.cpp's server has written failures as an `error: {json}` line (`data:` in newer
      // releases): read it as an `error` event rather than drop the only explanation there is.
      onError: (error) => {
        if (error.type === 'unknown-field' && error.field === 'error' && error.value) {
          this.pending.push({ id: undefined, event: 'error', data: error.value });
        }
      },
    });
  }

  /** The frames this chunk completed (possibly none). */
  feed(chunk: Uint8Array): readonly EventSourceMessage[] {
    this.feedText(this.decoder.write(chunk));
    return this.take();
  }

  /** End of body. A last frame missing its blank line is still delivered: several servers close right after it. */
  end(): readonly EventSourceMessage[] {
    this.feedText(`${this.decoder.end()}\n\n`);
    return this.take();
  }

  private feedText(text: string): void {
    if (text === '') return;
    if (!this.started) {
      this.started = true;
      // A byte order mark opens the stream, not the first field (TextDecoder used to drop it the same way).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.parser.feed(text);
  }

  private take(): readonly EventSourceMessage[] {
    const frames = this.pending;
    if (frames.length === 0) return NO_FRAMES;
    this.pending = [];
    return frames;
  }
}

/** Frame-by-frame view of {@link SseFrameReader} for callers that do not care about chunk boundaries. */
export async function* readSseFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const reader = new SseFrameReader();
  for await (const chunk of chunks) yield* reader.feed(chunk);
  yield* reader.end();
}
