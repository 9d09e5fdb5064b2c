import { expect, test } from "vitest";
import { batchAttributes, batchColumns } from "../../supabase/functions/_shared/llm/prompts/batches.ts";
import { counterparties, loans, ruleBatch } from "./fixtures.ts";

const context = { reportType: "FR Y-14Q", regulatoryContext: null };

test("columns of several sources are cut into batches of at most N, keeping each source's table and row count", () => {
  const batches = batchColumns([loans, counterparties], context, 5);
  const shape = batches.map((b) =>
    b.dataSources.map((s) => `${s.table}:${s.rowCount}:${s.columns.map((c) => c.name).join(",")}`),
  );
  expect(shape).toEqual([
    ["loans:5:loan_id,customer_id,borrower_name,ssn,contact"],
    ["loans:5:date_of_birth,loan_amount,currency,branch_code,origination_date"],
    ["loans:5:maturity_date,status,remarks", "counterparties:4:id,lei"],
    ["counterparties:4:country_code,status"],
  ]);
  expect(batches.every((b) => b.reportType === "FR Y-14Q")).toBe(true);
});

test("attributes are cut into batches of at most N", () => {
  const batches = batchAttributes(ruleBatch.attributes, context, 4);
  expect(batches.map((b) => b.attributes.length)).toEqual([4, 4, 2]);
  expect(batchColumns([], context)).toEqual([]);
});
