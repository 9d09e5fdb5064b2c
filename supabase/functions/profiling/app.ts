// POST /profiling/versions/:id/executions queues a run of an approved profiling version (202 + job id);
// GET /profiling/jobs/:id reports the job's status and progress. Both act as the caller: reads and the
// request go through a client carrying the caller's JWT, so row-level security and the SQL function decide.
// Refusals answer { code, message, details?, hint? } (_shared/http-errors.ts): `code` is the stable reason,
// the database's included, and its PTxyz SQLSTATE becomes HTTP status xyz.
import { Hono } from "hono";
import type postgres from "postgres";
import { callerClient, requireUser, type UserEnv, type UserLookup } from "../_shared/auth.ts";
import { errorResponse, fromPostgrest, HttpError } from "../_shared/http-errors.ts";
import { visibleJob } from "../_shared/jobs/visible-job.ts";
import { type SourcePolicy, sourcePolicyFromEnv } from "../_shared/sources/policy.ts";
import { exportFailedRows } from "./failed-rows.ts";

export interface ProfilingAppOptions {
  url: string;
  anonKey: string;
  lookupUser: UserLookup;
  /** Called after a job was queued, e.g. to wake the in-process worker. */
  onQueued?: (jobId: string) => void;
  /** The project database, for the failed-rows export (it reads the source data as the rule executor). */
  sql?: postgres.Sql;
  /** Which hosts database sources may be on; DATABASE_SOURCE_ALLOWED_HOSTS and _SSL by default. */
  sourcePolicy?: SourcePolicy;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createProfilingApp(options: ProfilingAppOptions) {
  const app = new Hono<UserEnv>().basePath("/profiling");
  let policy: SourcePolicy | undefined;
  app.onError((error, c) => errorResponse(c, error));
  app.use("*", requireUser(options.lookupUser));
  const asCaller = (authorization: string | undefined) => callerClient(options.url, options.anonKey, authorization!);

  app.post("/versions/:id/executions", async (c) => {
    const versionId = c.req.param("id");
    if (!UUID.test(versionId)) throw new HttpError(400, "invalid_version_id", "The version id is not a UUID.");
    const supabase = asCaller(c.req.header("Authorization"));
    const { data: version, error: readError } = await supabase
      .from("artifact_versions")
      .select("id")
      .eq("id", versionId)
      .maybeSingle();
    if (readError) throw fromPostgrest(readError);
    if (!version) {
      throw new HttpError(404, "version_not_found", "This version does not exist or is not visible to you.");
    }
    const { data: job, error } = await supabase
      .rpc("request_profiling_execution", { p_version_id: versionId })
      .single<{ id: string; status: string }>();
    if (error) throw fromPostgrest(error);
    options.onQueued?.(job.id);
    c.header("Location", `${new URL(c.req.url).pathname.replace(/\/versions\/.*$/, "")}/jobs/${job.id}`);
    return c.json({ job_id: job.id, status: job.status }, 202);
  });

  app.get("/jobs/:id", async (c) => {
    const jobId = c.req.param("id");
    if (!UUID.test(jobId)) throw new HttpError(400, "invalid_job_id", "The job id is not a UUID.");
    const job = await visibleJob(asCaller(c.req.header("Authorization")), jobId);
    return c.json(job);
  });

  // Every failing row of one result as CSV, streamed (failed-rows.ts). Refusals come before the first byte.
  app.get("/results/:id/failed-rows", async (c) => {
    const resultId = c.req.param("id");
    if (!/^[1-9][0-9]{0,17}$/.test(resultId)) {
      throw new HttpError(400, "invalid_result_id", "The result id is not a positive integer.");
    }
    if (!options.sql) throw new HttpError(503, "export_unavailable", "This function instance does not export rows.");
    policy ??= options.sourcePolicy ?? sourcePolicyFromEnv();
    const exported = await exportFailedRows(options.sql, c.get("user").id, resultId, policy);
    return new Response(exported.body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exported.fileName}"`,
        "Cache-Control": "no-store",
        "X-Run-Failed-Count": String(exported.runFailedCount),
        "X-Failed-Rows-Basis": exported.basis,
        "X-Masked-Columns": exported.maskedColumns.map(encodeURIComponent).join(","),
      },
    });
  });

  return app;
}
