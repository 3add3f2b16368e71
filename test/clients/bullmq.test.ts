// Unmodified BullMQ (Lua scripts via EVALSHA/EVAL, cmsgpack, streams, sorted sets, blocking
// markers) against a spawned Restash over RESP: 1,000 jobs, some delayed, some failing before
// they succeed; a worker completes every one of them.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Queue, Worker, QueueEvents, type Job } from "bullmq";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;

before(async () => {
  server = await spawnServer();
});

after(async () => {
  await server.stop();
});

interface JobData {
  n: number;
  /** Attempts that throw before the job succeeds. */
  failures: number;
  /** Earliest time the job may run (delayed jobs). */
  notBefore: number;
}

test("BullMQ: 1,000 jobs with retries and delays all complete", { timeout: 120_000 }, async () => {
  const connection = { host: "127.0.0.1", port: server.port, maxRetriesPerRequest: null };
  const queue = new Queue<JobData>("restash-test", { connection });
  const events = new QueueEvents("restash-test", { connection });
  await events.waitUntilReady();

  const total = 1000;
  const now = Date.now();
  const jobs = Array.from({ length: total }, (_, n) => {
    const delay = n % 20 === 0 ? 300 : 0;
    const failures = n % 25 === 0 ? 2 : 0;
    return {
      name: `job-${n}`,
      data: { n, failures, notBefore: now + delay },
      opts: { delay, attempts: 3, backoff: { type: "fixed", delay: 20 }, removeOnComplete: false },
    };
  });
  for (let i = 0; i < jobs.length; i += 100) await queue.addBulk(jobs.slice(i, i + 100));
  assert.equal(await queue.count(), total);

  const ran = new Map<number, number>();
  const earlyRuns: number[] = [];
  const completed = new Set<number>();
  let failedEvents = 0;
  const allDone = new Promise<void>((resolve) => {
    events.on("completed", ({ jobId }) => {
      completed.add(Number(jobId));
      if (completed.size === total) resolve();
    });
  });

  const worker = new Worker<JobData, number>(
    "restash-test",
    async (job: Job<JobData>) => {
      const { n, failures, notBefore } = job.data;
      if (Date.now() < notBefore) earlyRuns.push(n);
      ran.set(n, (ran.get(n) ?? 0) + 1);
      if (job.attemptsMade < failures) throw new Error(`planned failure ${job.attemptsMade + 1}`);
      return n * 2;
    },
    { connection, concurrency: 20 },
  );
  worker.on("failed", () => failedEvents++);

  try {
    await allDone;
  } finally {
    await worker.close();
  }

  assert.equal(completed.size, total);
  assert.deepEqual(earlyRuns, [], "delayed jobs ran before their delay");
  const retried = jobs.filter((j) => j.data.failures > 0);
  for (const j of retried) assert.equal(ran.get(j.data.n), 3, `job ${j.data.n} attempts`);
  assert.equal(failedEvents, retried.length * 2);
  assert.equal(await queue.getCompletedCount(), total);
  assert.equal(await queue.getFailedCount(), 0);
  assert.equal(await queue.getDelayedCount(), 0);
  assert.equal(await queue.getWaitingCount(), 0);

  const job50 = (await queue.getCompleted(0, total)).find((j) => j.data.n === 50)!;
  assert.equal(job50.returnvalue, 100);
  assert.equal(job50.attemptsMade, 3);

  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
});
