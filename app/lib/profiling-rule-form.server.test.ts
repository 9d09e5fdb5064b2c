import { describe, expect, it } from "vitest";
import { definitionFromForm, ruleForm } from "./profiling-rule-form.server";

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
    expect(result.error?.issues[0]?.message).toBe("Bounds must be numbers.");
  });
});
