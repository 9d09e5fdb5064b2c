import type { SupabaseClient } from "@supabase/supabase-js";
import { FunctionsHttpError } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { functionRefusal } from "./function-refusal.server";
import { refusalOf, type Refusal } from "./refusal";

export type GenerationKind = "attributes" | "scoping" | "rules";

export interface GenerationRequest {
  versionId: string;
  /** attributes: a planning draft; scoping: recommendations for a scoping draft; rules: a data-profiling draft. */
  kind: GenerationKind;
  regulatoryContext?: string | null;
  reportType?: string | null;
}

export type GenerationQueued = { ok: true; jobId: string } | { ok: false; status: number; refusal: Refusal };

/**
 * Asks the generation function for proposals as the signed-in user (their access token goes with the call, so
 * the database decides whether they may). Answers with the job to poll; asking again while it runs gives the
 * same job.
 */
export async function requestGeneration(
  supabase: SupabaseClient<Database>,
  request: GenerationRequest,
): Promise<GenerationQueued> {
  const { data, error } = await supabase.functions.invoke<{ job_id: string }>(
    `generation/versions/${encodeURIComponent(request.versionId)}/${request.kind}`,
    {
      method: "POST",
      body: { regulatory_context: request.regulatoryContext || null, report_type: request.reportType || null },
    },
  );
  if (!error) return { ok: true, jobId: data!.job_id };
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    return { ok: false, status: response.status, refusal: refusalOf(await functionRefusal(response), response.status) };
  }
  throw error;
}

/** What a completed generation job reports (docs/llm.md, Generation jobs). */
export interface GenerationResult {
  provider: string;
  model: string;
  /** Items of the draft proposed, by kind: attributes and pde_mappings, or rules. */
  proposed: Record<string, number>;
  /** Every attempt of every call, failed ones included. */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface GenerationJob {
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  progress: number;
  progressMessage: string | null;
  error: string | null;
  /** When completed and the job reported its summary. */
  result: GenerationResult | null;
}

const count = z.number().int().nonnegative();
const resultSchema = z.object({
  provider: z.string(),
  model: z.string(),
  proposed: z.record(count),
  calls: count,
  input_tokens: count,
  output_tokens: count,
  cost_usd: z.number().nonnegative(),
});

/**
 * A generation job's result, or the summary a job left on its draft (`artifact_versions.generation_summary`,
 * keyed by kind), as the app shows it; null when it is absent or not of that shape.
 */
export function generationResultOf(value: unknown): GenerationResult | null {
  const parsed = resultSchema.safeParse(value);
  if (!parsed.success) return null;
  const { input_tokens, output_tokens, cost_usd, ...rest } = parsed.data;
  return { ...rest, inputTokens: input_tokens, outputTokens: output_tokens, costUsd: cost_usd };
}

/** A generation job's progress, read through the user's client (row-level security decides); null if not visible. */
export async function readGenerationJob(
  supabase: SupabaseClient<Database>,
  jobId: string,
): Promise<GenerationJob | null> {
  const { data, error } = await supabase
    .from("background_jobs")
    .select("status, progress, progress_message, error, result")
    .eq("id", jobId)
    .like("job_type", "generation.%")
    .maybeSingle();
  if (error) throw new Error(`job lookup failed: ${error.message}`);
  if (!data) return null;
  return {
    status: data.status,
    progress: data.progress,
    progressMessage: data.progress_message,
    error: data.error,
    result: generationResultOf(data.result),
  };
}
