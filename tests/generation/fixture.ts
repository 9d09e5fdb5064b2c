// Drafts to generate into, built as the database operator for the seed's tester@ (so tests can also sign in):
// a planning draft with one uploaded loan table, or a profiling draft based on its approved attributes.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createStartedCycleReport } from "../support/cycle-report-fixture.ts";

export { connect } from "../support/db.ts";
export { jobState } from "../support/jobs.ts";
export { waitFor } from "../support/wait.ts";

export const TESTER = "tester@example.com";
export const PASSWORD = "demo-password";

/** Values of confidential and restricted columns: none may ever reach a prompt. */
export const SECRET_VALUES = ["Ada Lovelace", "Grace Hopper", "123-45-6789", "987-65-4321", "ada@example.com"];

const rows = [
  [1001, "Ada Lovelace", "123-45-6789", "ada@example.com", "EUR", "1000.50", "2024-01-15"],
  [1002, "Grace Hopper", "987-65-4321", "grace@example.org", "USD", "250000", "2024-03-01"],
  [1003, "Alan Turing", "555-12-3456", "alan@example.net", "EUR", "7300", "2023-11-30"],
  [1004, "Edsger Dijkstra", "444-98-7654", "edsger@example.com", "GBP", "15", "2024-06-10"],
] as const;

/** The loan table's schema as ingestion records it. */
const schema = {
  columns: [
    col("loan_id", "integer", "integer", {
      distinct: 4,
      min: "1001",
      max: "1004",
      examples: ["1001", "1002", "1003", "1004"],
    }),
    col("borrower_name", "text", "text", { distinct: 4, maxLength: 15, examples: ["Ada Lovelace", "Grace Hopper"] }),
    col("ssn", "text", "text", { distinct: 4, maxLength: 11, examples: ["123-45-6789", "987-65-4321"] }),
    col("contact", "text", "text", { distinct: 4, maxLength: 18, examples: ["ada@example.com", "grace@example.org"] }),
    col("currency", "text", "text", { distinct: 3, maxLength: 3, examples: ["EUR", "USD", "GBP"] }),
    col("amount", "numeric", "numeric", {
      distinct: 4,
      min: "15",
      max: "250000",
      examples: ["1000.50", "250000", "7300", "15"],
    }),
    col("opened_on", "date", "date", {
      distinct: 4,
      min: "2023-11-30",
      max: "2024-06-10",
      examples: ["2024-01-15", "2024-03-01"],
    }),
  ],
  rowCountIsEstimate: false,
  statsSource: "full_scan",
};
export const COLUMNS = schema.columns.map((c) => c.name);

function col(
  name: string,
  type: string,
  pgType: string,
  s: { distinct: number; min?: string; max?: string; maxLength?: number; examples: string[] },
) {
  return {
    name,
    originalName: name,
    position: 0, // set below from the column's place
    type,
    pgType,
    nullable: true,
    nullCount: 0,
    distinctCount: s.distinct,
    distinctIsEstimate: false,
    min: s.min ?? null,
    max: s.max ?? null,
    maxLength: s.maxLength ?? null,
    examples: s.examples,
  };
}

export interface Draft {
  cycleReportId: number;
  /** The planning version (a draft, or approved when a profiling draft was asked for). */
  planningVersionId: string;
  /** The draft to generate into. */
  versionId: string;
  sourceId: string;
  table: string;
}

