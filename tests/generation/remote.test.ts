// Generation jobs against an OpenAI-compatible server on loopback, through the real SDK, the database recorder
// and the job worker: what is stored, what is recorded, and what nothing is stored for.
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DatabaseRecorder } from "../../supabase/functions/_shared/generation/recorder.ts";
import { createGenerationWorker } from "../../supabase/functions/_shared/generation/worker.ts";
import type { OpenAiConfig } from "../../supabase/functions/_shared/llm/config.ts";
import { OpenAiProvider } from "../../supabase/functions/_shared/llm/openai-provider.ts";
import type { PlanningView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import {
  type FakeOpenAi,
  hang,
  ok,
  rateLimited,
  serverError,
  startFakeOpenAi,
  viewOf,
} from "../support/fake-openai.ts";
import { wellBehaved } from "./answers.ts";
import {
  COLUMNS,
  connect,
  createDraft,
  type Draft,
  interactions,
  jobState,
  requestJob,
  SECRET_VALUES,
} from "./fixture.ts";

const CONFIG: Omit<OpenAiConfig, "baseUrl"> = {
  provider: "openai",
  apiKey: "test-key",
  model: "fake-model",
  priceInputPerMTok: 2.5,
  priceOutputPerMTok: 10,
  timeoutMs: 5000,
  maxAttempts: 3,
};

let sql: postgres.Sql;
let fake: FakeOpenAi;
const jobIds: string[] = [];

beforeAll(async () => {
  sql = connect();
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
  await sql.end();
});
beforeEach(() => fake.otherwise(wellBehaved));

/** Queues a job for the draft under a job type of its own and runs it once with a worker of this process. */
async function generate(
  draft: Draft,
  kind: "planning_attributes" | "profiling_rules",
  settings: Partial<OpenAiConfig> = {},
) {
  const jobType = `generation.${kind}.test-${randomBytes(4).toString("hex")}`;
  const jobId = await requestJob(sql, draft, jobType, {
    reportType: "FR Y-9C",
    regulatoryContext: "Schedule HC-C loans",
  });
  jobIds.push(jobId);
  const provider = new OpenAiProvider(
    { ...CONFIG, baseUrl: fake.baseUrl, ...settings },
    { retry: { baseDelayMs: 1, maxDelayMs: 20 } },
  );
  const worker = createGenerationWorker(sql, { provider, jobTypes: [jobType], batchSize: 3, leaseSeconds: 30 });
  expect(await worker.runOnce()).toBe(true);
  return jobId;
}

const attributesOf = (jobId: string) =>
  sql<
    {
      name: string;
      source_column: string;
      tester_decision: string | null;
      llm_metadata: Record<string, unknown>;
      xmin: string;
    }[]
  >`
    select name, source_column, tester_decision, llm_metadata, xmin::text from public.planning_attributes
     where llm_metadata ->> 'generation_job_id' = ${jobId} order by source_column`;

describe("planning attributes from a remote model", () => {
  it("stores each batch's proposals in the transaction that completes its call, with tokens and cost", async () => {
    const draft = await createDraft(sql);
    const jobId = await generate(draft, "planning_attributes");
    const job = await jobState(sql, jobId);
    expect(job.status).toBe("completed");
    expect(job.progress).toBe(100);
    expect(job.result).toMatchObject({
      kind: "planning_attributes",
      provider: "openai",
      model: "fake-model",
      batches: 3,
      calls: 3,
      proposed: { attributes: 7, pde_mappings: 7 },
    });

    const calls = await interactions(sql, jobId);
    expect(calls.map((c) => [c.idempotency_key, c.attempt, c.status])).toEqual(
      [0, 1, 2].map((i) => [`${jobId}:${i}`, 1, "completed"]),
    );
    const [{ tester }] = await sql<
      [{ tester: string }]
    >`select id as tester from public.profiles where email = 'tester@example.com'`;
    for (const call of calls) {
      expect(call.input_tokens).toBeGreaterThan(0);
      expect(call.output_tokens).toBeGreaterThan(0);
      expect(Number(call.cost_usd)).toBeCloseTo((call.input_tokens! * 2.5 + call.output_tokens! * 10) / 1e6, 8);
      expect([call.user_id, Number(call.cycle_report_id), call.phase_id]).toEqual([
        tester,
        draft.cycleReportId,
        expect.any(String),
      ]);
    }
    expect(job.result!.input_tokens).toBe(calls.reduce((n, c) => n + c.input_tokens!, 0));

    const attributes = await attributesOf(jobId);
    expect(attributes.map((a) => a.source_column).sort()).toEqual([...COLUMNS].sort());
    for (const a of attributes) {
      expect(a.tester_decision).toBeNull();
      expect(a.llm_metadata).toMatchObject({
        provider: "openai",
        model: "fake-model",
        confidence_score: expect.any(Number),
      });
      // Same transaction: the item was written by the transaction that completed its batch's call.
      const batch = Math.floor(COLUMNS.indexOf(a.source_column) / 3);
      expect(a.xmin).toBe(calls[batch]!.xmin);
    }
    const mappings = await sql`
      select auto_approved, tester_decision, llm_metadata from public.planning_pde_mappings
       where llm_metadata ->> 'generation_job_id' = ${jobId}`;
    expect(mappings).toHaveLength(7);
    expect(mappings.every((m) => !m.auto_approved && m.tester_decision === null)).toBe(true);
    // The same LLM metadata keys as the attributes (the seed's): confidence_score and rationale.
    for (const m of mappings) {
      expect(m.llm_metadata).toEqual({
        provider: "openai",
        model: "fake-model",
        generation_job_id: jobId,
        confidence_score: expect.any(Number),
        rationale: expect.any(String),
      });
    }
    for (const a of attributes) expect(a.llm_metadata).toHaveProperty("rationale", expect.any(String));
  });

  it("retries a 429 and stores once, each attempt its own row", async () => {
    fake.enqueue(rateLimited(0));
    const jobId = await generate(await createDraft(sql), "planning_attributes");
    const calls = await interactions(sql, jobId);
    const first = calls.filter((c) => c.idempotency_key.endsWith(":0"));
    expect(first.map((c) => [c.attempt, c.status, c.failure_reason, c.http_status])).toEqual([
      [1, "failed", "rate_limited", 429],
      [2, "completed", null, null],
    ]);
    expect(await attributesOf(jobId)).toHaveLength(7);
  });

  it("records every attempt of a persistent 500 and leaves the job to retry later, storing nothing", async () => {
    fake.otherwise(() => serverError(500));
    const jobId = await generate(await createDraft(sql), "planning_attributes");
    const calls = await interactions(sql, jobId);
    expect(calls.map((c) => [c.attempt, c.status, c.failure_reason, c.http_status])).toEqual([
      [1, "failed", "server_error", 500],
      [2, "failed", "server_error", 500],
      [3, "failed", "server_error", 500],
    ]);
    expect(await jobState(sql, jobId)).toMatchObject({ status: "queued", error: expect.stringContaining("500") });
    expect(await attributesOf(jobId)).toHaveLength(0);
  });

  it("ends a call that does not answer at the timeout", async () => {
    fake.enqueue(hang());
    const jobId = await generate(await createDraft(sql), "planning_attributes", { timeoutMs: 1000, maxAttempts: 1 });
    const calls = await interactions(sql, jobId);
    expect(calls.map((c) => [c.status, c.failure_reason])).toEqual([["failed", "timeout"]]);
    expect((await jobState(sql, jobId)).status).toBe("queued");
    expect(await attributesOf(jobId)).toHaveLength(0);
  });

  it.each([
    ["malformed JSON", '{"attributes": [', "malformed_json"],
    ["schema-invalid output", { attributes: [{ name: "loan_id", data_type: "integer" }] }, "schema_invalid"],
    ["a proposal for a column it was not shown", { attributes: [hostileAttribute()] }, "schema_invalid"],
  ])("refuses %s: the call is failed with the reason, its tokens kept, nothing stored", async (_, content, problem) => {
    fake.enqueue(ok(content));
    const jobId = await generate(await createDraft(sql), "planning_attributes");
    const [call] = await interactions(sql, jobId);
    expect(call).toMatchObject({
      status: "failed",
      failure_reason: "invalid_output",
      error: expect.stringContaining(problem),
    });
    expect(call!.input_tokens).toBeGreaterThan(0);
    expect(Number(call!.cost_usd)).toBeGreaterThan(0);
    expect(await jobState(sql, jobId)).toMatchObject({ status: "failed", error: expect.stringContaining(problem) });
    expect(await attributesOf(jobId)).toHaveLength(0);
  });
});

/** A well-formed attribute about a column the model was never shown. */
function hostileAttribute() {
  const classification = {
    criticality: "low",
    risk_level: "low",
    information_security: "public",
    regulatory_flag: false,
    pii_flag: false,
    data_category: "other",
    evidence_type: "data_profile",
    evidence_reference: "",
  };
  return {
    name: "Secret",
    data_type: "string",
    description: "",
    business_definition: "",
    is_mandatory: false,
    is_cde: false,
    is_primary_key: false,
    max_length: null,
    information_security_classification: "public",
    source: { data_source: "Loan tape", table: "pg_authid", column: "rolpassword" },
    pde_mappings: [
      {
        pde_name: "Secret",
        pde_code: "S",
        mapping_type: "direct",
        source_table: "pg_authid",
        source_column: "rolpassword",
        transformation_rule: null,
        is_primary: true,
        classification,
        confidence: 0.99,
      },
    ],
    confidence: 0.99,
    rationale: "",
  };
}

describe("profiling rules from a remote model", () => {
  const rulesOf = (jobId: string) =>
    sql<{ name: string; definition: unknown; llm_metadata: Record<string, unknown>; tester_decision: string | null }[]>`
      select name, definition, llm_metadata, tester_decision from public.profiling_rules
       where llm_metadata ->> 'generation_job_id' = ${jobId}`;

  it("stores rules for the approved attributes, checked by the rule language, with pending decisions", async () => {
    const jobId = await generate(await createDraft(sql, { profiling: true }), "profiling_rules");
    expect(await jobState(sql, jobId)).toMatchObject({ status: "completed", result: { batches: 2, calls: 2 } });
    const rules = await rulesOf(jobId);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.tester_decision).toBeNull();
      expect(rule.llm_metadata).toMatchObject({
        provider: "openai",
        model: "fake-model",
        confidence: expect.any(Number),
        rationale: expect.any(String),
      });
    }
  });

  const rule = (attribute: string, name: string, definition: unknown) => ({
    attribute,
    name,
    rule_type: "validity",
    description: "",
    definition: JSON.stringify(definition),
    severity: "low",
    rationale: "",
    confidence: 0.5,
  });

  it.each([
    [
      "expressions escaping the rule language and an unknown attribute",
      [
        rule("Amount", "read_files", { kind: "expression", text: "pg_read_file('/etc/passwd') is not null" }),
        rule("Amount", "sleep", { kind: "expression", text: "(select pg_sleep(10)) is null" }),
        rule("Ghost", "present", { kind: "not_null", column: "ghost" }),
      ],
      [/rules\.0\.definition/, /rules\.1\.definition/, /unknown attribute Ghost/],
    ],
    [
      "overlong strings",
      [rule("Loan id", "x".repeat(500), { kind: "not_null", column: "loan_id" })],
      [/rules\.0\.name: String must contain at most 100/],
    ],
  ])("refuses hostile rules (%s), recording why, and stores none", async (_, rules, reasons) => {
    fake.enqueue(ok({ rules }));
    const jobId = await generate(await createDraft(sql, { profiling: true }), "profiling_rules");
    const [call] = await interactions(sql, jobId);
    expect(call).toMatchObject({ status: "failed", failure_reason: "invalid_output" });
    for (const reason of reasons) expect(call!.error).toMatch(reason);
    expect((await jobState(sql, jobId)).status).toBe("failed");
    expect(await rulesOf(jobId)).toHaveLength(0);
  });
});

