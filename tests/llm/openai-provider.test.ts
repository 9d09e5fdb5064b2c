import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { LlmOutputError, LlmRequestError } from "../../supabase/functions/_shared/llm/errors.ts";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import {
  hang,
  type Behaviour,
  ok,
  rateLimited,
  refusal,
  serverError,
  startFakeOpenAi,
  truncated,
  type FakeOpenAi,
} from "../support/fake-openai.ts";
import { planningBatch, ruleBatch } from "./fixtures.ts";
import { MemoryRecorder, storeAll } from "./support/memory-recorder.ts";
import { providerFor } from "./support/openai.ts";

let server: FakeOpenAi;
let recorder: MemoryRecorder;
beforeAll(async () => {
  server = await startFakeOpenAi();
});
afterAll(() => server.close());
beforeEach(() => {
  recorder = new MemoryRecorder();
  server.requests.length = 0;
});

/** What a model would answer for the batch: the offline provider's proposals make a valid answer. */
async function validAttributes() {
  const { output } = await new HeuristicProvider().proposeAttributes(planningBatch, {
    recorder: new MemoryRecorder(),
    idempotencyKey: "fixture",
    store: async () => {},
  });
  return { attributes: output };
}

const validRules = () => ({
  rules: [
    {
      attribute: "loan_amount",
      name: "positive",
      rule_type: "validity",
      description: "Loan amounts are positive.",
      definition: JSON.stringify({ kind: "range", column: "loan_amount", min: 0, max: 1e9 }),
      severity: "high",
      rationale: "A loan cannot have a negative principal.",
      confidence: 0.9,
    },
  ],
});

const attributes = (key = "job-1:0") =>
  providerFor(server.baseUrl).proposeAttributes(planningBatch, { recorder, idempotencyKey: key, store: storeAll });
const rules = (key = "job-2:0") =>
  providerFor(server.baseUrl).proposeRules(ruleBatch, {
    recorder,
    idempotencyKey: key,
    store: storeAll,
  });

const statuses = () => recorder.interactions.map((i) => [i.start.attempt, i.status, i.failure?.reason]);

