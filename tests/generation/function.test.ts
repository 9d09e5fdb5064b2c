// The generation function on the embedded default (no API key: the offline heuristic provider), driven through
// the gateway as the signed-in tester: 202 with the job, progress polled, and the documented proposals stored.
import { createClient } from "@supabase/supabase-js";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createDraft, type Draft, PASSWORD, SECRET_VALUES, TESTER, waitFor } from "./fixture.ts";

const url = process.env.SUPABASE_URL!;
const anonKey = process.env.SUPABASE_ANON_KEY!;

let sql: postgres.Sql;
let draft: Draft;
let token: string;

async function tokenOf(email: string): Promise<string> {
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data, error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  return data.session!.access_token;
}

/** GET without a body; POST with the body serialised, or sent as it is when `raw`. */
function call(path: string, bearer: string | null, body?: unknown, raw = false): Promise<Response> {
  return fetch(`${url}/functions/v1/generation${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      apikey: anonKey,
      "Content-Type": "application/json",
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
    },
    body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body),
  });
}

beforeAll(async () => {
  sql = connect();
  draft = await createDraft(sql);
  token = await tokenOf(TESTER);
});
afterAll(() => sql.end());

describe("offline generation through the function", () => {
  it("proposes the documented attributes and mappings for the loan table, for people to decide", async () => {
    const response = await call(`/versions/${draft.versionId}/attributes`, token, {
      report_type: "FR Y-9C",
      regulatory_context: "Schedule HC-C: loans and leases",
    });
    expect(response.status).toBe(202);
    const { job_id: jobId } = (await response.json()) as { job_id: string };
    expect(response.headers.get("Location")).toMatch(new RegExp(`/generation/jobs/${jobId}$`));

    const job = await waitFor(
      async () =>
        (await (await call(`/jobs/${jobId}`, token)).json()) as { status: string; progress: number; result: unknown },
      (j) => j.status === "completed" || j.status === "failed",
    );
    expect(job).toMatchObject({
      status: "completed",
      progress: 100,
      result: {
        provider: "heuristic",
        model: "rules-v1",
        calls: 1,
        cost_usd: 0,
        proposed: { attributes: 7, pde_mappings: 7 },
      },
    });

    const attributes = await sql`
      select a.name, a.data_type, a.is_mandatory, a.is_primary_key, a.is_cde, a.max_length,
             a.information_security_classification as class, (a.llm_metadata ->> 'confidence_score')::float8 as confidence,
             a.llm_metadata ->> 'provider' as provider, a.tester_decision,
             m.pde_code, m.mapping_type, m.is_primary, m.auto_approved, m.tester_decision as mapping_decision
        from public.planning_attributes a join public.planning_pde_mappings m on m.attribute_id = a.id
       where a.version_id = ${draft.versionId} order by a.name`;
    const T = draft.table.toUpperCase();
    // name, type, mandatory, primary key, CDE, max length, class, confidence — rules A1–A10 of docs/llm.md.
    const expected = [
      ["loan_id", "integer", true, true, true, null, "internal", 0.8],
      ["borrower_name", "text", true, false, false, 15, "confidential", 0.7],
      ["ssn", "text", true, false, false, 11, "restricted", 0.7],
      ["contact", "text", true, false, false, 18, "confidential", 0.7],
      ["currency", "text", true, false, true, 3, "public", 0.7],
      ["amount", "decimal", true, false, true, null, "internal", 0.5],
      ["opened_on", "date", true, false, false, null, "internal", 0.5],
    ];
    expect(
      attributes.map((a) => [
        a.name,
        a.data_type,
        a.is_mandatory,
        a.is_primary_key,
        a.is_cde,
        a.max_length,
        a.class,
        a.confidence,
      ]),
    ).toEqual(expected.sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    for (const a of attributes) {
      expect(a).toMatchObject({
        provider: "heuristic",
        tester_decision: null,
        pde_code: `${T}.${String(a.name).toUpperCase()}`,
        mapping_type: "direct",
        is_primary: true,
        // Every offline confidence stays below the auto-approval threshold.
        auto_approved: false,
        mapping_decision: null,
      });
    }

    const [recorded] = await sql<[{ request: unknown; status: string }]>`
      select request, status from public.llm_interactions where job_id = ${jobId}`;
    expect(recorded.status).toBe("completed");
    const prompt = JSON.stringify(recorded.request);
    for (const secret of SECRET_VALUES) expect(prompt).not.toContain(secret);
    expect(prompt).toContain("Schedule HC-C");
  });

  it("answers with the database's refusals", async () => {
    expect((await call(`/versions/${draft.versionId}/attributes`, null, {})).status).toBe(401);
    const other = await call(`/versions/${draft.versionId}/attributes`, await tokenOf("tester2@example.com"), {});
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: "version_not_found" });
    const wrongPhase = await call(`/versions/${draft.versionId}/rules`, token, {});
    expect(wrongPhase.status).toBe(409);
    expect(await wrongPhase.json()).toMatchObject({ code: "version_wrong_phase" });
    expect((await call(`/versions/${draft.versionId}/attributes`, token, { temperature: 2 })).status).toBe(400);
    expect((await call(`/versions/not-a-uuid/attributes`, token, {})).status).toBe(400);
    // A body that is not JSON is the caller's mistake: 400 with the reason, not a server error.
    for (const body of ['{"report_type": "FR Y-9C"', "report_type=FR+Y-9C"]) {
      const malformed = await call(`/versions/${draft.versionId}/attributes`, token, body, true);
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({
        code: "invalid_request",
        message: expect.stringMatching(/^Invalid generation request: the body is not valid JSON \(.+\)\.$/),
      });
    }
    // An empty body asks with no context.
    expect((await call(`/versions/${draft.versionId}/rules`, token, "", true)).status).toBe(409);
    expect((await call(`/jobs/${crypto.randomUUID()}`, token)).status).toBe(404);
  });

  it("proposes profiling rules that were run on the uploaded rows, their rationales counting what fails today", async () => {
    const profiling = await createDraft(sql, { profiling: true });
    // Rows the recorded profile does not know of: 40 clean ones, then one with a repeated loan id, a negative
    // amount and a made-up currency.
    await sql.unsafe(
      `insert into source_data.${profiling.table} select 2000 + i, 'Person ' || i, '000-00-' || (1000 + i), 'p' || i || '@example.com', 'USD', 100 + i, date '2024-01-01' + i from generate_series(1, 40) as i`,
    );
    await sql.unsafe(
      `insert into source_data.${profiling.table} values (1001, 'Tim Berners-Lee', '111-22-3333', 'tim@example.com', 'EURO', '-40', '2024-02-02')`,
    );
    const response = await call(`/versions/${profiling.versionId}/rules`, token, {});
    expect(response.status).toBe(202);
    const { job_id: jobId } = (await response.json()) as { job_id: string };
    const job = await waitFor(
      async () => (await (await call(`/jobs/${jobId}`, token)).json()) as { status: string; error?: string },
      (j) => j.status === "completed" || j.status === "failed",
    );
    expect(job).toMatchObject({ status: "completed" });
    const rules = await sql<{ name: string; definition: { kind: string }; rationale: string }[]>`
      select r.name, r.definition, r.llm_metadata ->> 'rationale' as rationale
        from public.profiling_rules r where r.version_id = ${profiling.versionId}`;
    const rationale = (name: string) => rules.find((r) => r.name === name)?.rationale;
    expect(rationale("unique")).toBe(
      "the attribute is a primary key; 2 rows share their value with another row today.",
    );
    expect(rationale("non_negative")).toMatch(/; 1 negative value today\.$/);
    expect(rationale("iso_4217")).toMatch(/; 1 row with another code today \(such as 'EURO'\)\.$/);
    // Restricted and confidential values never reach a rule, read from the data or not.
    const stored = JSON.stringify(rules);
    for (const secret of [...SECRET_VALUES, "Tim Berners-Lee", "111-22-3333"]) expect(stored).not.toContain(secret);
  });
});
