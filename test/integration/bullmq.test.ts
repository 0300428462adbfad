/**
 * BullMQ (from npm, unchanged) running a queue against ferrokv: its Lua
 * scripts, blocking markers and event streams. 10,000 jobs go through a
 * worker — some delayed, some failing on their first attempts and retried
 * with backoff, some prioritised, all under a rate limiter — and every job
 * must complete exactly once.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from '../../ts/index';
import { startFerro } from '../support/servers';

const JOBS = 10_000;
const QUEUE = 'ferrokv-bullmq';

let server: RunningServer;

beforeAll(async () => {
  server = await startFerro();
});
afterAll(async () => {
  await server?.close();
});

interface Payload {
  n: number;
  /** Attempts that fail before one succeeds. */
  failures: number;
}

describe('BullMQ', () => {
  it('runs 10,000 jobs — delayed, retried, prioritised, rate limited — each completing exactly once', { timeout: 600_000 }, async () => {
    const connection = { host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null };
    const queue = new Queue<Payload>(QUEUE, { connection });
    const completions = new Map<number, number>();
    const attemptsSeen = new Map<number, number>();
    let failedEvents = 0;
    let finish: () => void = () => {};
    const allDone = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const worker = new Worker<Payload>(
      QUEUE,
      async (job) => {
        const seen = (attemptsSeen.get(job.data.n) ?? 0) + 1;
        attemptsSeen.set(job.data.n, seen);
        if (seen <= job.data.failures) throw new Error(`planned failure ${seen} of job ${job.data.n}`);
        return job.data.n * 2;
      },
      { connection, concurrency: 50, limiter: { max: 5_000, duration: 1_000 } },
    );
    worker.on('completed', (job, result) => {
      expect(result).toBe(job.data.n * 2);
      completions.set(job.data.n, (completions.get(job.data.n) ?? 0) + 1);
      if (completions.size === JOBS) finish();
    });
    worker.on('failed', () => {
      failedEvents += 1;
    });
    // A command the server refuses surfaces here: fail at once, not at the timeout.
    const broken = new Promise<never>((_, reject) => worker.on('error', reject));
    try {
      const jobs = Array.from({ length: JOBS }, (_, n) => ({
        name: 'work',
        data: { n, failures: n % 97 === 0 ? 2 : 0 },
        opts: {
          attempts: 3,
          backoff: { type: 'fixed', delay: 20 },
          ...(n % 50 === 0 ? { delay: 200 } : {}),
          ...(n % 7 === 0 ? { priority: 1 + (n % 5) } : {}),
          removeOnComplete: true,
        },
      }));
      for (let i = 0; i < jobs.length; i += 1_000) await queue.addBulk(jobs.slice(i, i + 1_000));
      await Promise.race([allDone, broken]);
      expect(completions.size).toBe(JOBS);
      expect([...completions.values()].every((count) => count === 1)).toBe(true);
      const retried = Array.from({ length: JOBS }, (_, n) => n).filter((n) => n % 97 === 0);
      for (const n of retried) expect(attemptsSeen.get(n)).toBe(3);
      expect(failedEvents).toBe(retried.length * 2);
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, prioritized: 0 });
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
