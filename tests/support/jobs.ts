import type postgres from "postgres";

/** A background job as the tests follow it. */
export interface JobState {
  status: string;
  attempts: number;
  progress: number;
  error: string | null;
  result: Record<string, unknown> | null;
  lease_owner: string | null;
  run_after: Date;
}

export async function jobState(sql: postgres.Sql, jobId: string): Promise<JobState> {
  const [job] = await sql<JobState[]>`
    select status, attempts, progress, error, result, lease_owner, run_after from public.background_jobs where id = ${jobId}`;
  return job!;
}
