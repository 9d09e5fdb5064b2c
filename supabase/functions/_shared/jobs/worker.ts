// A worker loop over the job queue: claims jobs of the types it has handlers for, keeps the lease with a
// heartbeat timer while a handler runs, and completes or fails the job (retry and backoff are decided in
// SQL by fail_job). A worker that loses its lease stops writing: its writes renew the lease in their own
// transaction, so nothing commits after another worker has taken the job over.
//
// A database restart is an outage, not a failure: while the database cannot be reached the worker polls with
// exponential backoff, and a job whose run lost the database is not failed (that could not be recorded
// anyway) but resumed by the same worker once the database answers again, as long as it still holds the lease.
// Handlers are written to be resumed (they skip what a previous run stored), so nothing is lost or doubled.
import { hostname } from "node:os";
import process from "node:process";
import type postgres from "postgres";
import { DatabaseUnavailableError, isConnectionLost } from "../transaction.ts";
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
  /** Longest pause between tries while the database cannot be reached (the pause doubles from pollIntervalMs). */
  maxBackoffMs?: number;
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
  private readonly maxBackoffMs: number;
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
    this.maxBackoffMs = Math.max(this.pollIntervalMs, options.maxBackoffMs ?? 30_000);
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
    let failures = 0;
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runOnce();
        if (failures > 0) this.log(`the queue answers again after ${failures} failed polls`);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 10 === 0) this.log(`cannot poll the queue (${failures}): ${message(error)}`);
      }
      if (!worked && this.running) await this.sleep(failures ? this.backoff(failures) : this.pollIntervalMs);
    }
  }

  /** The pause after `failures` failed tries in a row: doubling from the poll interval, capped, with jitter. */
  private backoff(failures: number): number {
    const ms = Math.min(this.maxBackoffMs, this.pollIntervalMs * 2 ** Math.min(failures - 1, 20));
    return ms / 2 + Math.random() * (ms / 2);
  }

  /**
   * Waits, with backoff, until the database answers: the number of tries it took (1: it never was away), or 0
   * when the worker was stopped meanwhile.
   */
  private async databaseBack(): Promise<number> {
    for (let tries = 1; this.running; tries++) {
      try {
        await this.sql`select 1`;
        return tries;
      } catch (error) {
        if (tries === 1 || tries % 10 === 0) this.log(`waiting for the database (${tries}): ${message(error)}`);
        await this.sleep(this.backoff(tries));
      }
    }
    return 0;
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
        // While the database is away the run itself notices; a failed heartbeat then says nothing new.
        if (!(error instanceof LeaseLostError) && !isConnectionLost(error))
          this.log(`heartbeat failed for job ${job.id}: ${message(error)}`);
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
          }).catch((error: unknown) => {
            throw isConnectionLost(error) ? new DatabaseUnavailableError(error) : error;
          }),
        ),
    };
    this.log(`running ${job.job_type} job ${job.id} (attempt ${job.attempts} of ${job.max_attempts})`);
    try {
      for (;;) {
        try {
          const result = await this.handlers[job.job_type]!(context);
          lease.signal.throwIfAborted();
          await watch(this.queue.complete(job, this.name, result ?? null));
          this.log(`completed job ${job.id}`);
          return;
        } catch (error) {
          if (lease.signal.aborted || error instanceof LeaseLostError) {
            this.log(`lost the lease on job ${job.id}; another worker carries on`);
            return;
          }
          if (!isConnectionLost(error)) throw error;
          // The database went away mid-run: resume once it is back, if the job is still ours.
          this.log(`lost the database during job ${job.id}: ${message(error)}`);
          const tries = await this.databaseBack();
          if (tries === 0) {
            this.log(`stopped while the database was away; job ${job.id} goes to another worker when its lease ends`);
            return;
          }
          // The database answered at once: this was one connection's trouble, an ordinary (retried) failure.
          if (tries === 1) throw error;
          try {
            await watch(this.queue.heartbeat(job, this.name));
          } catch (heartbeatError) {
            if (heartbeatError instanceof LeaseLostError || !isConnectionLost(heartbeatError)) {
              this.log(`cannot resume job ${job.id}: ${message(heartbeatError)}`);
              return;
            }
            continue;
          }
          this.log(`resuming job ${job.id}`);
        }
      }
    } catch (error) {
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
