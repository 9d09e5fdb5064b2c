import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import { planningView, type PlanningView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import { planningValuePolicy } from "../../supabase/functions/_shared/llm/privacy.ts";
import type { AttributeBatch, ColumnProfile } from "../../supabase/functions/_shared/llm/types.ts";
import { ok, startFakeOpenAi, type FakeOpenAi, viewOf } from "../support/fake-openai.ts";
import { counterparties, loans, planningBatch, ruleBatch, SECRET_VALUES } from "./fixtures.ts";
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

  test("planning prompts for a remote model carry values only of columns classified public or internal", async () => {
    const recorder = new MemoryRecorder();
    server.enqueue(ok({ attributes: [] }));
    await providerFor(server.baseUrl).proposeAttributes(planningBatch, {
      recorder,
      idempotencyKey: "c",
      store: storeAll,
    });
    const columns = viewOf<PlanningView>(server.requests.at(-1)!).data_sources[0]!.columns;
    // Only `status` is classified (internal); every other column is unclassified at planning time.
    expect(columns.filter((c) => "example_values" in c || "min" in c || "max" in c).map((c) => c.name)).toEqual([
      "status",
    ]);
    expect(columns.find((c) => c.name === "status")).toMatchObject({
      classification: "internal",
      example_values: ["active", "closed", "default"],
    });
    for (const column of columns.filter((c) => c.name !== "status")) {
      expect(column.values_withheld?.because).toBe("unclassified");
      // Their statistics are still there.
      expect(column.distinct_count).toBeGreaterThan(0);
    }
  });

  test("an innocuously named personal column: its values never reach the model", async () => {
    const people = ["Alan Turing", "Edsger Dijkstra", "Barbara Liskov"];
    const client: ColumnProfile = {
      name: "client",
      type: "text",
      nullCount: 0,
      distinctCount: 3,
      maxLength: 15,
      min: "Alan Turing",
      max: "Edsger Dijkstra",
      exampleValues: people,
    };
    // Nothing about it looks personal: the offline screen would let its values through.
    expect(planningValuePolicy(client, "local").show).toBe(true);
    const batch: AttributeBatch = { dataSources: [{ ...loans, columns: [client, ...loans.columns] }] };
    const recorder = new MemoryRecorder();
    server.enqueue(ok({ attributes: [] }));
    await providerFor(server.baseUrl).proposeAttributes(batch, { recorder, idempotencyKey: "client", store: storeAll });
    const request = server.requests.at(-1)!;
    for (const person of people) {
      expect(JSON.stringify(request.body)).not.toContain(person);
      expect(JSON.stringify(recorder.interactions.map((i) => i.start.request))).not.toContain(person);
    }
    expect(viewOf<PlanningView>(request).data_sources[0]!.columns[0]).toEqual({
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
  });

  test("the offline provider's recorded input and its proposals", async () => {
    const recorder = new MemoryRecorder();
    const provider = new HeuristicProvider(() => "2025-01-31");
    await provider.proposeAttributes(planningBatch, { recorder, idempotencyKey: "p", store: storeAll });
    await provider.proposeRules(ruleBatch, { recorder, idempotencyKey: "r", store: storeAll });
    expect(leaks(JSON.stringify(recorder.interactions))).toEqual([]);
    expect(leaks(JSON.stringify(recorder.items))).toEqual([]);
    // It sends nothing anywhere, so it may read harmless-looking values of unclassified columns on this machine.
    const view = (recorder.interactions[0]!.start.request as { input: PlanningView }).input;
    expect(view.data_sources[0]!.columns.find((c) => c.name === "branch_code")).toMatchObject({
      classification: null,
      example_values: ["GB123456", "FR654321", "DE000001", "GB000777", "IT123123"],
    });
  });

  test("withheld columns say why, and keep their statistics", async () => {
    const view = planningView(planningBatch, "local");
    const ssn = view.data_sources[0]!.columns.find((c) => c.name === "ssn");
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

  // [case, column, for a remote model, for the offline provider]: true when shown, else why withheld.
  test.each<[string, Partial<ColumnProfile>, boolean | string, boolean | string]>([
    ["unclassified, plain name and code-like values", {}, "unclassified", true],
    ["classified public", { classification: "public" }, true, true],
    ["classified internal", { classification: "internal" }, true, true],
    [
      "classified confidential, whatever the name",
      { classification: "confidential" },
      "classification",
      "classification",
    ],
    ["classified restricted", { classification: "restricted" }, "classification", "classification"],
    ["unclassified, name suggests restricted", { name: "tax_id" }, "unclassified", "name"],
    ["unclassified, name suggests confidential", { name: "customerEmail" }, "unclassified", "name"],
    ["unclassified, name suggests public", { name: "country_code", exampleValues: ["GB"] }, "unclassified", true],
    [
      "values that look like e-mail addresses",
      { name: "contact", exampleValues: ["a@b.co"] },
      "unclassified",
      "personal_values",
    ],
    ["values that look like SSNs", { name: "ref", exampleValues: ["123-45-6789"] }, "unclassified", "personal_values"],
    [
      "values that look like phone numbers",
      { name: "ref", exampleValues: ["+44 20 7946 0958"] },
      "unclassified",
      "personal_values",
    ],
    [
      "values that look like card numbers",
      { name: "ref", exampleValues: ["4111 1111 1111 1111"] },
      "unclassified",
      "personal_values",
    ],
    [
      "values that look like IBANs",
      { name: "ref", exampleValues: ["GB82WEST12345698765432"] },
      "unclassified",
      "personal_values",
    ],
    [
      "a minimum that looks personal",
      { name: "ref", exampleValues: [], min: "a@b.co" },
      "unclassified",
      "personal_values",
    ],
    [
      "free text",
      { name: "comment", exampleValues: ["please call the client back tomorrow"] },
      "unclassified",
      "free_text",
    ],
    ["numbers are not free text", { name: "amount", type: "numeric", exampleValues: [12, 13.5] }, "unclassified", true],
    [
      "a personal name under an innocent name",
      { name: "client", exampleValues: ["Alan Turing"] },
      "unclassified",
      true,
    ],
  ])("%s", (_, fields, remote, local) => {
    const outcome = (policy: ReturnType<typeof planningValuePolicy>) => (policy.show ? true : policy.because);
    expect(outcome(planningValuePolicy(column(fields)))).toBe(remote);
    expect(outcome(planningValuePolicy(column(fields), "remote"))).toBe(remote);
    expect(outcome(planningValuePolicy(column(fields), "local"))).toBe(local);
  });

  test("an identifier code list is shown to the offline provider (no personal look)", () => {
    expect(planningValuePolicy(counterparties.columns[1]!, "local").show).toBe(true);
  });
});
