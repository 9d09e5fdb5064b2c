import { describe, expect, test } from "vitest";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import { detectPattern } from "../../supabase/functions/_shared/llm/heuristic/shapes.ts";
import { uniqueName } from "../../supabase/functions/_shared/generation/store.ts";
import type { AttributeProposal } from "../../supabase/functions/_shared/llm/schemas/attributes.ts";
import { counterparties, loans, ruleBatch } from "./fixtures.ts";
import { MemoryRecorder, storeAll } from "./support/memory-recorder.ts";

const provider = new HeuristicProvider(() => "2025-01-31");

/** The columns of the documented table in docs/llm.md, one row per attribute. */
const summary = (a: AttributeProposal) => {
  const { classification } = a.pde_mappings[0]!;
  return [
    a.name,
    a.data_type,
    a.is_mandatory ? "M" : "-",
    a.is_cde ? "CDE" : "-",
    a.is_primary_key ? "PK" : "-",
    a.max_length,
    a.information_security_classification,
    classification.pii_flag ? "pii" : "-",
    classification.data_category,
    classification.criticality,
    classification.risk_level,
    a.confidence,
  ];
};

describe("offline provider: attributes", () => {
  test("one attribute per column, by the documented rules", async () => {
    const recorder = new MemoryRecorder();
    const result = await provider.proposeAttributes(
      { dataSources: [loans, counterparties] },
      { recorder, idempotencyKey: "plan:1", store: storeAll },
    );
    expect(result.output.map(summary)).toEqual([
      ["loan_id", "integer", "M", "CDE", "PK", null, "internal", "-", "identifier", "high", "medium", 0.8],
      ["customer_id", "integer", "M", "CDE", "-", null, "internal", "-", "identifier", "high", "medium", 0.5],
      ["borrower_name", "string", "M", "-", "-", 12, "confidential", "pii", "personal_data", "medium", "medium", 0.7],
      ["ssn", "string", "M", "-", "-", 11, "restricted", "pii", "personal_data", "medium", "high", 0.7],
      ["contact", "string", "-", "-", "-", 17, "confidential", "pii", "personal_data", "low", "medium", 0.7],
      ["date_of_birth", "date", "M", "CDE", "-", null, "restricted", "pii", "personal_data", "high", "high", 0.7],
      ["loan_amount", "decimal", "M", "CDE", "-", null, "internal", "-", "financial_data", "high", "medium", 0.5],
      ["currency", "string", "M", "CDE", "-", 3, "public", "-", "reference_data", "high", "medium", 0.7],
      ["branch_code", "string", "M", "-", "-", 8, "internal", "-", "reference_data", "medium", "low", 0.5],
      ["origination_date", "date", "M", "CDE", "-", null, "internal", "-", "temporal", "high", "medium", 0.5],
      ["maturity_date", "date", "-", "CDE", "-", null, "internal", "-", "temporal", "high", "medium", 0.5],
      ["status", "text", "M", "-", "-", 7, "internal", "-", "reference_data", "medium", "low", 0.5],
      ["remarks", "text", "-", "-", "-", 31, "confidential", "-", "other", "low", "medium", 0.7],
      ["id", "integer", "M", "CDE", "PK", null, "internal", "-", "identifier", "high", "medium", 0.8],
      ["lei", "string", "M", "-", "-", 20, "internal", "-", "other", "medium", "low", 0.5],
      ["country_code", "string", "M", "-", "-", 2, "public", "-", "reference_data", "medium", "low", 0.7],
      // A second `status`: it says which data source it is from, by the source's name, so names stay unique.
      ["status (Counterparties)", "text", "M", "-", "-", 8, "internal", "-", "reference_data", "medium", "low", 0.5],
    ]);
  });

  test("an upload is named by its source's name, never its internal table: PDE codes and second names", async () => {
    const upload = { ...loans, name: "loans_2026q4.csv", table: "upload_c06f4ddb0123456789abcdef01234567" };
    const { output } = await provider.proposeAttributes(
      { dataSources: [loans, upload] },
      { recorder: new MemoryRecorder(), idempotencyKey: "plan:upload", store: storeAll },
    );
    const second = output.find((a) => a.source.table === upload.table && a.source.column === "loan_id")!;
    expect(second.name).toBe("loan_id (loans_2026q4)");
    expect(second.pde_mappings[0]!.pde_code).toBe("LOANS_2026Q4.LOAN_ID");
    expect(second.pde_mappings.map((m) => m.pde_code).join(" ")).not.toMatch(/UPLOAD_/);
  });

  test("headers loading renamed name the attributes, whatever they hold; the columns stay what sources name", async () => {
    const column = (name: string, originalName: string) => ({
      name,
      originalName,
      type: "text",
      nullCount: 0,
      distinctCount: 3,
      exampleValues: ["a1", "b2", "c3"],
    });
    const upload = {
      name: "rates.csv",
      table: "upload_0123456789abcdef0123456789abcdef",
      rowCount: 3,
      columns: [
        column("rate_p_a", "Rate\n% p.a.\t"),
        column("rate_p_a_2", "rate, p.a."),
        column("column_3", "€"),
        column("c_2nd_rate", "2nd rate; other"),
      ],
    };
    const { output } = await provider.proposeAttributes(
      { dataSources: [upload] },
      { recorder: new MemoryRecorder(), idempotencyKey: "plan:headers", store: storeAll },
    );
    expect(output.map((a) => [a.name, a.source.column, a.pde_mappings[0]!.source_column])).toEqual([
      ["Rate % p.a.", "rate_p_a", "rate_p_a"],
      ["rate, p.a. (2nd)", "rate_p_a_2", "rate_p_a_2"],
      ["Column 3 (€)", "column_3", "column_3"],
      ["2nd rate other", "c_2nd_rate", "c_2nd_rate"],
    ]);
    expect(output[0]!.description).toMatch(/^Header "Rate % p\.a\. " \(column rate_p_a\) from /);
  });

  test("a taken name says where the proposal is from before it is numbered", () => {
    const taken = new Set(["balance"]);
    expect(uniqueName("balance", taken, "loans_2026q4")).toBe("balance (loans_2026q4)");
    expect(uniqueName("balance", taken, "loans_2026q4")).toBe("balance (loans_2026q4) (2)");
    expect(uniqueName("amount", taken)).toBe("amount");
  });

  test("a proposal in full: mapping, classification evidence and rationale", async () => {
    const recorder = new MemoryRecorder();
    const { output } = await provider.proposeAttributes(
      { dataSources: [{ ...loans, columns: loans.columns.slice(0, 1) }] },
      { recorder, idempotencyKey: "plan:2", store: storeAll },
    );
    expect(output).toEqual([
      {
        name: "loan_id",
        data_type: "integer",
        description: "loan_id from loans (Loan tape): integer, 0 nulls and 5 distinct values in 5 rows.",
        business_definition: "",
        is_mandatory: true,
        is_cde: true,
        is_primary_key: true,
        max_length: null,
        information_security_classification: "internal",
        source: { data_source: "Loan tape", table: "loans", column: "loan_id" },
        pde_mappings: [
          {
            pde_name: "Loan Id",
            pde_code: "LOANS.LOAN_ID",
            mapping_type: "direct",
            source_table: "loans",
            source_column: "loan_id",
            transformation_rule: null,
            is_primary: true,
            classification: {
              criticality: "high",
              risk_level: "medium",
              information_security: "internal",
              regulatory_flag: true,
              pii_flag: false,
              data_category: "identifier",
              evidence_type: "data_profile",
              evidence_reference: "internal: default",
            },
            confidence: 0.8,
          },
        ],
        confidence: 0.8,
        rationale:
          "one attribute per column (loans.loan_id); data type integer from integer; primary key: all 5 values distinct and non-null, key-like name; mandatory: no nulls; CDE: primary key; internal: default",
      },
    ]);
  });

  test("recorded like any call: provider heuristic, model rules-v1, zero tokens and cost, items stored", async () => {
    const recorder = new MemoryRecorder();
    const result = await provider.proposeAttributes(
      { dataSources: [counterparties] },
      { recorder, idempotencyKey: "plan:3", store: storeAll },
    );
    expect(result).toMatchObject({
      provider: "heuristic",
      model: "rules-v1",
      attempts: 1,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
    expect(recorder.interactions).toHaveLength(1);
    expect(recorder.interactions[0]).toMatchObject({
      status: "completed",
      start: { purpose: "planning_attributes", provider: "heuristic", model: "rules-v1", attempt: 1 },
      completion: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
    expect(recorder.items).toHaveLength(4);
  });
});

describe("offline provider: rules from the profile alone (no data to read)", () => {
  test("rules per approved attribute, by the documented rules", async () => {
    const recorder = new MemoryRecorder();
    const { output } = await provider.proposeRules(ruleBatch, {
      recorder,
      idempotencyKey: "rules:1",
      store: storeAll,
    });
    const rows = output.map((r) => {
      const definition = r.definition as { kind: string; values?: unknown[] };
      // The reference lists are long: their first and last codes and their length stand for them.
      const shown =
        definition.kind === "allowed_values" && definition.values!.length > 20
          ? { ...definition, values: [definition.values![0], definition.values!.at(-1), definition.values!.length] }
          : definition;
      return [r.attribute, r.name, r.rule_type, shown, r.severity, r.confidence];
    });
    expect(rows).toEqual([
      ["loan_id", "not_null", "completeness", { kind: "not_null", column: "loan_id" }, "high", 0.8],
      ["loan_id", "unique", "uniqueness", { kind: "unique", columns: ["loan_id"] }, "high", 0.8],
      // Restricted and confidential columns: no values were shown, so only rules that write no values.
      ["ssn", "not_blank", "completeness", { kind: "not_blank", column: "ssn" }, "medium", 0.8],
      ["date_of_birth", "not_null", "completeness", { kind: "not_null", column: "date_of_birth" }, "medium", 0.8],
      ["date_of_birth", "not_future", "validity", { kind: "not_future_date", column: "date_of_birth" }, "low", 0.7],
      ["loan_amount", "not_null", "completeness", { kind: "not_null", column: "loan_amount" }, "high", 0.8],
      // An amount is not negative; no bounds from the observed minimum and maximum.
      ["loan_amount", "non_negative", "validity", { kind: "range", column: "loan_amount", min: 0 }, "medium", 0.7],
      ["currency", "not_blank", "completeness", { kind: "not_blank", column: "currency" }, "high", 0.8],
      // Codes against the shipped ISO 4217 list, not against the two values seen.
      [
        "currency",
        "iso_4217",
        "validity",
        { kind: "allowed_values", column: "currency", values: ["AED", "ZWG", 179] },
        "medium",
        0.75,
      ],
      ["branch_code", "not_blank", "completeness", { kind: "not_blank", column: "branch_code" }, "medium", 0.7],
      [
        "branch_code",
        "pattern",
        "validity",
        { kind: "regex", column: "branch_code", pattern: "^[A-Z]{2}\\d{6}$" },
        "low",
        0.6,
      ],
      ["origination_date", "not_null", "completeness", { kind: "not_null", column: "origination_date" }, "high", 0.8],
      [
        "origination_date",
        "not_future",
        "validity",
        { kind: "not_future_date", column: "origination_date" },
        "medium",
        0.7,
      ],
      // A critical attribute must be present although one row lacks it; maturities lie ahead, so no
      // "not in the future", but never before the origination.
      ["maturity_date", "not_null", "completeness", { kind: "not_null", column: "maturity_date" }, "high", 0.8],
      [
        "maturity_date",
        "not_before_start",
        "consistency",
        { kind: "compare_columns", left: "origination_date", operator: "<=", right: "maturity_date" },
        "medium",
        0.7,
      ],
    ]);
    // Without the data, rationales state only what the profile says.
    expect(output.find((r) => r.attribute === "branch_code" && r.name === "not_blank")!.rationale).toBe(
      "every one of 5 rows has a value.",
    );
  });

  test("a past-event date gets its not_future rule even when a value lies ahead; another date does not", async () => {
    const recorder = new MemoryRecorder();
    const early = new HeuristicProvider(() => "2024-01-01");
    const origination = ruleBatch.attributes.find((a) => a.name === "origination_date")!;
    const review = {
      ...origination,
      name: "review_date",
      source: {
        ...origination.source,
        column: "review_date",
        profile: { ...origination.source.profile, name: "review_date" },
      },
      tableColumns: [...origination.tableColumns, { name: "review_date", type: "date" }],
    };
    const { output } = await early.proposeRules(
      { attributes: [origination, review] },
      { recorder, idempotencyKey: "rules:2", store: storeAll },
    );
    expect(output.map((r) => `${r.attribute}.${r.name}`)).toEqual([
      "origination_date.not_null",
      "origination_date.not_future",
      "review_date.not_null",
    ]);
  });
});

describe("shape detector", () => {
  test.each([
    [["GB123456", "FR654321", "DE000001"], "^[A-Z]{2}\\d{6}$"],
    [["AB-12", "CD-345", "EF-6"], "^[A-Z]{2}-\\d{1,3}$"],
    [["00123", "99881", "12345"], "^\\d{5}$"],
    [["USD", "EUR", "GBP"], "^[A-Z]{3}$"],
    [["acc_1", "acc_22", "acc_333"], "^[a-z]{3}_\\d{1,3}$"],
  ])("%j → %s", (values, pattern) => {
    expect(detectPattern(values)).toBe(pattern);
    expect(values.every((v) => new RegExp(pattern).test(v))).toBe(true);
  });

  test.each([
    ["fewer than 3 distinct values", ["GB123456", "GB123456", "FR000001"]],
    ["different shapes", ["GB123456", "123456GB", "FR000001"]],
    ["words of varying length", ["Alice", "Bob", "Charlotte"]],
    ["empty strings", ["", "", ""]],
  ])("nothing for %s", (_, values) => {
    expect(detectPattern(values)).toBeUndefined();
  });
});
