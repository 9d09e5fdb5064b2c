// Headers people read: a CSV whose headers loading had to rename (two that read alike, one with no usable
// characters) is uploaded through the planning-sources function; the proposals name and describe attributes after
// the headers as written while their mappings and rules name the loaded columns, and a remote model is shown each
// header beside its column.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGenerationWorker } from "../../supabase/functions/_shared/generation/worker.ts";
import { OpenAiProvider } from "../../supabase/functions/_shared/llm/openai-provider.ts";
import type { PlanningView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import { signIn } from "../support/auth.ts";
import { createStartedCycleReport } from "../support/cycle-report-fixture.ts";
import { type FakeOpenAi, startFakeOpenAi, viewOf } from "../support/fake-openai.ts";
import { wellBehaved } from "./answers.ts";
import { connect, type Draft, jobState, requestJob, TESTER, waitFor } from "./fixture.ts";

const url = process.env.SUPABASE_URL!;
const anonKey = process.env.SUPABASE_ANON_KEY!;

// Loaded as loan_id, loan_id_2 (the second header reads like the first), column_3 (nothing usable in "#"),
// balance, borrower_s_e_mail and opened_on; status keeps its header.
const csv =
  [
    "Loan ID,Loan-ID,#,Balance (€),Borrower's e-mail,Opened on,status",
    "L-001,A-17,x,1000.50,ann@example.com,2026-01-15,active",
    "L-002,A-18,y,250.00,bob@example.com,2026-02-01,active",
    "L-003,A-19,x,75.25,cyd@example.com,2026-03-10,closed",
    "L-004,A-20,y,12.00,dan@example.com,2026-03-11,active",
  ].join("\n") + "\n";

const HEADERS: Array<[column: string, header: string]> = [
  ["loan_id", "Loan ID"],
  ["loan_id_2", "Loan-ID"],
  ["column_3", "#"],
  ["balance", "Balance (€)"],
  ["borrower_s_e_mail", "Borrower's e-mail"],
  ["opened_on", "Opened on"],
  ["status", "status"],
];

let sql: postgres.Sql;
let token: string;

beforeAll(async () => {
  sql = connect();
  token = (await signIn(TESTER)).token;
});
afterAll(() => sql.end());

/** A planning draft of a cycle report of its own (tester@ assigned) with the CSV uploaded through the function. */
async function draftWithUpload(): Promise<Draft & { phases: Record<string, string> }> {
  const suffix = randomBytes(5).toString("hex");
  const { cycleReportId, phases, versionId } = await sql.begin(async (tx) => {
    const { cycleReportId, phases } = await createStartedCycleReport(tx, {
      reportName: "Headers " + suffix,
      regulation: "Reg H",
      cycleName: "Cycle " + suffix,
      period: ["2030-04-01", "2030-06-30"],
      ownerEmail: "owner@example.com",
      testerEmail: TESTER,
    });
    const [version] = await tx<[{ id: string }]>`select id from public.create_version(${phases.planning!})`;
    return { cycleReportId, phases, versionId: version.id };
  });
  const response = await fetch(
    `${url}/functions/v1/planning-sources/versions/${versionId}/uploads?name=${encodeURIComponent("loans_2026q4.csv")}`,
    { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/csv" }, body: csv },
  );
  const body = (await response.json()) as {
    id: string;
    table_name: string;
    schema: { columns: { name: string; originalName: string }[] };
  };
  expect(response.status).toBe(201);
  // Loading renamed the headers it could not keep; the schema keeps each header as written.
  expect(body.schema.columns.map((c) => [c.name, c.originalName])).toEqual(HEADERS);
  return { cycleReportId, planningVersionId: versionId, versionId, sourceId: body.id, table: body.table_name, phases };
}

function callGeneration(path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}/functions/v1/generation${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { apikey: anonKey, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Asks the function for proposals (the embedded default: the offline provider) and waits for the job to end. */
async function generateOffline(versionId: string, kind: "attributes" | "rules") {
  const response = await callGeneration(`/versions/${versionId}/${kind}`, {});
  expect(response.status).toBe(202);
  const { job_id: jobId } = (await response.json()) as { job_id: string };
  const job = await waitFor(
    async () => (await (await callGeneration(`/jobs/${jobId}`)).json()) as { status: string; result: unknown },
    (j) => j.status === "completed" || j.status === "failed",
  );
  expect(job).toMatchObject({ status: "completed", result: { provider: "heuristic" } });
  return jobId;
}

describe("offline proposals for an upload whose headers were renamed", () => {
  let draft: Draft & { phases: Record<string, string> };

  it("name attributes after the headers as written, and map them to the loaded columns", async () => {
    draft = await draftWithUpload();
    await generateOffline(draft.versionId, "attributes");
    const rows = await sql<
      {
        name: string;
        source_column: string;
        description: string;
        is_primary_key: boolean;
        class: string;
        rationale: string;
        pde_name: string;
        pde_code: string;
        source_table: string;
        mapped_column: string;
      }[]
    >`
      select a.name, a.source_column, a.description, a.is_primary_key,
             a.information_security_classification as class, a.llm_metadata ->> 'rationale' as rationale,
             m.pde_name, m.pde_code, m.source_table, m.source_column as mapped_column
        from public.planning_attributes a join public.planning_pde_mappings m on m.attribute_id = a.id
        join public.planning_data_sources s on s.id = a.data_source_id
       where a.version_id = ${draft.versionId} order by (select c.position from jsonb_to_recordset(s.schema -> 'columns')
             as c(name text, position int) where c.name = a.source_column)`;
    // The name people read; the column the rules will read.
    expect(rows.map((r) => [r.name, r.source_column, r.mapped_column, r.source_table])).toEqual([
      ["Loan ID", "loan_id", "loan_id", draft.table],
      ["Loan-ID (2nd)", "loan_id_2", "loan_id_2", draft.table],
      ["Column 3 (#)", "column_3", "column_3", draft.table],
      ["Balance (€)", "balance", "balance", draft.table],
      ["Borrower's e-mail", "borrower_s_e_mail", "borrower_s_e_mail", draft.table],
      ["Opened on", "opened_on", "opened_on", draft.table],
      ["status", "status", "status", draft.table],
    ]);
    const row = (column: string) => rows.find((r) => r.source_column === column)!;
    // The PDE keeps the column's code, named by its header.
    expect(row("loan_id_2")).toMatchObject({ pde_name: "Loan-ID", pde_code: "LOANS_2026Q4.LOAN_ID_2" });
    expect(row("balance")).toMatchObject({ pde_name: "Balance (€)", pde_code: "LOANS_2026Q4.BALANCE" });
    expect(row("loan_id_2").description).toBe(
      `Header "Loan-ID" (column loan_id_2, the 2nd column of loans_2026q4 whose header reads "Loan ID") from ${draft.table} (loans_2026q4.csv): text, 0 nulls and 4 distinct values in 4 rows.`,
    );
    expect(row("column_3").description).toMatch(/^Header "#" \(column column_3\) from /);
    expect(row("loan_id_2").rationale).toContain(`named after the header "Loan-ID", loaded as column loan_id_2`);
    // What the headers say decides: the key is the first "Loan ID", the e-mail column is personal data.
    expect(rows.filter((r) => r.is_primary_key).map((r) => r.source_column)).toEqual(["loan_id"]);
    expect(row("borrower_s_e_mail").class).toBe("confidential");
  });

  it("propose rules on the loaded columns, read from what the headers say", async () => {
    // The planning version approved as proposed, then a profiling draft based on it.
    const profilingVersionId = await sql.begin(async (tx) => {
      await tx`update public.planning_data_sources set tester_decision = 'approved' where version_id = ${draft.versionId}`;
      await tx`update public.planning_attributes set tester_decision = 'approved' where version_id = ${draft.versionId}`;
      await tx`update public.planning_pde_mappings set tester_decision = 'approved' where version_id = ${draft.versionId}`;
      await tx`select public.submit_version(${draft.versionId})`;
      await tx`select public.approve_version(${draft.versionId})`;
      await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
                where id in (${draft.phases.scoping!}, ${draft.phases.data_request!})`;
      await tx`select public.start_phase(${draft.phases.data_profiling!})`;
      const [profiling] = await tx<
        [{ id: string }]
      >`select id from public.create_version(${draft.phases.data_profiling!})`;
      return profiling.id;
    });
    await generateOffline(profilingVersionId, "rules");
    const rules = await sql<{ attribute: string; name: string; description: string; definition: unknown }[]>`
      select a.name as attribute, r.name, r.description, r.definition
        from public.profiling_rules r join public.planning_attributes a on a.id = r.attribute_id
       where r.version_id = ${profilingVersionId} order by a.name, r.execution_order`;
    const of = (attribute: string) => rules.filter((r) => r.attribute === attribute);
    // "Loan-ID" is an identifier by its header (its column's name ends in a number): present and unique, on loan_id_2.
    expect(of("Loan-ID (2nd)").map((r) => [r.name, r.definition])).toEqual([
      ["not_blank", { kind: "not_blank", column: "loan_id_2" }],
      ["unique", { kind: "unique", columns: ["loan_id_2"] }],
    ]);
    expect(of("Loan-ID (2nd)")[1]!.description).toBe("Loan-ID (2nd) identifies one row.");
    // Every definition names a loaded column, never a header.
    const columns = new Set(HEADERS.map(([column]) => column));
    for (const rule of rules) {
      const named = JSON.stringify(rule.definition).match(/"(?:column|left|right)":"([^"]+)"/g) ?? [];
      for (const n of named) expect(columns.has(n.split(":")[1]!.replace(/"/g, ""))).toBe(true);
    }
  });
});

describe("a remote model's prompt for an upload whose headers were renamed", () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    fake.otherwise(wellBehaved);
  });
  afterAll(() => fake.close());

  it("shows each renamed column's header beside its name, and says which one to name the attribute after", async () => {
    const draft = await draftWithUpload();
    const jobType = `generation.planning_attributes.test-${randomBytes(4).toString("hex")}`;
    const jobId = await requestJob(sql, draft, jobType);
    const provider = new OpenAiProvider(
      {
        provider: "openai",
        apiKey: "test-key",
        model: "fake-model",
        priceInputPerMTok: 2.5,
        priceOutputPerMTok: 10,
        timeoutMs: 5000,
        maxAttempts: 1,
        baseUrl: fake.baseUrl,
      },
      { retry: { baseDelayMs: 1, maxDelayMs: 20 } },
    );
    const worker = createGenerationWorker(sql, { provider, jobTypes: [jobType], leaseSeconds: 30 });
    expect(await worker.runOnce()).toBe(true);
    expect(await jobState(sql, jobId)).toMatchObject({ status: "completed" });

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    const system = request!.body.messages![0]!.content;
    expect(system).toContain("original_name, the header as written");
    const columns = viewOf<PlanningView>(request!).data_sources.flatMap((s) => s.columns);
    // The header beside the column where loading renamed it, and only there.
    expect(columns.map((c) => [c.name, c.original_name])).toEqual(
      HEADERS.map(([column, header]) => [column, header === column ? undefined : header]),
    );
    // Recorded as sent.
    const [recorded] = await sql<[{ request: { messages: Array<{ content: string }> } }]>`
      select request from public.llm_interactions where job_id = ${jobId}`;
    expect(recorded.request.messages.map((m) => m.content)).toEqual(request!.body.messages!.map((m) => m.content));
    // An answer named after the headers is stored so, its mappings on the loaded columns.
    const stored = await sql<{ name: string; source_column: string; mapped: string }[]>`
      select a.name, a.source_column, m.source_column as mapped
        from public.planning_attributes a join public.planning_pde_mappings m on m.attribute_id = a.id
       where a.llm_metadata ->> 'generation_job_id' = ${jobId} and a.source_column in ('loan_id', 'loan_id_2')
       order by a.source_column`;
    expect(stored.map((r) => [r.name, r.source_column, r.mapped])).toEqual([
      ["Loan ID", "loan_id", "loan_id"],
      ["Loan-ID (2nd)", "loan_id_2", "loan_id_2"],
    ]);
  });
});
