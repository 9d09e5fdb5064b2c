// POST /profiling/versions/:id/executions queues a run of an approved profiling version (202 + job id);
// GET /profiling/jobs/:id reports the job's status and progress. Both act as the caller: reads and the
// request go through a client carrying the caller's JWT, so row-level security and the SQL function decide.
import type { PostgrestError } from "@supabase/supabase-js";
import { Hono } from "hono";
import { callerClient, requireUser, type UserEnv, type UserLookup } from "../_shared/auth.ts";

export interface ProfilingAppOptions {
  url: string;
  anonKey: string;
  lookupUser: UserLookup;
  /** Called after a job was queued, e.g. to wake the in-process worker. */
  onQueued?: (jobId: string) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOB_COLUMNS =
  "id, job_type, status, progress, progress_message, attempts, max_attempts, error, result, version_id, cycle_report_id, run_after, created_at, started_at, completed_at";

/** The database's refusal as the REST API gives it: PTxyz becomes HTTP xyz. */
function refusal(error: PostgrestError): { status: 400 | 401 | 403 | 404 | 409 | 500; body: PostgrestError } {
  const coded = /^PT(400|401|403|404|409)$/.exec(error.code ?? "");
  if (coded) return { status: Number(coded[1]) as 400 | 401 | 403 | 404 | 409, body: error };
  if (error.code === "42501") return { status: 403, body: error };
  return { status: 500, body: error };
}

export function createProfilingApp(options: ProfilingAppOptions) {
  const app = new Hono<UserEnv>().basePath("/profiling");
  app.use("*", requireUser(options.lookupUser));
  const asCaller = (authorization: string | undefined) => callerClient(options.url, options.anonKey, authorization!);

  app.post("/versions/:id/executions", async (c) => {
    const versionId = c.req.param("id");
    if (!UUID.test(versionId))
      return c.json({ code: "invalid_version_id", message: "The version id is not a UUID." }, 400);
    const supabase = asCaller(c.req.header("Authorization"));
    const { data: version, error: readError } = await supabase
      .from("artifact_versions")
      .select("id")
      .eq("id", versionId)
      .maybeSingle();
    if (readError) {
      const { status, body } = refusal(readError);
      return c.json(body, status);
    }
    if (!version) {
      return c.json(
        {
          code: "PT404",
          details: "version_not_found",
          message: "This version does not exist or is not visible to you.",
        },
        404,
      );
    }
    const { data: job, error } = await supabase
      .rpc("request_profiling_execution", { p_version_id: versionId })
      .single<{ id: string; status: string }>();
    if (error) {
      const { status, body } = refusal(error);
      return c.json(body, status);
    }
    options.onQueued?.(job.id);
    c.header("Location", `${new URL(c.req.url).pathname.replace(/\/versions\/.*$/, "")}/jobs/${job.id}`);
    return c.json({ job_id: job.id, status: job.status }, 202);
  });

  app.get("/jobs/:id", async (c) => {
    const jobId = c.req.param("id");
    if (!UUID.test(jobId)) return c.json({ code: "invalid_job_id", message: "The job id is not a UUID." }, 400);
    const { data: job, error } = await asCaller(c.req.header("Authorization"))
      .from("background_jobs")
      .select(JOB_COLUMNS)
      .eq("id", jobId)
      .maybeSingle();
    if (error) {
      const { status, body } = refusal(error);
      return c.json(body, status);
    }
    if (!job)
      return c.json(
        { code: "PT404", details: "job_not_found", message: "This job does not exist or is not visible to you." },
        404,
      );
    return c.json(job);
  });

  return app;
}
