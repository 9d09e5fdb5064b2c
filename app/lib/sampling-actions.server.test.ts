import { describe, expect, it } from "vitest";
import { parseFixedSizes, parsePicks } from "./sampling-actions.server";
import { samplesCsv } from "./sampling-csv.server";
import { lineageOf } from "./sampling";

describe("the sample-selection form's texts", () => {
  it("reads fixed stratum sizes as stratum=count, separated by commas or lines", () => {
    expect(parseFixedSizes("north=3, south = 2\nwest: 1")).toEqual({ north: 3, south: 2, west: 1 });
    expect(parseFixedSizes("north=three")).toBeNull();
    expect(parseFixedSizes(" ")).toBeNull();
  });

  it("reads judgmental picks as one key: reason per line, and refuses a pick without its reason", () => {
    expect(parsePicks("L001: largest exposure\nL002 - new customer\n")).toEqual([
      { key: "L001", reason: "largest exposure" },
      { key: "L002", reason: "new customer" },
    ]);
    expect(parsePicks("L001")).toBeNull();
  });
});

describe("lineage in words and in the CSV export", () => {
  const owner = { by: "Olive Owner", at: "2026-12-02 10:00 UTC" };
  const carried = {
    id: "c1",
    key: "L001",
    data: { loan_id: "L001", tax_id: "***" },
    source: "carried_forward",
    recommendedBy: "Theo Tester",
    stratum: null,
    reason: "simple random: rank 1 of 500",
    order: 1,
    carriedFromVersion: 1,
    carriedFromDecisionId: "p1",
    replacedByKey: null,
    replacementReason: null,
    status: "approved" as const,
    testerDecision: "approved" as const,
    testerNotes: null,
    tester: { by: "Theo Tester", at: null },
    ownerDecision: "approved" as const,
    ownerNotes: "=cmd()",
    owner,
  };

  it("says where a sample came from and who approved or added it", () => {
    expect(lineageOf(carried)).toBe("carried from version 1, approved by Olive Owner");
    expect(lineageOf({ ...carried, source: "manual", recommendedBy: "Olive Owner" })).toBe("added by Olive Owner");
    expect(lineageOf({ ...carried, source: "tester" })).toBe("drawn by Theo Tester");
  });

  it("exports each sample with its lineage after the record of the draw, formulas defused", () => {
    const csv = samplesCsv(2, null, [carried], null);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("# version 2");
    expect(lines[1]).toBe("# no recorded selection");
    expect(lines[3]!.split(",")[0]).toBe("sample_key");
    expect(lines[4]).toContain("carried from version 1, approved by Olive Owner");
    expect(lines[4]).toContain("'=cmd()");
  });
});
