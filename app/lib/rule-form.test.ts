import { describe, expect, it } from "vitest";
import { definitionFromForm, fieldErrorsOf, formOfDefinition, previewRule, ruleForm } from "./rule-form";

const base = {
  version_id: "00000000-0000-4000-a000-000000000001",
  attribute_id: "00000000-0000-4000-a000-000000000002",
  name: "rule",
  rule_type: "validity",
  severity: "medium",
};
const parse = (fields: Record<string, string>) => ruleForm.parse({ ...base, ...fields });

describe("definitionFromForm", () => {
  it("builds a range from the bounds given, on the attribute's column", () => {
    expect(definitionFromForm(parse({ kind: "range", min: "0", max: "" }), "amount", "numeric")).toEqual({
      kind: "range",
      column: "amount",
      min: 0,
    });
  });

  it("types allowed values by the column's type", () => {
    expect(definitionFromForm(parse({ kind: "allowed_values", values: "1, 2,,3" }), "code", "integer")).toEqual({
      kind: "allowed_values",
      column: "code",
      values: [1, 2, 3],
    });
    expect(definitionFromForm(parse({ kind: "allowed_values", values: "USD,\nEUR" }), "ccy", "text")).toEqual({
      kind: "allowed_values",
      column: "ccy",
      values: ["USD", "EUR"],
    });
  });

  it("keeps the kinds' own fields only", () => {
    expect(definitionFromForm(parse({ kind: "unique", min: "4" }), "id", "integer")).toEqual({
      kind: "unique",
      columns: ["id"],
    });
    expect(definitionFromForm(parse({ kind: "regex", pattern: "^A", case_insensitive: "on" }), "c", "text")).toEqual({
      kind: "regex",
      column: "c",
      pattern: "^A",
      case_insensitive: true,
    });
  });

  it("refuses bounds that are not numbers in the form's words", () => {
    const result = ruleForm.safeParse({ ...base, kind: "range", min: "ten" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Write a number, e.g. 0 or 1250.5.");
  });
});

describe("the rule form's every kind", () => {
  const definition = (fields: Record<string, unknown>, column = "c", type = "text") =>
    definitionFromForm(ruleForm.parse({ ...base, ...fields }), column, type);

  it("bounds dates as dates, and says a date that does not exist beside its field", () => {
    expect(definition({ kind: "date_range", min_date: "2030-01-01", max_date: "" }, "opened_on", "date")).toEqual({
      kind: "date_range",
      column: "opened_on",
      min: "2030-01-01",
    });
    const result = ruleForm.safeParse({ ...base, kind: "date_range", min_date: "2030-02-30" });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({
      min_date: "Write a date that exists as YYYY-MM-DD, e.g. 2026-12-31.",
    });
    expect(fieldErrorsOf(ruleForm.safeParse({ ...base, kind: "date_range" }).error!)).toEqual({
      min_date: "Give an earliest date, a latest date or both.",
    });
  });

  it("maps the other kinds to the rule language", () => {
    expect(definition({ kind: "not_blank" })).toEqual({ kind: "not_blank", column: "c" });
    expect(definition({ kind: "not_future_date" })).toEqual({ kind: "not_future_date", column: "c" });
    expect(definition({ kind: "length", min_length: "3", max_length: "3" })).toEqual({
      kind: "length",
      column: "c",
      min: 3,
      max: 3,
    });
    expect(definition({ kind: "compare_columns", operator: "<", right_column: "d" })).toEqual({
      kind: "compare_columns",
      left: "c",
      operator: "<",
      right: "d",
    });
    expect(definition({ kind: "unique", unique_with: ["d", "c"] })).toEqual({ kind: "unique", columns: ["c", "d"] });
    expect(definition({ kind: "range", min: "0", max: "1", max_exclusive: "on" }, "n", "numeric")).toEqual({
      kind: "range",
      column: "n",
      min: 0,
      max: 1,
      max_inclusive: false,
    });
    expect(definition({ kind: "expression", expression: "c <> ''" })).toEqual({
      kind: "expression",
      expression_text: "c <> ''",
    });
  });

  it("refuses what a kind needs and lacks, beside the field", () => {
    const errors = (fields: Record<string, unknown>) =>
      fieldErrorsOf(ruleForm.safeParse({ ...base, ...fields }).error!);
    expect(errors({ kind: "length", min_length: "2.5" })).toEqual({
      min_length: "Write a whole number of characters, e.g. 3.",
    });
    expect(errors({ kind: "compare_columns" })).toEqual({ right_column: "Choose the column to compare with." });
    expect(errors({ kind: "expression" })).toEqual({
      expression: "Write the condition rows must meet, e.g. amount >= 0.",
    });
    expect(errors({ kind: "allowed_values", values: " , " })).toEqual({
      values: "List at least one value, separated by commas.",
    });
    expect(errors({ kind: "not_null", name: " " })).toEqual({ name: "Give the rule a name." });
  });

  it("gives a stored definition back as the form's values, and previews it in words", () => {
    const range = { kind: "range", column: "n", min: 0, max: 10, max_inclusive: false };
    const values = formOfDefinition(range, "n");
    expect(values).toEqual({ kind: "range", min: "0", max: "10", min_exclusive: false, max_exclusive: true });
    expect(previewRule({ ...base, ...values, max_exclusive: "on" }, "n", "numeric")).toBe("n at least 0 and below 10");
    expect(formOfDefinition({ kind: "unique", columns: ["n", "m"] }, "n")).toEqual({
      kind: "unique",
      unique_with: ["m"],
    });
    expect(previewRule({ ...base, kind: "range", min: "x" }, "n", "numeric")).toBeNull();
  });
});
