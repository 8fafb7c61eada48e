import type { Job } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import { describe, expect, it, vi } from 'vitest';
import { CompareBatchJob } from '../../common/queue/queue.types';
import { compareBatchesError, CompareBatchesErrorCode } from './compare-batches.errors';
import { CompareBatchProcessor } from './compare-batch.processor';
import type { CompareBatchRunner } from './compare-batch.runner';

function processorFailingWith(error: Error) {
  const fail = vi.fn(async () => undefined);
  const runner = { run: vi.fn(async () => Promise.reject(error)), fail } as unknown as CompareBatchRunner;
  const logger = { setContext: vi.fn(), info: vi.fn(), error: vi.fn() } as unknown as PinoLogger;
  return { processor: new CompareBatchProcessor(runner, logger), fail, logger };
}

const job = (attemptsMade: number) =>
  ({
    id: '1',
    name: CompareBatchJob.Run,
    data: { batchId: 'b1', requestId: 'r1' },
    attemptsMade,
    opts: { attempts: 5 },
  }) as unknown as Job<{ batchId: string; requestId: string }>;

describe('CompareBatchProcessor', () => {
  it('marks the batch failed on the last attempt in words for its owner, keeping a library error in the log', async () => {
    const error = new Error('invalid byte sequence for encoding "UTF8": 0x00');
    const { processor, fail, logger } = processorFailingWith(error);
    await expect(processor.process(job(3))).rejects.toBe(error);
    expect(fail).not.toHaveBeenCalled();
    await expect(processor.process(job(4))).rejects.toBe(error);
    expect(fail).toHaveBeenCalledWith('b1', 'The batch stopped on an unexpected error; the worker log has the details');
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ err: error }), 'compare batch failed');
  });

  it("passes on the platform's own error messages", async () => {
    const error = compareBatchesError(CompareBatchesErrorCode.NotFound, 'Batch not found');
    const { processor, fail } = processorFailingWith(error);
    await expect(processor.process(job(4))).rejects.toBe(error);
    expect(fail).toHaveBeenCalledWith('b1', 'Batch not found');
  });
});
