import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { callerClient, requireUser, type UserEnv, type UserLookup } from "../_shared/auth.ts";
import { errorResponse, fromPostgrest, HttpError } from "../_shared/http-errors.ts";

export interface GenerationAppConfig {
  url: string;
  anonKey: string;
  lookupUser: UserLookup;
  /** Called after a job was queued, e.g. to wake the in-process worker. */
  onQueued?: (jobId: string) => void;
}

const uuid = z.string().uuid();
const request = z
  .object({
    regulatory_context: z.string().max(20_000).nullish(),
    report_type: z.string().max(200).nullish(),
  })
  .strict();
const JOB_COLUMNS =
  "id, job_type, status, progress, progress_message, attempts, max_attempts, error, result, version_id, cycle_report_id, run_after, created_at, started_at, completed_at";

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`).join("; ");
    throw new HttpError(400, "invalid_request", `Invalid ${what}: ${issues}.`);
  }
  return result.data;
}

/** The request body as JSON: an empty body is `{}`; one that is not JSON is the caller's mistake, not ours. */
function jsonBody(text: string, what: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      "invalid_request",
      `Invalid ${what}: the body is not valid JSON (${(error as Error).message}).`,
    );
  }
}

/**
 * /generation: LLM proposals for drafts, run as background jobs.
 * - POST /versions/:id/attributes {regulatory_context?, report_type?} → 202 {job_id, status}: attributes and PDE
 *   mappings for a planning draft's columns
 * - POST /versions/:id/rules {regulatory_context?, report_type?} → 202 {job_id, status}: rules for the approved
 *   attributes a profiling draft is based on
 * - GET /jobs/:id → the job's status, progress and result
 * One generation job is active per version; asking again answers with it.
 */
export function createGenerationApp(config: GenerationAppConfig) {
  const app = new Hono<UserEnv>().basePath("/generation");
  app.onError((error, c) => errorResponse(c, error));
  app.use("*", requireUser(config.lookupUser));

  const queue = (kind: "planning_attributes" | "profiling_rules") => async (c: Context<UserEnv>) => {
    const versionId = parse(uuid, c.req.param("id"), "version id");
    const what = "generation request";
    const body = parse(request, jsonBody(await c.req.text(), what), what);
    const { data: job, error } = await callerClient(config.url, config.anonKey, c.req.header("Authorization")!)
      .rpc("request_generation", {
        p_version_id: versionId,
        p_kind: kind,
        p_regulatory_context: body.regulatory_context ?? null,
        p_report_type: body.report_type ?? null,
      })
      .single<{ id: string; status: string }>();
    if (error) throw fromPostgrest(error);
    config.onQueued?.(job.id);
    c.header("Location", `${new URL(c.req.url).pathname.replace(/\/versions\/.*$/, "")}/jobs/${job.id}`);
    return c.json({ job_id: job.id, status: job.status }, 202);
  };
  app.post("/versions/:id/attributes", queue("planning_attributes"));
  app.post("/versions/:id/rules", queue("profiling_rules"));

  app.get("/jobs/:id", async (c) => {
    const jobId = parse(uuid, c.req.param("id"), "job id");
    const { data: job, error } = await callerClient(config.url, config.anonKey, c.req.header("Authorization")!)
      .from("background_jobs")
      .select(JOB_COLUMNS)
      .eq("id", jobId)
      .like("job_type", "generation.%")
      .maybeSingle();
    if (error) throw fromPostgrest(error);
    if (!job) throw new HttpError(404, "job_not_found", "This job does not exist or is not visible to you.");
    return c.json(job);
  });

  return app;
}
