import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import {
  addAttributeForm,
  addDatabaseSourceForm,
  addMappingForm,
  updateSourceForm,
  uploadForm,
} from "./planning-forms";

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

  it("read a database source's connection, each mistake beside its field", () => {
    const connection = {
      version_id: versionId,
      name: " Ledger ",
      host: "127.0.0.1",
      port: "",
      database: "postgres",
      schema: "",
      table: "ledger",
      user: "reader",
      password: "secret",
    };
    expect(addDatabaseSourceForm.parse(connection)).toMatchObject({
      name: "Ledger",
      port: undefined,
      schema: undefined,
    });
    expect(addDatabaseSourceForm.parse({ ...connection, port: "6543" }).port).toBe(6543);
    for (const port of ["99999", "0", "54.3", "five"]) {
      const result = addDatabaseSourceForm.safeParse({ ...connection, port, host: " " });
      expect(fieldErrorsOf(result.error!), port).toEqual({
        host: "Enter the host.",
        port: "Give the port as a number between 1 and 65535.",
      });
    }
    const { password: _password, ...noPassword } = connection;
    expect(fieldErrorsOf(addDatabaseSourceForm.safeParse(noPassword).error!)).toEqual({
      password: "Required",
    });
  });

  it("read a source's correction by its type: an upload's name, a database source's connection too", () => {
    const upload = { item_id: sourceId, version_id: versionId, source_type: "file_upload", name: "Loans" };
    expect(updateSourceForm.parse({ ...upload, host: "ignored" })).toEqual({
      item_id: sourceId,
      version_id: versionId,
      source_type: "file_upload",
      name: "Loans",
      description: null,
    });
    expect(fieldErrorsOf(updateSourceForm.safeParse({ ...upload, name: "" }).error!)).toEqual({
      name: "Give the data source a name.",
    });
    const database = { ...upload, source_type: "database", host: "db", database: "d", table: "t", user: "u" };
    // A blank password keeps the stored one.
    expect(updateSourceForm.parse({ ...database, password: "" })).toMatchObject({ password: "" });
    expect(fieldErrorsOf(updateSourceForm.safeParse({ ...database, port: "70000", table: "" }).error!)).toEqual({
      port: "Give the port as a number between 1 and 65535.",
      table: "Enter the table.",
    });
  });

  it("read an upload: a file chosen (in the browser) or sent (on the server), a name within 255 characters", () => {
    expect(uploadForm.parse({ name: " Loans ", file: { name: "loans.csv" } })).toEqual({
      name: "Loans",
      file: { name: "loans.csv" },
    });
    expect(uploadForm.parse({ name: "", file: true })).toEqual({ name: "", file: true });
    // The browser's form holds an empty file when none is chosen.
    expect(fieldErrorsOf(uploadForm.safeParse({ name: "x".repeat(256), file: { name: "" } }).error!)).toEqual({
      name: "Keep the name within 255 characters.",
      file: "Choose a CSV file to upload.",
    });
    expect(uploadForm.safeParse({ name: "Loans", file: {} }).success).toBe(false);
  });
});