/** A planning draft with the loan table as an uploaded data source; with `profiling`, approved and followed by a profiling draft. */
export async function createDraft(sql: postgres.Sql, options: { profiling?: boolean } = {}): Promise<Draft> {
  const suffix = randomBytes(5).toString("hex");
  const table = `upload_gen${suffix}`;
  return await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: "Generation " + suffix,
      regulation: "Reg G",
      cycleName: "Cycle " + suffix,
      period: ["2030-01-01", "2030-03-31"],
      ownerEmail: "owner@example.com",
      testerEmail: TESTER,
    });
    const [planning] = await tx<[{ id: string }]>`select id from public.create_version(${phases.planning!})`;
    await tx.unsafe(
      `create table source_data.${table} (loan_id integer, borrower_name text, ssn text, contact text, currency text, amount numeric, opened_on date)`,
    );
    const literals = rows.map((row) => `(${row.map((v) => (typeof v === "number" ? v : `'${v}'`)).join(", ")})`);
    await tx.unsafe(`insert into source_data.${table} values ${literals.join(", ")}`);
    const positioned = { ...schema, columns: schema.columns.map((c, i) => ({ ...c, position: i + 1 })) };
    const [source] = await tx<[{ id: string }]>`
      insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
      values (${planning.id}, 'Loan tape', 'file_upload', ${table}, ${tx.json(positioned)}, ${rows.length})
      returning id`;
    const draft: Draft = {
      cycleReportId,
      planningVersionId: planning.id,
      versionId: planning.id,
      sourceId: source.id,
      table,
    };
    if (!options.profiling) return draft;

    await tx`update public.planning_data_sources set tester_decision = 'approved' where id = ${source.id}`;
    const attributes: Array<[string, string, string]> = [
      ["Loan id", "loan_id", "internal"],
      ["Borrower name", "borrower_name", "confidential"],
      ["SSN", "ssn", "restricted"],
      ["Currency", "currency", "public"],
      ["Amount", "amount", "internal"],
    ];
    for (const [name, column, classification] of attributes) {
      await tx`
        insert into public.planning_attributes (version_id, name, data_type, is_mandatory, is_primary_key, data_source_id, source_column,
                                                information_security_classification, tester_decision)
        values (${planning.id}, ${name}, ${column === "loan_id" ? "integer" : column === "amount" ? "decimal" : "string"},
                ${column === "loan_id"}, ${column === "loan_id"}, ${source.id}, ${column}, ${classification}, 'approved')`;
    }
    await tx`select public.submit_version(${planning.id})`;
    await tx`select public.approve_version(${planning.id})`;
    await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (${phases.scoping!}, ${phases.data_request!})`;
    await tx`select public.start_phase(${phases.data_profiling!})`;
    const [profiling] = await tx<[{ id: string }]>`select id from public.create_version(${phases.data_profiling!})`;
    return { ...draft, versionId: profiling.id };
  });
}

/**
 * Asks for proposals as the tester (request_generation, as the API would), under a job type of the test's own
 * so that only the test's worker serves it, not the function's.
 */
export async function requestJob(
  sql: postgres.Sql,
  draft: Draft,
  jobType: string,
  context: { regulatoryContext?: string; reportType?: string } = {},
): Promise<string> {
  const kind = jobType.includes("rules") ? "profiling_rules" : "planning_attributes";
  return await sql.begin(async (tx) => {
    const [{ id: tester }] = await tx<[{ id: string }]>`select id from public.profiles where email = ${TESTER}`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: tester, role: "authenticated" })}, true)`;
    await tx`set local role authenticated`;
    const [job] = await tx<[{ id: string }]>`
      select id from public.request_generation(${draft.versionId}, ${kind}, ${context.regulatoryContext ?? null}, ${context.reportType ?? null})`;
    await tx`reset role`;
    await tx`update public.background_jobs set job_type = ${jobType}, backoff_base_seconds = 0 where id = ${job.id}`;
    return job.id;
  });
}

export interface Interaction {
  id: string;
  idempotency_key: string;
  attempt: number;
  status: string;
  failure_reason: string | null;
  http_status: number | null;
  provider: string;
  model: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: string | null;
  error: string | null;
  request: unknown;
  response: unknown;
  user_id: string | null;
  cycle_report_id: string | null;
  phase_id: string | null;
  xmin: string;
}

export async function interactions(sql: postgres.Sql, jobId: string): Promise<Interaction[]> {
  return await sql<Interaction[]>`
    select id, idempotency_key, attempt, status, failure_reason, http_status, provider, model, input_tokens, output_tokens,
           cost_usd, error, request, response, user_id, cycle_report_id, phase_id, xmin::text
      from public.llm_interactions where job_id = ${jobId} order by idempotency_key, attempt, created_at`;
}