describe("the database recorder", () => {
  it("completes a call and stores its items together, or neither; a completed key is replayed", async () => {
    const draft = await createDraft(sql);
    const recorder = new DatabaseRecorder(sql, { versionId: draft.versionId });
    const key = `recorder-${randomBytes(4).toString("hex")}:0`;
    const start = {
      purpose: "planning_attributes" as const,
      provider: "openai",
      model: "m",
      request: { q: 1 },
      idempotencyKey: key,
    };
    const completion = {
      response: { content: { attributes: [] } },
      inputTokens: 3,
      outputTokens: 2,
      costUsd: 0.00001234,
      durationMs: 5,
    };
    const insert = (tx: postgres.TransactionSql, name: string) =>
      tx`insert into public.planning_attributes (version_id, name, data_type) values (${draft.versionId}, ${name}, 'string')`;

    const first = await recorder.begin({ ...start, attempt: 1 });
    expect(first.status).toBe("started");
    await expect(
      recorder.complete(first.id, completion, async (tx) => {
        await insert(tx, "Lost");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    const [row] = await sql`select status from public.llm_interactions where id = ${first.id}`;
    expect(row!.status).toBe("pending");
    expect(
      await sql`select 1 from public.planning_attributes where version_id = ${draft.versionId} and name = 'Lost'`,
    ).toHaveLength(0);

    const second = await recorder.begin({ ...start, attempt: 1 });
    await recorder.complete(second.id, completion, (tx) => insert(tx, "Kept").then(() => undefined));
    const rows =
      await sql`select id, status, failure_reason, cost_usd from public.llm_interactions where idempotency_key = ${key} order by created_at`;
    expect(rows.map((r) => [r.status, r.failure_reason])).toEqual([
      ["failed", "abandoned"],
      ["completed", null],
    ]);
    expect(rows[1]!.cost_usd).toBe("0.00001234");

    expect(await recorder.begin({ ...start, attempt: 1 })).toEqual({
      status: "completed_before",
      id: second.id,
      response: completion.response,
    });
  });
});

describe("the database recorder's answered calls", () => {
  const start = (key: string) => ({
    purpose: "planning_attributes" as const,
    provider: "openai",
    model: "m",
    request: { q: 1 },
    idempotencyKey: key,
    attempt: 1,
  });
  const answer = {
    response: { content: '{"attributes": []}', providerResponseId: "chatcmpl-1", finishReason: "stop" },
    inputTokens: 30,
    outputTokens: 20,
    costUsd: 0.00012345,
    durationMs: 40,
  };
  const row = async (id: string) =>
    (
      await sql`select status, failure_reason, response, input_tokens, output_tokens, cost_usd, duration_ms
                  from public.llm_interactions where id = ${id}`
    )[0]!;

  it("keeps an answer in its own commit; a later run gets it back instead of a new call, and completes it with its accounting", async () => {
    const draft = await createDraft(sql);
    const recorder = new DatabaseRecorder(sql, { versionId: draft.versionId });
    const key = `answered-${randomBytes(4).toString("hex")}:0`;
    const first = await recorder.begin(start(key));
    await recorder.answer(first.id, answer);
    expect(await row(first.id)).toMatchObject({
      status: "answered",
      response: answer.response,
      input_tokens: 30,
      output_tokens: 20,
      cost_usd: "0.00012345",
      duration_ms: 40,
    });

    // A new run of the call: the answered row is neither abandoned nor called again.
    expect(await recorder.begin(start(key))).toEqual({ status: "answered_before", id: first.id, answer });
    const completion = {
      response: { content: { attributes: [] } },
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      durationMs: 1,
    };
    await recorder.complete(first.id, completion, async (tx) => {
      await tx`insert into public.planning_attributes (version_id, name, data_type) values (${draft.versionId}, 'Replayed', 'string')`;
    });
    expect(await row(first.id)).toMatchObject({
      status: "completed",
      response: completion.response,
      input_tokens: 30,
      cost_usd: "0.00012345",
      duration_ms: 40,
    });
    const rows = await sql`select status from public.llm_interactions where idempotency_key = ${key}`;
    expect(rows.map((r) => r.status)).toEqual(["completed"]);
  });

  it("fails an answered call keeping its answer and cost; a second answer of a stored call is abandoned, its cost kept", async () => {
    const recorder = new DatabaseRecorder(sql);
    const failing = await recorder.begin(start(`answered-${randomBytes(4).toString("hex")}:0`));
    await recorder.answer(failing.id, answer);
    await recorder.fail(failing.id, { reason: "store_failed", error: "refused", durationMs: 1, costUsd: 0 });
    expect(await row(failing.id)).toMatchObject({
      status: "failed",
      failure_reason: "store_failed",
      response: answer.response,
      cost_usd: "0.00012345",
      duration_ms: 40,
    });

    const key = `answered-${randomBytes(4).toString("hex")}:0`;
    const zombie = await recorder.begin({ ...start(key), attempt: 2 });
    const current = await recorder.begin({ ...start(key), attempt: 3 });
    await recorder.answer(zombie.id, answer);
    await recorder.answer(current.id, { ...answer, inputTokens: 31 });
    await recorder.complete(current.id, { ...answer, response: { content: {} } }, async () => {});
    expect(await row(zombie.id)).toMatchObject({
      status: "failed",
      failure_reason: "abandoned",
      cost_usd: "0.00012345",
    });
    expect(await row(current.id)).toMatchObject({ status: "completed", input_tokens: 31 });
  });

  it("records the late answer of a call abandoned by the worker that took the job over, and does not use it", async () => {
    const recorder = new DatabaseRecorder(sql);
    const key = `late-${randomBytes(4).toString("hex")}:0`;
    const slow = await recorder.begin(start(key));
    // The job's new run begins the call again while the first is still waiting: the first is abandoned.
    const again = await recorder.begin(start(key));
    expect(await row(slow.id)).toMatchObject({ status: "failed", failure_reason: "abandoned", cost_usd: null });

    await expect(recorder.answer(slow.id, answer)).rejects.toThrow(/late answer's cost is recorded/);
    expect(await row(slow.id)).toMatchObject({
      status: "failed",
      failure_reason: "abandoned",
      response: answer.response,
      input_tokens: 30,
      output_tokens: 20,
      cost_usd: "0.00012345",
      duration_ms: 40,
    });
    // Once only: a second late answer changes nothing.
    await expect(recorder.answer(slow.id, { ...answer, inputTokens: 99 })).rejects.toThrow(/was not recorded/);
    expect(await row(slow.id)).toMatchObject({ input_tokens: 30 });

    await recorder.answer(again.id, { ...answer, inputTokens: 31 });
    expect(await row(again.id)).toMatchObject({ status: "answered", input_tokens: 31 });
  });
});

describe("privacy", () => {
  it("sends values only of columns the draft classifies public or internal, never of an unclassified personal column", async () => {
    const draft = await createDraft(sql);
    // A personal column nothing flags: an innocent name, and values that look like nothing in particular.
    const people = ["Alan Turing", "Edsger Dijkstra", "Barbara Liskov"];
    await sql.begin(async (tx) => {
      await tx.unsafe(`alter table source_data.${draft.table} add column client text`);
      const client = {
        name: "client",
        originalName: "client",
        position: COLUMNS.length + 1,
        type: "text",
        pgType: "text",
        nullable: true,
        nullCount: 0,
        distinctCount: 3,
        distinctIsEstimate: false,
        min: people[0],
        max: people[2],
        maxLength: 15,
        examples: people,
      };
      await tx`
        update public.planning_data_sources set schema = jsonb_set(schema, '{columns}', (schema -> 'columns') || ${tx.json([client])})
         where id = ${draft.sourceId}`;
      // What the draft already says: PDE mappings of an attribute classify currency public, amount internal and
      // ssn restricted, and flag opened_on as personal data although they call it public. No other column is
      // classified.
      const [attribute] = await tx<[{ id: string }]>`
        insert into public.planning_attributes (version_id, name, data_type)
        values (${draft.versionId}, 'Settlement', 'string') returning id`;
      for (const [column, classification] of [
        ["currency", { information_security: "public" }],
        ["amount", { information_security: "internal" }],
        ["ssn", { information_security: "restricted" }],
        ["opened_on", { information_security: "public", pii_flag: true }],
      ] as const) {
        await tx`
          insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, source_table, source_column, classification)
          values (${draft.versionId}, ${attribute.id}, ${column}, ${column.toUpperCase()}, ${draft.table}, ${column},
                  ${tx.json(classification)})`;
      }
    });
    const before = fake.requests.length;
    const jobId = await generate(draft, "planning_attributes");
    expect(await jobState(sql, jobId)).toMatchObject({ status: "completed", result: { batches: 3 } });

    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(3);
    const recorded = await sql<
      { request: unknown }[]
    >`select request from public.llm_interactions where job_id = ${jobId}`;
    for (const text of [
      ...sent.map((r) => JSON.stringify(r.body)),
      ...recorded.map((r) => JSON.stringify(r.request)),
    ]) {
      for (const value of [...people, ...SECRET_VALUES]) expect(text).not.toContain(value);
    }
    const columns = sent.flatMap((r) => viewOf<PlanningView>(r).data_sources.flatMap((d) => d.columns));
    const shown = (name: string) => columns.find((c) => c.name === name)!;
    expect(columns.map((c) => c.name).sort()).toEqual([...COLUMNS, "client"].sort());
    expect(shown("client")).toEqual({
      name: "client",
      type: "text",
      null_count: 0,
      distinct_count: 3,
      max_length: 15,
      classification: null,
      values_withheld: {
        because: "unclassified",
        detail: "not classified yet: values are sent only for columns classified public or internal",
      },
    });
    expect(shown("currency")).toMatchObject({ classification: "public", example_values: ["EUR", "USD", "GBP"] });
    expect(shown("amount")).toMatchObject({ classification: "internal", min: 15, max: 250000 });
    expect(shown("ssn")).toMatchObject({
      classification: "restricted",
      values_withheld: { because: "classification" },
    });
    expect(shown("opened_on")).toMatchObject({
      classification: "restricted",
      values_withheld: { because: "classification" },
    });
    for (const name of ["loan_id", "borrower_name", "contact"]) {
      expect(shown(name)).toMatchObject({ classification: null, values_withheld: { because: "unclassified" } });
      expect(shown(name)).not.toHaveProperty("example_values");
    }
    jobIds.push(jobId);
  });

  it("no value of a confidential or restricted column appears in any recorded request or in what the server received", async () => {
    expect(jobIds.length).toBeGreaterThan(5);
    const recorded = await sql<
      { request: unknown }[]
    >`select request from public.llm_interactions where job_id = any(${jobIds}::uuid[])`;
    expect(recorded.length).toBeGreaterThan(5);
    const texts = [
      ...recorded.map((r) => JSON.stringify(r.request)),
      ...fake.requests.map((r) => JSON.stringify(r.body)),
    ];
    for (const text of texts) for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
    // Values of public and internal columns do reach the model.
    expect(texts.some((t) => t.includes("EUR"))).toBe(true);
  });
});
