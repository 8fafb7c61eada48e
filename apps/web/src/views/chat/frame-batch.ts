/**
 * Coalesces many updates into one per animation frame: `schedule()` as often as you like, `flush` runs at most once
 * per frame. A streaming answer receives several deltas per frame; the page re-renders once.
 */
export interface FrameBatcher {
  schedule(): void;
  /** Runs a scheduled flush now (the stream ended: show the final state without waiting for a frame). */
  flushNow(): void;
  cancel(): void;
}

export function createFrameBatcher(flush: () => void): FrameBatcher {
  const hasFrames = typeof requestAnimationFrame === 'function';
  let handle: ReturnType<typeof setTimeout> | number | null = null;

  function cancel(): void {
    if (handle === null) return;
    if (hasFrames) cancelAnimationFrame(handle as number);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
    handle = null;
  }

  const run = () => {
    handle = null;
    flush();
  };

  return {
    schedule() {
      if (handle !== null) return;
      handle = hasFrames ? requestAnimationFrame(run) : setTimeout(run, 16);
    },
    flushNow() {
      cancel();
      flush();
    },
    cancel,
  };
}
