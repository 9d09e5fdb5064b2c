// A background job as its caller may see it (row-level security decides), for the functions' GET /jobs/:id.
import type { SupabaseClient } from "@supabase/supabase-js";
import { fromPostgrest, HttpError } from "../http-errors.ts";

const JOB_COLUMNS =
  "id, job_type, status, progress, progress_message, attempts, max_attempts, error, result, version_id, cycle_report_id, run_after, created_at, started_at, completed_at";

/** The job, or 404 job_not_found when it does not exist, is not visible, or is not of the given type family. */
export async function visibleJob(client: SupabaseClient, jobId: string, jobTypePrefix?: string) {
  let query = client.from("background_jobs").select(JOB_COLUMNS).eq("id", jobId);
  if (jobTypePrefix) query = query.like("job_type", `${jobTypePrefix}%`);
  const { data: job, error } = await query.maybeSingle();
  if (error) throw fromPostgrest(error);
  if (!job) throw new HttpError(404, "job_not_found", "This job does not exist or is not visible to you.");
  return job;
}
