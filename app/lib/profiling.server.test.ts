import { describe, expect, it } from "vitest";
import { compareResults, definitionInWords, type RuleResult } from "./profiling.server";

const result = (ruleName: string, attribute: string, passRate: number | null): RuleResult => ({
  id: 1,
  ruleName,
  attribute,
  severity: "medium",
  definition: "",
  status: passRate === null ? "error" : "completed",
  total: 100,
  passed: null,
  failed: null,
  passRate,
  durationMs: 1,
  sample: [],
  sampleColumns: [],
  requestSource: null,
  ruleColumns: [],
  error: null,
  isAnomaly: false,
  anomalyNote: null,
  anomalyMarked: { by: null, at: null },
});

describe("compareResults", () => {
  it("matches rules by attribute and name and gives the change in points", () => {
    const rows = compareResults(
      [result("in range", "amount", 90), result("present", "amount", 99.5), result("gone", "code", 50)],
      [result("in range", "amount", 95.25), result("present", "amount", 99.5), result("new", "code", 70)],
    );
    expect(rows.map((r) => [r.ruleName, r.before, r.after, r.delta])).toEqual([
      ["in range", 90, 95.25, 5.25],
      ["present", 99.5, 99.5, 0],
      ["gone", 50, null, null],
      ["new", null, 70, null],
    ]);
  });

  it("keeps rules of the same name on different attributes apart", () => {
    const rows = compareResults([result("present", "a", 10)], [result("present", "b", 20)]);
    expect(rows).toHaveLength(2);
  });

  it("has no change for a rule that errored in one run", () => {
    expect(compareResults([result("r", "a", null)], [result("r", "a", 80)])[0]?.delta).toBeNull();
  });
});

describe("definitionInWords", () => {
  it("says a definition in words", () => {
    expect(definitionInWords({ kind: "range", column: "amount", min: 0, max: 1_000_000_000 })).toBe(
      "amount between 0 and 1,000,000,000",
    );
  });

  it("shows a definition it cannot read as its JSON", () => {
    expect(definitionInWords({ kind: "someday" })).toBe('{"kind":"someday"}');
  });
});
