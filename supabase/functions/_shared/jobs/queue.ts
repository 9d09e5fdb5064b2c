// The job queue's SQL functions (claim_job, heartbeat_job, complete_job, fail_job), called as the
// service_role: the role they are granted to, whatever user the connection logs in as.
import type postgres from "postgres";
import { transaction } from "../transaction.ts";

export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** A row of public.background_jobs, as the worker sees it. */
export interface Job {
  id: string;
  job_type: string;
  status: JobStatus;
  progress: number;
  metadata: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  cycle_report_id: number | null;
  version_id: string | null;
  created_by: string | null;
}

/** The worker no longer holds the job (its lease expired and another worker took it, or it was cancelled). */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

function isLeaseLost(error: unknown): boolean {
  const e = error as { code?: string; detail?: string };
  return e?.code === "PT409" && e.detail === "lease_lost";
}

/** Runs fn in a transaction as the service_role. */
export async function asService<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return await transaction(sql, async (tx) => {
    await tx`select set_config('role', 'service_role', true)`;
    return await fn(tx);
  });
}

export class JobQueue {
  constructor(
    private readonly sql: postgres.Sql,
    readonly leaseSeconds: number,
  ) {}

  /** Claims the next due job of these types (or one whose lease expired); undefined when there is none. */
  async claim(jobTypes: string[], worker: string): Promise<Job | undefined> {
    const rows = await asService(
      this.sql,
      (tx) => tx<Job[]>`select * from public.claim_job(${jobTypes}, ${worker}, ${this.leaseSeconds})`,
    );
    return rows[0];
  }

  /** Renews the lease (and records progress) inside tx, or in its own transaction. */
  async heartbeat(
    job: Job,
    worker: string,
    progress: { percent?: number; message?: string } = {},
    tx?: postgres.TransactionSql,
  ): Promise<void> {
    const call = (t: postgres.TransactionSql) =>
      t`select 1 from public.heartbeat_job(${job.id}, ${worker}, ${progress.percent ?? null}, ${progress.message ?? null}, ${this.leaseSeconds})`;
    try {
      if (tx) await call(tx);
      else await asService(this.sql, call);
    } catch (error) {
      throw isLeaseLost(error) ? new LeaseLostError(`Lost the lease on job ${job.id}.`) : error;
    }
  }

  async complete(job: Job, worker: string, result: unknown): Promise<void> {
    try {
      await asService(
        this.sql,
        (tx) => tx`select 1 from public.complete_job(${job.id}, ${worker}, ${tx.json(result as postgres.JSONValue)})`,
      );
    } catch (error) {
      throw isLeaseLost(error) ? new LeaseLostError(`Lost the lease on job ${job.id}.`) : error;
    }
  }

  /** Records a failed attempt; returns the job's status afterwards (queued again after backoff, or failed). */
  async fail(job: Job, worker: string, message: string, retryable: boolean): Promise<JobStatus> {
    try {
      const [row] = await asService(
        this.sql,
        (tx) =>
          tx<
            { status: JobStatus }[]
          >`select status from public.fail_job(${job.id}, ${worker}, ${message}, ${retryable})`,
      );
      return row!.status;
    } catch (error) {
      throw isLeaseLost(error) ? new LeaseLostError(`Lost the lease on job ${job.id}.`) : error;
    }
  }
}
