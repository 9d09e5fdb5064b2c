// A worker loop over the job queue: claims jobs of the types it has handlers for, keeps the lease with a
// heartbeat timer while a handler runs, and completes or fails the job (retry and backoff are decided in
// SQL by fail_job). A worker that loses its lease stops writing: its writes renew the lease in their own
// transaction, so nothing commits after another worker has taken the job over.
import { hostname } from "node:os";
import process from "node:process";
import type postgres from "postgres";
import { asService, type Job, JobQueue, LeaseLostError } from "./queue.ts";

/** A failure that retrying cannot fix (bad input, a version that is not runnable): the job fails at once. */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}

export interface JobContext {
  job: Job;
  worker: string;
  /** Aborted when the worker loses the job; the handler should stop and return. */
  signal: AbortSignal;
  /** Records progress (0–100) and renews the lease. */
  progress(percent: number, message?: string): Promise<void>;
  /**
   * Runs fn in one service_role transaction that first renews the lease (recording progress if given):
   * the writes commit only while this worker holds the job.
   */
  write<T>(
    fn: (tx: postgres.TransactionSql) => Promise<T>,
    progress?: { percent?: number; message?: string },
  ): Promise<T>;
}

/** Does the job's work and returns its result (stored on the job). */
export type JobHandler = (context: JobContext) => Promise<unknown>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  name?: string;
  /** How long a claim lasts without a heartbeat; another worker may take the job after that. */
  leaseSeconds?: number;
  heartbeatMs?: number;
  /** Pause between polls when the queue is empty. */
  pollIntervalMs?: number;
  log?: (message: string) => void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class JobWorker {
  readonly name: string;
  private readonly queue: JobQueue;
  private readonly handlers: Record<string, JobHandler>;
  private readonly heartbeatMs: number;
  private readonly pollIntervalMs: number;
  private readonly log: (message: string) => void;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly sql: postgres.Sql,
    options: WorkerOptions,
  ) {
    const leaseSeconds = options.leaseSeconds ?? 60;
    this.name = options.name ?? `${hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
    this.queue = new JobQueue(sql, leaseSeconds);
    this.handlers = options.handlers;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(200, (leaseSeconds * 1000) / 3);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.log = options.log ?? ((m) => console.info(`[worker ${this.name}] ${m}`));
  }

  /** Starts polling in the background (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Polls now instead of waiting for the next interval (e.g. right after a job was queued). */
  nudge(): void {
    this.wake?.();
  }

  /** Stops claiming and waits for the job in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Claims and runs one job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const job = await this.queue.claim(Object.keys(this.handlers), this.name);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.log(`cannot poll the queue: ${message(error)}`);
      }
      if (!worked && this.running) await this.sleep(this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async execute(job: Job): Promise<void> {
    const lease = new AbortController();
    const watch = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } catch (error) {
        if (error instanceof LeaseLostError) lease.abort(error);
        throw error;
      }
    };
    const timer = setInterval(() => {
      watch(this.queue.heartbeat(job, this.name)).catch((error) => {
        if (!(error instanceof LeaseLostError)) this.log(`heartbeat failed for job ${job.id}: ${message(error)}`);
      });
    }, this.heartbeatMs);
    const context: JobContext = {
      job,
      worker: this.name,
      signal: lease.signal,
      progress: (percent, text) => watch(this.queue.heartbeat(job, this.name, { percent, message: text })),
      write: (fn, progress) =>
        watch(
          asService(this.sql, async (tx) => {
            await this.queue.heartbeat(job, this.name, progress, tx);
            return await fn(tx);
          }),
        ),
    };
    this.log(`running ${job.job_type} job ${job.id} (attempt ${job.attempts} of ${job.max_attempts})`);
    try {
      const result = await this.handlers[job.job_type]!(context);
      lease.signal.throwIfAborted();
      await watch(this.queue.complete(job, this.name, result ?? null));
      this.log(`completed job ${job.id}`);
    } catch (error) {
      if (lease.signal.aborted || error instanceof LeaseLostError) {
        this.log(`lost the lease on job ${job.id}; another worker carries on`);
        return;
      }
      try {
        const status = await this.queue.fail(job, this.name, message(error), !(error instanceof PermanentJobError));
        this.log(`job ${job.id} failed (${status === "queued" ? "will retry" : "final"}): ${message(error)}`);
      } catch (failError) {
        this.log(`cannot record the failure of job ${job.id}: ${message(failError)}`);
      }
    } finally {
      clearInterval(timer);
    }
  }
}
