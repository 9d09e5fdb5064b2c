import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import { planningValuePolicy } from "../../supabase/functions/_shared/llm/privacy.ts";
import type { ColumnProfile } from "../../supabase/functions/_shared/llm/types.ts";
import { ok, startFakeOpenAi, type FakeOpenAi } from "../support/fake-openai.ts";
import { counterparties, planningBatch, ruleBatch, SECRET_VALUES } from "./fixtures.ts";
import { MemoryRecorder, storeAll } from "./support/memory-recorder.ts";
import { providerFor } from "./support/openai.ts";

let server: FakeOpenAi;
beforeAll(async () => {
  server = await startFakeOpenAi();
});
afterAll(() => server.close());

const leaks = (text: string) => SECRET_VALUES.filter((secret) => text.includes(secret));

describe("no confidential or restricted value reaches a prompt", () => {
  test("planning and profiling prompts sent to the model, and as recorded", async () => {
    const recorder = new MemoryRecorder();
    const provider = providerFor(server.baseUrl);
    server.enqueue(ok({ attributes: [] }), ok({ rules: [] }));
    await provider.proposeAttributes(planningBatch, { recorder, idempotencyKey: "p", store: storeAll });
    await provider.proposeRules(ruleBatch, { recorder, idempotencyKey: "r", store: storeAll });

    const sent = JSON.stringify(server.requests.map((r) => r.body));
    const recorded = JSON.stringify(recorder.interactions.map((i) => i.start.request));
    expect(server.requests).toHaveLength(2);
    expect(leaks(sent)).toEqual([]);
    expect(leaks(recorded)).toEqual([]);
    // Values of public and internal columns are shown, so the check above is not vacuous.
    for (const shown of ["GB123456", "EUR", "1000.5", "2019-01-15", "active"]) expect(sent).toContain(shown);
  });

  test("the offline provider's recorded input and its proposals", async () => {
    const recorder = new MemoryRecorder();
    const provider = new HeuristicProvider(() => "2025-01-31");
    await provider.proposeAttributes(planningBatch, { recorder, idempotencyKey: "p", store: storeAll });
    await provider.proposeRules(ruleBatch, { recorder, idempotencyKey: "r", store: storeAll });
    expect(leaks(JSON.stringify(recorder.interactions))).toEqual([]);
    expect(leaks(JSON.stringify(recorder.items))).toEqual([]);
  });

  test("withheld columns say why, and keep their statistics", async () => {
    const recorder = new MemoryRecorder();
    const provider = providerFor(server.baseUrl);
    server.enqueue(ok({ attributes: [] }));
    await provider.proposeAttributes(planningBatch, { recorder, idempotencyKey: "w", store: storeAll });
    const view = JSON.parse(server.requests.at(-1)!.body.messages![1]!.content);
    const ssn = view.data_sources[0].columns.find((c: { name: string }) => c.name === "ssn");
    expect(ssn).toEqual({
      name: "ssn",
      type: "varchar(11)",
      null_count: 0,
      distinct_count: 5,
      max_length: 11,
      classification: null,
      values_withheld: { because: "name", detail: "unclassified, name suggests restricted" },
    });
  });
});

describe("planning-time value policy for a column", () => {
  const column = (fields: Partial<ColumnProfile>): ColumnProfile => ({
    name: "segment",
    type: "text",
    nullCount: 0,
    distinctCount: 3,
    exampleValues: ["Retail", "Corporate", "Private Banking"],
    ...fields,
  });

  test.each<[string, Partial<ColumnProfile>, boolean | string]>([
    ["unclassified, plain name and code-like values", {}, true],
    ["classified public", { classification: "public" }, true],
    ["classified internal", { classification: "internal" }, true],
    ["classified confidential, whatever the name", { classification: "confidential" }, "classification"],
    ["classified restricted", { classification: "restricted" }, "classification"],
    ["unclassified, name suggests restricted", { name: "tax_id" }, "name"],
    ["unclassified, name suggests confidential", { name: "customerEmail" }, "name"],
    ["unclassified, name suggests public", { name: "country_code", exampleValues: ["GB"] }, true],
    ["values that look like e-mail addresses", { name: "contact", exampleValues: ["a@b.co"] }, "personal_values"],
    ["values that look like SSNs", { name: "ref", exampleValues: ["123-45-6789"] }, "personal_values"],
    ["values that look like phone numbers", { name: "ref", exampleValues: ["+44 20 7946 0958"] }, "personal_values"],
    ["values that look like card numbers", { name: "ref", exampleValues: ["4111 1111 1111 1111"] }, "personal_values"],
    ["values that look like IBANs", { name: "ref", exampleValues: ["GB82WEST12345698765432"] }, "personal_values"],
    ["a minimum that looks personal", { name: "ref", exampleValues: [], min: "a@b.co" }, "personal_values"],
    ["free text", { name: "comment", exampleValues: ["please call the client back tomorrow"] }, "free_text"],
    ["numbers are not free text", { name: "amount", type: "numeric", exampleValues: [12, 13.5] }, true],
  ])("%s", (_, fields, expected) => {
    const policy = planningValuePolicy(column(fields));
    expect(policy.show ? true : policy.because).toBe(expected);
  });

  test("an identifier code list is shown (no personal look)", () => {
    expect(planningValuePolicy(counterparties.columns[1]!).show).toBe(true);
  });
});
