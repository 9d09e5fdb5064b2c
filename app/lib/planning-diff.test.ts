import { describe, expect, it } from "vitest";
import { diffVersions, type DiffItem } from "./planning-diff";

const attribute = (id: string, name: string, parentItemId: string | null = null, type = "string"): DiffItem => ({
  id,
  parentItemId,
  key: name,
  fields: { Name: name, "Data type": type },
});
const mapping = (
  id: string,
  code: string,
  ownerId: string,
  parentItemId: string | null = null,
  risk = "5",
): DiffItem => ({
  id,
  parentItemId,
  key: code,
  ownerId,
  fields: { "PDE code": code, "Risk score": risk },
});

describe("diffVersions", () => {
  it("pairs by lineage first, so a renamed attribute is a change, not a removal and an addition", () => {
    const diff = diffVersions(
      { attributes: [attribute("a1", "Balance")], mappings: [] },
      { attributes: [attribute("b1", "Closing balance", "a1")], mappings: [] },
    );
    expect(diff.attributes).toEqual([
      {
        kind: "changed",
        before: expect.objectContaining({ id: "a1" }),
        after: expect.objectContaining({ id: "b1" }),
        changes: [{ field: "Name", before: "Balance", after: "Closing balance" }],
      },
    ]);
  });

  it("falls back to the name without lineage, and reports additions and removals", () => {
    const diff = diffVersions(
      { attributes: [attribute("a1", "Balance"), attribute("a2", "Currency")], mappings: [] },
      { attributes: [attribute("b1", "Balance", null, "decimal"), attribute("b3", "Country")], mappings: [] },
    );
    expect(diff.attributes.map((c) => c.kind)).toEqual(["changed", "added", "removed"]);
  });

  it("pairs mappings by code only under the continuing attribute", () => {
    const diff = diffVersions(
      {
        attributes: [attribute("a1", "Balance"), attribute("a2", "Currency")],
        mappings: [mapping("m1", "GL_BAL", "a1"), mapping("m2", "GL_BAL", "a2")],
      },
      {
        attributes: [attribute("b1", "Balance", "a1"), attribute("b2", "Currency", "a2")],
        mappings: [mapping("n1", "GL_BAL", "b2", null, "7")],
      },
    );
    expect(diff.mappings).toEqual([
      {
        kind: "changed",
        before: expect.objectContaining({ id: "m2" }),
        after: expect.objectContaining({ id: "n1" }),
        changes: [{ field: "Risk score", before: "5", after: "7" }],
      },
      { kind: "removed", before: expect.objectContaining({ id: "m1" }) },
    ]);
  });
});
