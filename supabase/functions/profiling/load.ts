// What one execution has to do: the approved executable rules of the version that have no result yet for
// this execution, grouped by the source each attribute's rules run on (the data request's accepted source, else the
// planning source), with the source's connection details.
import type postgres from "postgres";
import { PermanentJobError } from "../_shared/jobs/worker.ts";

export interface RuleSource {
  id: string;
  name: string;
  source_type: "file_upload" | "database";
  schema_name: string;
  table_name: string;
  host: string | null;
  port: number | null;
  database_name: string | null;
  username: string | null;
  password: string | null;
  /** Columns shown as '***' in samples (private.profiling_masked_source_columns). */
  masked_columns: string[];
  rules: { id: string; definition: unknown }[];
}

export interface Execution {
  sources: RuleSource[];
  /** Rules of this execution stored before (by an earlier attempt). */
  storedCount: number;
}

export async function loadExecution(
  tx: postgres.TransactionSql,
  versionId: string,
  executionId: string,
): Promise<Execution> {
  const [version] = await tx<{ phase_name: string; version_status: string }[]>`
    select phase_name, version_status from public.artifact_versions where id = ${versionId}`;
  if (!version || version.phase_name !== "data_profiling") {
    throw new PermanentJobError(`Version ${versionId} is not a data-profiling version.`);
  }
  if (version.version_status !== "approved" && version.version_status !== "superseded") {
    throw new PermanentJobError(`Version ${versionId} is ${version.version_status}; only approved rules are run.`);
  }
  const [{ stored } = { stored: 0 }] = await tx<{ stored: number }[]>`
    select count(*)::int as stored from public.profiling_rule_results where execution_id = ${executionId}`;
  // Each rule runs on the source private.profiling_attribute_source names for its attribute: the one the data
  // request accepted, else the attribute's planning source.
  const rules = await tx<{ id: string; definition: unknown; data_source_id: string }[]>`
    select r.id, r.definition, t.source_id as data_source_id
      from public.profiling_rules r
      cross join lateral private.profiling_attribute_source(r.attribute_id) t
     where r.version_id = ${versionId} and r.item_status = 'approved' and r.is_executable
       and not exists (select 1 from public.profiling_rule_results x where x.execution_id = ${executionId} and x.rule_id = r.id)
     order by r.execution_order, r.name, r.id`;
  const sourceIds = [...new Set(rules.map((r) => r.data_source_id))];
  const sources = await tx<Omit<RuleSource, "rules">[]>`
    select s.id, s.name, s.source_type, s.schema_name, s.table_name, s.host, s.port, s.database_name, s.username,
           secret.password,
           private.profiling_masked_source_columns(s.id) as masked_columns
      from public.planning_data_sources s
      left join private.planning_data_source_secrets secret on secret.data_source_id = s.id
     where s.id = any(${sourceIds}::uuid[])
    union all
    select s.id, s.name || ' (from the data request)', s.source_type, s.schema_name, s.table_name, s.host, s.port,
           s.database_name, s.username, secret.password,
           private.request_source_masked_columns(s.id) as masked_columns
      from public.request_data_sources s
      left join private.request_data_source_secrets secret on secret.data_source_id = s.id
     where s.id = any(${sourceIds}::uuid[])`;
  const byId = new Map(sources.map((s) => [s.id, { ...s, rules: [] as RuleSource["rules"] }]));
  for (const rule of rules) byId.get(rule.data_source_id)!.rules.push({ id: rule.id, definition: rule.definition });
  // Sources in the order of their first rule.
  return { sources: sourceIds.map((id) => byId.get(id)!), storedCount: stored };
}