describe("OpenAI-compatible provider", () => {
  test("success: one attempt, tokens from usage, cost from the prices, items stored with the completion", async () => {
    const answer = await validAttributes();
    server.enqueue(ok(answer));
    const result = await attributes();

    expect(result.output).toEqual(answer.attributes);
    expect(recorder.items).toEqual(answer.attributes);
    expect(statuses()).toEqual([[1, "completed", undefined]]);
    const { completion, start } = recorder.interactions[0]!;
    expect(completion!.inputTokens).toBeGreaterThan(100);
    expect(completion!.outputTokens).toBe(Math.ceil(JSON.stringify(answer).length / 4));
    expect(completion!.costUsd).toBeCloseTo((completion!.inputTokens * 2.5 + completion!.outputTokens * 10) / 1e6, 10);
    expect(completion!.durationMs).toBeGreaterThanOrEqual(0);
    expect(completion!.response).toMatchObject({
      content: answer,
      finishReason: "stop",
      providerResponseId: expect.stringMatching(/^chatcmpl-/),
    });
    expect(result).toMatchObject({
      provider: "openai",
      model: "gpt-test",
      attempts: 1,
      replayed: false,
      costUsd: completion!.costUsd,
    });
    expect(start).toMatchObject({
      purpose: "planning_attributes",
      provider: "openai",
      model: "gpt-test",
      idempotencyKey: "job-1:0",
    });

    // The request recorded is the request sent: structured output with a strict JSON schema.
    const sent = server.requests[0]!.body;
    expect(start.request).toEqual(sent);
    expect(sent.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "planning_attributes", strict: true },
    });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer sk-test");
  });

  test("429 then success: two attempts recorded, the first failed as rate limited", async () => {
    server.enqueue(rateLimited(0), ok(validRules()));
    const result = await rules();
    expect(result.attempts).toBe(2);
    expect(statuses()).toEqual([
      [1, "failed", "rate_limited"],
      [2, "completed", undefined],
    ]);
    expect(recorder.interactions[0]!.failure).toMatchObject({ status: 429 });
    expect(recorder.items).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  test("a retry-after longer than the longest wait ends the retries at once", async () => {
    server.enqueue(rateLimited(3600));
    const error = await rules().catch((e) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ reason: "rate_limited", attempts: 1, status: 429 });
    expect(server.requests).toHaveLength(1);
  });

  test("persistent 500: every attempt failed, the error surfaced, nothing stored", async () => {
    server.enqueue(serverError(500), serverError(502), serverError(503));
    const error = await rules().catch((e) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ reason: "server_error", attempts: 3, status: 503 });
    expect(statuses()).toEqual([
      [1, "failed", "server_error"],
      [2, "failed", "server_error"],
      [3, "failed", "server_error"],
    ]);
    expect(recorder.interactions.map((i) => i.failure!.status)).toEqual([500, 502, 503]);
    expect(recorder.items).toEqual([]);
  });

  test("a client error (400) is not retried", async () => {
    server.otherwise(() => ({ type: "server_error", status: 400 }));
    try {
      const error = await rules().catch((e) => e);
      expect(error).toMatchObject({ reason: "client_error", attempts: 1, status: 400 });
    } finally {
      server.otherwise(() => serverError(500));
    }
  });

  test("timeout: a hanging server is abandoned after the timeout, the attempt failed, then retried", async () => {
    server.enqueue(hang(), ok(validRules()));
    const result = await rules();
    expect(result.attempts).toBe(2);
    expect(statuses()).toEqual([
      [1, "failed", "timeout"],
      [2, "completed", undefined],
    ]);
    expect(recorder.interactions[0]!.failure!.durationMs).toBeGreaterThanOrEqual(900);
  });

  test("timeout on every attempt surfaces as a timeout", async () => {
    const provider = providerFor(server.baseUrl, { LLM_MAX_ATTEMPTS: "2" });
    server.enqueue(hang(), hang());
    const error = await provider
      .proposeRules(ruleBatch, { recorder, idempotencyKey: "t", store: storeAll })
      .catch((e) => e);
    expect(error).toMatchObject({ name: "LlmRequestError", reason: "timeout", attempts: 2 });
    expect(statuses()).toEqual([
      [1, "failed", "timeout"],
      [2, "failed", "timeout"],
    ]);
  });
});

