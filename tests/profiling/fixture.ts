// A cycle report whose planning version is approved (one data source, attributes mapped to its columns)
// and whose data-profiling version with the given rules is approved, built as the database operator.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createStartedCycleReport } from "../support/cycle-report-fixture.ts";

export { connect } from "../support/db.ts";
export { jobState, type JobState } from "../support/jobs.ts";
export { waitFor } from "../support/wait.ts";

export interface ColumnSpec {
  name: string;
  pgType: string;
  classification?: "public" | "internal" | "confidential" | "restricted";
}

export interface RuleSpec {
  name: string;
  column: string;
  /** The second source's column (see FixtureOptions.alsoUpload) instead of the first source's. */
  upload?: boolean;
  ruleType: "completeness" | "validity" | "accuracy" | "consistency" | "uniqueness";
  definition: Record<string, unknown>;
}

/** An external PostgreSQL table (here: in the same cluster, reached with its own login and password). */
export interface ExternalSource {
  host: string;
  port: number;
  database: string;
  schema: string;
  table: string;
  user: string;
  password: string;
}

export interface FixtureOptions {
  columns: ColumnSpec[];
  rules: RuleSpec[];
  /** SQL filling the table (`{table}` is replaced by its qualified name); for uploads only. */
  fill?: string;
  external?: ExternalSource;
  /** With `external`: a second source, an upload of the same columns filled by `fill`. */
  alsoUpload?: boolean;
  /** This many more approved planning attributes ("extra 1", …), all mapped to the first column. */
  extraAttributes?: number;
}

export interface Fixture {
  suffix: string;
  testerEmail: string;
  ownerEmail: string;
  password: string;
  cycleReportId: number;
  /** The approved planning version whose attributes the rules check. */
  planningVersionId: string;
  versionId: string;
  table: string;
  ruleIds: Record<string, string>;
}

export const PASSWORD = "demo-password";

export async function createFixture(sql: postgres.Sql, options: FixtureOptions): Promise<Fixture> {
  const suffix = randomBytes(5).toString("hex");
  // The demo users of the seed (tester@ and owner@), so the test can sign in through the gateway.
  const testerEmail = "tester@example.com";
  const ownerEmail = "owner@example.com";
  const table = `upload_prof${suffix}`;
  return await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: "Profiling " + suffix,
      regulation: "Reg P",
      cycleName: "Cycle " + suffix,
      period: ["2030-01-01", "2030-03-31"],
      ownerEmail,
      testerEmail,
    });
    const [planning] = await tx`select id from public.create_version(${phases.planning!})`;
    const schema = {
      columns: options.columns.map((c, i) => ({
        name: c.name,
        originalName: c.name,
        position: i + 1,
        type: "text",
        pgType: c.pgType,
      })),
    };
    const addUpload = async () => {
      await tx.unsafe(
        `create table source_data.${table} (${options.columns.map((c) => `"${c.name}" ${c.pgType}`).join(", ")})`,
      );
      if (options.fill) await tx.unsafe(options.fill.replaceAll("{table}", `source_data.${table}`));
      const [{ id }] = (await tx`
        insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
        values (${planning!.id}, 'Upload', 'file_upload', ${table}, ${tx.json(schema)}, 0)
        returning id`) as unknown as [{ id: string }];
      return id;
    };
    const addAttributes = async (sourceId: string, prefix: string) => {
      await tx`update public.planning_data_sources set tester_decision = 'approved' where id = ${sourceId}`;
      for (const c of options.columns) {
        const [a] = await tx`
          insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
          values (${planning!.id}, ${prefix + c.name}, 'string', ${sourceId}, ${c.name}, ${c.classification ?? "internal"}, 'approved')
          returning id`;
        attributes[prefix + c.name] = a!.id;
      }
    };
    const attributes: Record<string, string> = {};
    if (options.external) {
      const e = options.external;
      const [{ id: sourceId }] = (await tx`
        insert into public.planning_data_sources (version_id, name, source_type, host, port, database_name, schema_name, table_name, username, status, schema, row_count)
        values (${planning!.id}, 'External', 'database', ${e.host}, ${e.port}, ${e.database}, ${e.schema}, ${e.table}, ${e.user}, 'ready', ${tx.json(schema)}, 0)
        returning id`) as unknown as [{ id: string }];
      await tx`insert into private.planning_data_source_secrets (data_source_id, password) values (${sourceId}, ${e.password})`;
      await addAttributes(sourceId, "");
      if (options.alsoUpload) await addAttributes(await addUpload(), "upload ");
    } else {
      await addAttributes(await addUpload(), "");
    }
    if (options.extraAttributes) {
      const [first] = await tx`
        select data_source_id, source_column from public.planning_attributes
        where version_id = ${planning!.id} order by created_at, id limit 1`;
      await tx`
        insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
        select ${planning!.id}, 'extra ' || n, 'string', ${first!.data_source_id}, ${first!.source_column}, 'internal', 'approved'
        from generate_series(1, ${options.extraAttributes}::int) as n`;
    }
    await tx`select public.submit_version(${planning!.id})`;
    await tx`select public.approve_version(${planning!.id})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (${phases.scoping!}, ${phases.data_request!})`;
    await tx`select public.start_phase(${phases.data_profiling!})`;

    const [profiling] = await tx`select id from public.create_version(${phases.data_profiling!})`;
    const ruleIds: Record<string, string> = {};
    for (const [i, r] of options.rules.entries()) {
      const [row] = await tx`
        insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, execution_order, tester_decision)
        values (${profiling!.id}, ${attributes[(r.upload ? "upload " : "") + r.column]!}, ${r.name}, ${r.ruleType}, ${tx.json(r.definition as postgres.JSONValue)}, ${i}, 'approved')
        returning id`;
      ruleIds[r.name] = row!.id;
    }
    await tx`select public.submit_version(${profiling!.id})`;
    await tx`update public.profiling_rules set report_owner_decision = 'approved' where version_id = ${profiling!.id}`;
    await tx`select public.approve_version(${profiling!.id})`;
    return {
      suffix,
      testerEmail,
      ownerEmail,
      password: PASSWORD,
      cycleReportId,
      planningVersionId: planning!.id,
      versionId: profiling!.id,
      table,
      ruleIds,
    };
  });
}

/** Queues a profiling job of the given type directly (as a dedicated worker pool's queue would hold it). */
export async function queueJob(
  sql: postgres.Sql,
  fixture: Fixture,
  jobType: string,
  settings: { maxAttempts?: number; backoffSeconds?: number } = {},
): Promise<string> {
  const [job] = await sql`
    insert into public.background_jobs (job_type, metadata, version_id, cycle_report_id, max_attempts, backoff_base_seconds)
    values (${jobType}, ${sql.json({ version_id: fixture.versionId })}, ${fixture.versionId}, ${fixture.cycleReportId},
            ${settings.maxAttempts ?? 3}, ${settings.backoffSeconds ?? 10})
    returning id`;
  return job!.id;
}

export interface StoredResult {
  rule_id: string;
  status: string;
  total_count: string | null;
  passed_count: string | null;
  failed_count: string | null;
  pass_rate: string | null;
  failed_sample: Record<string, unknown>[];
  failed_rows_query: string | null;
  error: string | null;
}

export async function results(sql: postgres.Sql, executionId: string): Promise<StoredResult[]> {
  return await sql<StoredResult[]>`
    select rule_id, status, total_count, passed_count, failed_count, pass_rate, public.masked_failed_sample(r) as failed_sample, failed_rows_query, error
      from public.profiling_rule_results r where execution_id = ${executionId} order by id`;
}
