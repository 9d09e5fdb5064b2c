// The profiling worker: a job worker with the profiling handler and the sampling draw's (large sample-selection
// draws, supabase/functions/profiling/sampling.ts), configured from the environment.
import process from "node:process";
import type postgres from "postgres";
import { JobWorker } from "../_shared/jobs/worker.ts";
import { PROFILING_JOB_TYPE, profilingHandler } from "./execution.ts";
import { SAMPLING_REPERFORM_JOB_TYPE } from "./database-sampling.ts";
import { reperformanceHandler, SAMPLING_JOB_TYPE, samplingHandler } from "./sampling.ts";

export interface ProfilingWorkerOptions {
  /** Job types served (a dedicated pool of workers may serve its own): the profiling handler, or the sampling ones for sampling.draw and sampling.reperform. */
  jobTypes?: string[];
  leaseSeconds?: number;
  pollIntervalMs?: number;
  statementTimeoutMs?: number;
  ruleBudgetMs?: number;
  /** How long a sampling draw may take (SAMPLING_STATEMENT_TIMEOUT_MS; 15 minutes by default). */
  samplingTimeoutMs?: number;
  name?: string;
}

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number, not ${value}`);
  return parsed;
}

/** PROFILING_JOB_TYPES (comma-separated), PROFILING_LEASE_SECONDS, PROFILING_POLL_MS, PROFILING_STATEMENT_TIMEOUT_MS, PROFILING_RULE_BUDGET_MS, SAMPLING_STATEMENT_TIMEOUT_MS, PROFILING_WORKER_NAME. */
export function profilingWorkerOptionsFromEnv(): ProfilingWorkerOptions {
  const types = process.env.PROFILING_JOB_TYPES?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    jobTypes: types?.length ? types : undefined,
    leaseSeconds: numberFromEnv("PROFILING_LEASE_SECONDS"),
    pollIntervalMs: numberFromEnv("PROFILING_POLL_MS"),
    statementTimeoutMs: numberFromEnv("PROFILING_STATEMENT_TIMEOUT_MS"),
    ruleBudgetMs: numberFromEnv("PROFILING_RULE_BUDGET_MS"),
    samplingTimeoutMs: numberFromEnv("SAMPLING_STATEMENT_TIMEOUT_MS"),
    name: process.env.PROFILING_WORKER_NAME || undefined,
  };
}

export function createProfilingWorker(sql: postgres.Sql, options: ProfilingWorkerOptions = {}): JobWorker {
  const handler = profilingHandler(sql, {
    statementTimeoutMs: options.statementTimeoutMs,
    ruleBudgetMs: options.ruleBudgetMs,
  });
  const sampling = samplingHandler({ statementTimeoutMs: options.samplingTimeoutMs, sql });
  const reperformance = reperformanceHandler({ statementTimeoutMs: options.samplingTimeoutMs, sql });
  // A dedicated pool (PROFILING_JOB_TYPES) serves only the types it names; sampling.draw gets the sampling handler,
  // sampling.reperform (selections of database populations) the re-performance one.
  const jobTypes = options.jobTypes ?? [PROFILING_JOB_TYPE, SAMPLING_JOB_TYPE, SAMPLING_REPERFORM_JOB_TYPE];
  const handlerOf = (type: string) =>
    type === SAMPLING_JOB_TYPE ? sampling : type === SAMPLING_REPERFORM_JOB_TYPE ? reperformance : handler;
  return new JobWorker(sql, {
    handlers: Object.fromEntries(jobTypes.map((type) => [type, handlerOf(type)])),
    name: options.name,
    leaseSeconds: options.leaseSeconds ?? 60,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });
}