describe("invalid output: recorded as failed with the reason, paid tokens kept, not retried, nothing stored", () => {
  async function refused(behaviour: Behaviour, call: () => Promise<unknown> = rules) {
    server.enqueue(behaviour);
    const error = await call().catch((e) => e);
    expect(error).toBeInstanceOf(LlmOutputError);
    expect(server.requests).toHaveLength(1);
    expect(recorder.items).toEqual([]);
    expect(statuses()).toEqual([[1, "failed", "invalid_output"]]);
    const { failure } = recorder.interactions[0]!;
    expect(failure!.outputTokens).toBeGreaterThan(0);
    expect(failure!.costUsd).toBeGreaterThan(0);
    expect((error as LlmOutputError).interactionId).toBe(recorder.interactions[0]!.id);
    return { error: error as LlmOutputError, failure: failure! };
  }

  test("malformed JSON", async () => {
    const { error, failure } = await refused(ok('{"rules": [{"attribute": "loan_amount",'));
    expect(error.problem).toBe("malformed_json");
    expect(failure.error).toMatch(/^malformed_json: output is not JSON/);
    expect(failure.response!.content).toBe('{"rules": [{"attribute": "loan_amount",');
  });

  test("schema-invalid output: wrong types, missing and unknown fields", async () => {
    const bad = validRules();
    const rule = bad.rules[0]! as Record<string, unknown>;
    rule.severity = "catastrophic";
    rule.confidence = 1.5;
    delete rule.rationale;
    rule.sql = "select 1";
    const { error, failure } = await refused(ok(bad));
    expect(error.problem).toBe("schema_invalid");
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\.0\.severity: /),
        expect.stringMatching(/^rules\.0\.confidence: /),
        expect.stringMatching(/^rules\.0\.rationale: Required/),
        expect.stringMatching(/^rules\.0: Unrecognized key\(s\) in object: 'sql'/),
      ]),
    );
    expect(failure.error).toContain("rules.0.severity");
  });

  test("hostile: overlong strings", async () => {
    const answer = await validAttributes();
    answer.attributes[0]!.description = "x".repeat(5000);
    answer.attributes[1]!.name = "a".repeat(300);
    answer.attributes[2]!.rationale = "fine\u0000\u001b[31m";
    const { error } = await refused(ok(answer), () => attributes());
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^attributes\.0\.description: String must contain at most 1000/),
        expect.stringMatching(/^attributes\.1\.name: String must contain at most 100/),
        "attributes.2.rationale: contains control characters",
      ]),
    );
  });

  test("hostile: attributes and columns that were never shown", async () => {
    const answer = await validAttributes();
    answer.attributes[0]!.source.column = "password_hash";
    answer.attributes[1]!.pde_mappings[0]!.source_table = "pg_authid";
    const { error } = await refused(ok(answer), () => attributes());
    expect(error.issues).toEqual([
      "attributes.0.source: unknown column Loan tape/loans.password_hash",
      "attributes.1.pde_mappings.0: unknown column pg_authid.customer_id",
    ]);

    recorder = new MemoryRecorder();
    server.requests.length = 0;
    const ghost = validRules();
    ghost.rules[0]!.attribute = "salary";
    const second = await refused(ok(ghost));
    expect(second.error.issues).toEqual(["rules.0.attribute: unknown attribute salary"]);
  });

  test("hostile: rule definitions that try to escape the rule language", async () => {
    const escape = validRules();
    const rule = (name: string, definition: unknown) => ({
      ...escape.rules[0]!,
      name,
      definition: typeof definition === "string" ? definition : JSON.stringify(definition),
    });
    escape.rules.push(
      rule("sql", { kind: "sql", query: "select pg_read_file('/etc/passwd')" }),
      rule("column", { kind: "not_null", column: "loan_amount; drop table loans" }),
      rule("elsewhere", { kind: "not_null", column: "password_hash" }),
      rule("read_file", { kind: "expression", text: "pg_read_file('/etc/passwd') is not null" }),
      rule("sleep", { kind: "expression", text: "loan_amount > 0 or pg_sleep(10) is null" }),
      rule("subquery", { kind: "expression", text: "loan_amount > (select max(amount) from pg_shadow)" }),
      rule("statements", { kind: "expression", text: "true; drop table loans" }),
      rule("text", "1=1) or pg_sleep(10"),
      rule("deep", "[".repeat(20) + "]".repeat(20)),
    );
    const { error } = await refused(ok(escape));
    expect(error.issues.map((i) => i.split(":")[0])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `rules.${i}.definition`),
    );
    const [kind, identifier, missing, readFile, sleep, subquery, statements, text, deep] = error.issues;
    expect(kind).toMatch(/kind: expected one of not_null, /);
    expect(identifier).toMatch(/column/);
    expect(missing).toBe('rules.3.definition: column "password_hash" does not exist in the table');
    expect(readFile).toMatch(/pg_read_file/);
    expect(sleep).toMatch(/pg_sleep/);
    expect(subquery).toMatch(/subquer|select/i);
    expect(statements).toMatch(/only one expression/);
    expect(text).toBe("rules.8.definition: not valid JSON");
    expect(deep).toBe("rules.9.definition: not a JSON object");
  });

  test("an expression written as text is stored in the rule language's parsed form", async () => {
    const answer = validRules();
    answer.rules[0]!.definition = JSON.stringify({
      kind: "expression",
      text: "loan_amount > 0 and currency in ('EUR', 'USD')",
    });
    server.enqueue(ok(answer));
    const { output } = await rules();
    expect(output[0]!.definition).toMatchObject({ kind: "expression", expression: { op: "and" } });
  });

  test("output cut off at the token limit", async () => {
    const { error } = await refused(truncated('{"rules": ['));
    expect(error.problem).toBe("truncated");
  });

  test("a refusal", async () => {
    const { error } = await refused(refusal("I can't help with that."));
    expect(error.problem).toBe("refused");
  });
});

