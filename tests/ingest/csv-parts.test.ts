import { describe, expect, it } from "vitest";
import { copyField } from "../../supabase/functions/_shared/ingest/copy.ts";
import { sniffDelimiter } from "../../supabase/functions/_shared/ingest/csv.ts";
import { IngestError } from "../../supabase/functions/_shared/ingest/errors.ts";
import { readHeader, toIdentifier } from "../../supabase/functions/_shared/ingest/headers.ts";
import { attributeDataType, columnTypeOf } from "../../supabase/functions/_shared/sources/schema.ts";

describe("header names", () => {
  it("become lowercase snake_case identifiers", () => {
    expect(toIdentifier("Customer ID", 1)).toBe("customer_id");
    expect(toIdentifier("Amount (EUR)", 2)).toBe("amount_eur");
    expect(toIdentifier("Montant dû €", 3)).toBe("montant_du");
    expect(toIdentifier("1st Payment", 4)).toBe("c_1st_payment");
    expect(toIdentifier("%%", 5)).toBe("column_5");
    expect(toIdentifier("xmin", 6)).toBe("xmin_col");
  });

  it("keep the original and get a suffix when two normalize alike", () => {
    expect(readHeader(["Name", " name_ ", "Name!"], 1)).toEqual([
      { name: "name", originalName: "Name", position: 1 },
      { name: "name_2", originalName: "name_", position: 2 },
      { name: "name_3", originalName: "Name!", position: 3 },
    ]);
  });

  it.each([
    [["id", " ", "amount"], /Column 2 of the header \(line 1\) has no name/],
    [["id", "Amount", "amount"], /Columns 2 and 3 of the header are both named "amount"/],
    [["id", "x".repeat(64)], /Column 2 of the header \(line 1\) has a name of 64 characters; the limit is 63/],
    [Array.from({ length: 1601 }, (_, i) => `c${i}`), /The header has 1601 columns; the limit is 1600/],
  ])("refuses a bad header %#", (fields, message) => {
    expect(() => readHeader(fields, 1)).toThrow(message);
    try {
      readHeader(fields, 1);
    } catch (error) {
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).code).toBe("bad_header");
      expect((error as IngestError).line).toBe(1);
    }
  });
});

describe("delimiter sniffing", () => {
  it("picks the separator used most outside quotes, comma on a tie", () => {
    expect(sniffDelimiter("a,b,c")).toBe(",");
    expect(sniffDelimiter("a;b;c")).toBe(";");
    expect(sniffDelimiter("a\tb\tc")).toBe("\t");
    expect(sniffDelimiter('"a;b;c",d')).toBe(",");
    expect(sniffDelimiter("single")).toBe(",");
  });
});

describe("COPY text format", () => {
  it("escapes backslashes and control characters and writes empty fields as NULL", () => {
    expect(copyField("")).toBe("\\N");
    expect(copyField("plain")).toBe("plain");
    expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
  });
});

describe("column types", () => {
  it("maps catalog types to the product's types and those to planning attribute types", () => {
    expect(columnTypeOf("numeric(15,2)")).toBe("numeric");
    expect(columnTypeOf("character varying(40)")).toBe("text");
    expect(columnTypeOf("timestamp(3) with time zone")).toBe("timestamptz");
    expect(columnTypeOf("integer[]")).toBe("other");
    expect(columnTypeOf("smallint")).toBe("integer");
    expect(attributeDataType("numeric")).toBe("decimal");
    expect(attributeDataType("timestamptz")).toBe("datetime");
    expect(attributeDataType("uuid")).toBe("string");
  });
});
