import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { callerClient, requireUser, type UserEnv, type UserLookup } from "../_shared/auth.ts";
import { errorResponse, fromPostgrest, HttpError } from "../_shared/http-errors.ts";
import { visibleJob } from "../_shared/jobs/visible-job.ts";
import { parseInput } from "../_shared/request-input.ts";

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
 * - POST /versions/:id/scoping {regulatory_context?, report_type?} → 202 {job_id, status}: recommendations for a
 *   scoping draft's decisions
 * - GET /jobs/:id → the job's status, progress and result
 * One generation job is active per version; asking again answers with it.
 */
export function createGenerationApp(config: GenerationAppConfig) {
  const app = new Hono<UserEnv>().basePath("/generation");
  app.onError((error, c) => errorResponse(c, error));
  app.use("*", requireUser(config.lookupUser));

  const queue =
    (kind: "planning_attributes" | "profiling_rules" | "scoping_recommendations") => async (c: Context<UserEnv>) => {
      const versionId = parseInput(uuid, c.req.param("id"), "version id");
      const what = "generation request";
      const body = parseInput(request, jsonBody(await c.req.text(), what), what);
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
  app.post("/versions/:id/scoping", queue("scoping_recommendations"));

  app.get("/jobs/:id", async (c) => {
    const jobId = parseInput(uuid, c.req.param("id"), "job id");
    const client = callerClient(config.url, config.anonKey, c.req.header("Authorization")!);
    const job = await visibleJob(client, jobId, "generation.");
    return c.json(job);
  });

  return app;
}