describe("idempotency and the store transaction", () => {
  test("a retried job step with the same key replays the completed result: no call, nothing stored twice", async () => {
    server.enqueue(ok(validRules()));
    const first = await rules("job-9:3");
    const again = await rules("job-9:3");
    expect(again).toMatchObject({ replayed: true, interactionId: first.interactionId, attempts: 0, costUsd: 0 });
    expect(again.output).toEqual(first.output);
    expect(server.requests).toHaveLength(1);
    expect(recorder.items).toHaveLength(1);
    expect(recorder.interactions).toHaveLength(1);
  });

  test("a store that fails rolls back with the completion; the interaction is recorded failed with its cost", async () => {
    server.enqueue(ok(validRules()));
    const error = await providerFor(server.baseUrl)
      .proposeRules(ruleBatch, {
        recorder,
        idempotencyKey: "job-10:0",
        store: async (output, tx) => {
          tx.items.push(...output);
          throw new Error("duplicate key value violates unique constraint");
        },
      })
      .catch((e) => e);
    expect(error.message).toBe("duplicate key value violates unique constraint");
    expect(recorder.items).toEqual([]);
    expect(statuses()).toEqual([[1, "failed", "store_failed"]]);
    expect(recorder.interactions[0]!.failure!.costUsd).toBeGreaterThan(0);
  });

  test("the answer is on record with its tokens and cost before the output is validated or stored", async () => {
    server.enqueue(ok(validRules()));
    let seen: unknown;
    await providerFor(server.baseUrl).proposeRules(ruleBatch, {
      recorder,
      idempotencyKey: "job-11:0",
      store: async () => {
        seen = structuredClone(recorder.interactions[0]);
      },
    });
    expect(seen).toMatchObject({
      status: "answered",
      answer: {
        response: { content: JSON.stringify(validRules()), finishReason: "stop" },
        inputTokens: expect.any(Number),
        costUsd: expect.any(Number),
      },
    });
    expect(statuses()).toEqual([[1, "completed", undefined]]);
  });

  test("an answer whose store did not commit is stored by the retry from the record: no second call", async () => {
    server.enqueue(ok(validRules()));
    const call = (store: (output: unknown[], tx: { items: unknown[] }) => Promise<void>) =>
      providerFor(server.baseUrl).proposeRules(ruleBatch, {
        recorder,
        idempotencyKey: "job-12:0",
        store,
        storeMayBeRetried: (error) => (error as Error).message === "connection lost",
      });
    const lost = await call(async () => {
      throw new Error("connection lost");
    }).catch((e) => e);
    expect(lost.message).toBe("connection lost");
    expect(statuses()).toEqual([[1, "answered", undefined]]);
    const { answer } = recorder.interactions[0]!;

    const again = await call(storeAll);
    expect(again).toMatchObject({ replayed: true, interactionId: recorder.interactions[0]!.id, attempts: 0 });
    expect(server.requests).toHaveLength(1);
    expect(recorder.items).toEqual(again.output);
    expect(recorder.items).toHaveLength(1);
    expect(statuses()).toEqual([[1, "completed", undefined]]);
    const { completion } = recorder.interactions[0]!;
    expect(completion).toMatchObject({
      inputTokens: answer!.inputTokens,
      outputTokens: answer!.outputTokens,
      costUsd: answer!.costUsd,
      durationMs: answer!.durationMs,
      response: { content: validRules(), finishReason: "stop" },
    });
  });

  test("a recorded answer that no longer validates is failed on the retry, its cost kept, without a call", async () => {
    server.enqueue(ok(validRules()));
    await rules("job-13:0").catch(() => undefined);
    const interaction = recorder.interactions[0]!;
    // As if the worker had stopped right after recording an answer the batch does not accept.
    interaction.status = "answered";
    interaction.answer = { ...interaction.completion!, response: { content: '{"rules": [' } };
    delete interaction.completion;
    const error = await rules("job-13:0").catch((e) => e);
    expect(error).toBeInstanceOf(LlmOutputError);
    expect(error.problem).toBe("malformed_json");
    expect(server.requests).toHaveLength(1);
    expect(statuses()).toEqual([[1, "failed", "invalid_output"]]);
    expect(interaction.failure).toMatchObject({
      costUsd: interaction.answer.costUsd,
      response: { content: '{"rules": [' },
    });
  });
});
