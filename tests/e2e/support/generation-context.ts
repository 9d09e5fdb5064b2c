// What a generation job was asked with: the optional report type and regulatory context of the "Generate with
// AI" forms, as request_generation stored them in the job's metadata, and whether every LLM call the job
// recorded showed both to the provider (anywhere in the recorded request).
import type postgres from "postgres";

export interface GenerationContext {
  report_type: string | null;
  regulatory_context: string | null;
  /** Whether the job recorded calls and each one's request holds both values. */
  shown: boolean;
}

export async function generationContext(sql: postgres.Sql, jobId: string): Promise<GenerationContext | undefined> {
  const [job] = await sql<GenerationContext[]>`
    select j.metadata ->> 'report_type' as report_type,
           j.metadata ->> 'regulatory_context' as regulatory_context,
           coalesce(bool_and(
             jsonb_path_exists(i.request, '$.** ? (@ == $v)', jsonb_build_object('v', j.metadata -> 'report_type'))
             and jsonb_path_exists(i.request, '$.** ? (@ == $v)', jsonb_build_object('v', j.metadata -> 'regulatory_context'))
           ), false) as shown
      from public.background_jobs j
      left join public.llm_interactions i on i.job_id = j.id
     where j.id = ${jobId}
     group by j.id`;
  return job;
}
