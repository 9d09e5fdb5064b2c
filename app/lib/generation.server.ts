import type { SupabaseClient } from "@supabase/supabase-js";
import { FunctionsHttpError } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { refusalOf, type Refusal } from "./refusal";

export type GenerationKind = "attributes" | "rules";

export interface GenerationRequest {
  versionId: string;
  /** attributes: a planning draft; rules: a data-profiling draft. */
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
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; hint?: string | null };
    const coded = {
      code: `PT${response.status}`,
      message: body.message ?? "",
      details: body.code ?? null,
      hint: body.hint ?? null,
    };
    return { ok: false, status: response.status, refusal: refusalOf(coded, response.status) };
  }
  throw error;
}

export interface GenerationJob {
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  progress: number;
  progressMessage: string | null;
  error: string | null;
  /** When completed: provider, model, proposed counts, calls, tokens and cost (see docs/llm.md). */
  result: Record<string, unknown> | null;
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
    result: data.result as Record<string, unknown> | null,
  };
}
