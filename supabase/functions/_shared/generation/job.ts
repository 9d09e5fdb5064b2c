// What a generation job carries (written by public.request_generation) and how its targets become batches.
import { z } from "zod";
import { PermanentJobError } from "../jobs/worker.ts";
import type { Job } from "../jobs/queue.ts";

export const PLANNING_JOB_TYPE = "generation.planning_attributes";
export const RULES_JOB_TYPE = "generation.profiling_rules";
export const SCOPING_JOB_TYPE = "generation.scoping_recommendations";

const common = {
  version_id: z.string().uuid(),
  regulatory_context: z.string().nullish(),
  report_type: z.string().nullish(),
};

const metadataSchema = z.discriminatedUnion("kind", [
  z.object({
    ...common,
    kind: z.literal("planning_attributes"),
    targets: z.array(z.object({ data_source_id: z.string().uuid(), column: z.string() })).min(1),
  }),
  z.object({ ...common, kind: z.literal("profiling_rules"), targets: z.array(z.string().uuid()).min(1) }),
  z.object({ ...common, kind: z.literal("scoping_recommendations"), targets: z.array(z.string().uuid()).min(1) }),
]);

export type GenerationJobMetadata = z.infer<typeof metadataSchema>;
export type ColumnTarget = Extract<GenerationJobMetadata, { kind: "planning_attributes" }>["targets"][number];

export function jobMetadata(job: Job): GenerationJobMetadata {
  const parsed = metadataSchema.safeParse(job.metadata);
  if (!parsed.success)
    throw new PermanentJobError(`The job's input is not a generation request: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Splits the job's fixed targets into batches of `size`. The split depends only on the targets, so every run of
 * the job gives batch i the same content and the same idempotency key.
 */
export function chunk<T>(targets: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < targets.length; i += size) batches.push(targets.slice(i, i + size));
  return batches;
}

/** The idempotency key of one batch: the same on every retry of the job. */
export const batchKey = (job: Job, index: number) => `${job.id}:${index}`;
