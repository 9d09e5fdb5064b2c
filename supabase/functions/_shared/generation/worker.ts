// The generation worker: a job worker serving the generation job types, configured from the environment.
import process from "node:process";
import type postgres from "postgres";
import { JobWorker } from "../jobs/worker.ts";
import { generationHandler, type GenerationOptions } from "./handler.ts";
import { PLANNING_JOB_TYPE, RULES_JOB_TYPE, SCOPING_JOB_TYPE } from "./job.ts";

export interface GenerationWorkerOptions extends GenerationOptions {
  /** Job types served (a dedicated pool of workers may serve its own); the kind comes from each job's input. */
  jobTypes?: string[];
  leaseSeconds?: number;
  pollIntervalMs?: number;
  name?: string;
}

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, not ${value}`);
  return parsed;
}

/** GENERATION_JOB_TYPES (comma-separated), GENERATION_LEASE_SECONDS, GENERATION_POLL_MS, GENERATION_BATCH_SIZE, GENERATION_WORKER_NAME. */
export function generationWorkerOptionsFromEnv(): GenerationWorkerOptions {
  const types = process.env.GENERATION_JOB_TYPES?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    jobTypes: types?.length ? types : undefined,
    leaseSeconds: numberFromEnv("GENERATION_LEASE_SECONDS"),
    pollIntervalMs: numberFromEnv("GENERATION_POLL_MS"),
    batchSize: numberFromEnv("GENERATION_BATCH_SIZE"),
    name: process.env.GENERATION_WORKER_NAME || undefined,
  };
}

export function createGenerationWorker(sql: postgres.Sql, options: GenerationWorkerOptions = {}): JobWorker {
  const handler = generationHandler(sql, options);
  const jobTypes = options.jobTypes ?? [PLANNING_JOB_TYPE, RULES_JOB_TYPE, SCOPING_JOB_TYPE];
  return new JobWorker(sql, {
    handlers: Object.fromEntries(jobTypes.map((type) => [type, handler])),
    name: options.name,
    // Long enough for a slow call between heartbeats; the heartbeat timer renews it meanwhile.
    leaseSeconds: options.leaseSeconds ?? 120,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
  });
}
