import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { addAttributeForm, addMappingForm } from "./planning-forms";

const versionId = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";
const sourceId = "6f1c2b0e-1d2a-4c3b-8e4f-5a6b7c8d9e0f";

describe("the planning forms' schemas", () => {
  it("read an attribute as the database takes it", () => {
    const parsed = addAttributeForm.parse({
      version_id: versionId,
      name: "  Balance ",
      data_type: "decimal",
      information_security_classification: "internal",
      is_cde: "on",
      max_length: "",
      data_source_id: sourceId,
      source_column: "balance",
    });
    expect(parsed).toMatchObject({ name: "Balance", is_cde: true, is_mandatory: false, max_length: null });
  });

  it("say each mistake of an attribute beside its field", () => {
    const result = addAttributeForm.safeParse({
      version_id: versionId,
      name: " ",
      data_type: "decimal",
      information_security_classification: "internal",
      max_length: "-3",
    });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!)).toEqual({
      name: "Give the attribute a name.",
      max_length: "Max length must be positive.",
    });
  });

  it("read a mapping's source as a data source and one of its columns, chosen from a list", () => {
    const base = {
      version_id: versionId,
      attribute_id: sourceId,
      pde_code: "GL.BALANCE",
      pde_name: "Balance",
      mapping_type: "direct",
      criticality: "medium",
      risk_level: "medium",
      information_security: "internal",
    };
    expect(addMappingForm.parse({ ...base, source: `${sourceId}:closing balance` }).source).toEqual({
      dataSourceId: sourceId,
      column: "closing balance",
    });
    expect(addMappingForm.parse({ ...base, source: "" }).source).toBeNull();
    const typed = addMappingForm.safeParse({ ...base, source: "accounts.balance", pde_code: "" });
    expect(fieldErrorsOf(typed.error!)).toEqual({
      pde_code: "Give the mapping a PDE code.",
      source: "Choose the source column from the list.",
    });
  });
});
