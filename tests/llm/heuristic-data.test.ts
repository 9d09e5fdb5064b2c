// The offline provider with the data to read (a probe on a real PostgreSQL table), as generation jobs run it:
// a loan table of 2,000 rows with eight kinds of planted defect, the first day's example. The proposals must
// look for the defects (not describe them), and every count a rationale states must be what the rule finds when
// it runs.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HeuristicProvider } from "../../supabase/functions/_shared/llm/heuristic/provider.ts";
import type { RuleProposal } from "../../supabase/functions/_shared/llm/schemas/rules.ts";
import type { ApprovedAttribute, ColumnProfile } from "../../supabase/functions/_shared/llm/types.ts";
import { compileRules } from "../../supabase/functions/_shared/rules/compile.ts";
import { loadColumns } from "../../supabase/functions/_shared/rules/execute.ts";
import { executeAsWorker } from "../rules/db.ts";
import { dataProbe, tableProbe } from "../../supabase/functions/_shared/rules/probe.ts";
import { MemoryRecorder, storeAll } from "./support/memory-recorder.ts";

const table = `heuristic_data_${Date.now().toString(36)}`;
const today = "2026-06-30";
let sql: postgres.Sql;
let rules: RuleProposal[];
let failures: Map<string, number>;

const attribute = (
  name: string,
  dataType: ApprovedAttribute["dataType"],
  flags: Partial<ApprovedAttribute>,
  profile: Partial<ColumnProfile> = {},
): ApprovedAttribute => ({
  name,
  dataType,
  isMandatory: false,
  isCde: false,
  isPrimaryKey: false,
  classification: "internal",
  ...flags,
  source: {
    dataSource: "Loan tape",
    table,
    column: name,
    rowCount: 2000,
    // A profile as planning recorded it; the probe reads the rows themselves.
    profile: { name, type: dataType, nullCount: 0, distinctCount: 2000, exampleValues: [], ...profile },
  },
  tableColumns: [],
});

beforeAll(async () => {
  sql = postgres(process.env.SUPABASE_DB_URL!, { max: 2, onnotice: () => {} });
  await sql.unsafe(`create table source_data.${table} as
    select case when i = 2000 then 'LN1999' else 'LN' || i end as loan_id,
           case when i % 400 = 7 then null else 'CU' || (i % 300) end as customer_id,
           case when i = 11 then -2500 when i = 12 then 5824673.4 else round((20000 + (i * 7919 % 1000) * 150)::numeric, 2) end as balance,
           case when i = 13 then 175 else 2 + (i % 50) / 10.0 end as interest_rate,
           case when i = 14 then date '2031-01-01' else date '2015-01-01' + (i % 3000) end as origination_date,
           case when i = 15 then date '2014-01-01' else date '2015-01-01' + (i % 3000) + 3650 end as maturity_date,
           case when i in (16, 17) then 'EURO' else (array['USD', 'EUR', 'GBP'])[1 + i % 3] end as currency,
           case when i % 250 = 3 then null else (array['Residential', 'Commercial', 'Vehicle'])[1 + i % 3] end as collateral_type,
           case when i = 18 then 'Actve' else (array['ACTIVE', 'CLOSED'])[1 + i % 2] end as status
      from generate_series(1, 2000) as i`);
  await sql.unsafe(`analyze source_data.${table}`);
  const columns = await loadColumns(sql, "source_data", table);
  // rule_executor reads the upload only with a rule-execution token for it, as the worker presents one.
  const [{ token: executionToken }] = await sql<[{ token: string }]>`
    select private.open_rule_execution(null, array[${`source_data.${table}`}]::text[]) as token`;
  const batch = {
    attributes: [
      // As planning proposes them from dirty data: the key with a duplicate is no primary key, and columns with
      // nulls are not mandatory.
      attribute("loan_id", "string", { isCde: true }, { distinctCount: 1999 }),
      attribute("customer_id", "string", { isCde: true }, { nullCount: 5, distinctCount: 300 }),
      attribute("balance", "decimal", { isMandatory: true, isCde: true }),
      attribute("interest_rate", "decimal", { isMandatory: true, isCde: true }, { distinctCount: 51 }),
      attribute("origination_date", "date", { isMandatory: true, isCde: true }),
      attribute("maturity_date", "date", { isMandatory: true, isCde: true }),
      attribute("currency", "string", { isMandatory: true, isCde: true }, { distinctCount: 4 }),
      attribute("collateral_type", "string", {}, { nullCount: 8, distinctCount: 3 }),
      attribute("status", "string", { isMandatory: true }, { distinctCount: 3 }),
    ].map((a) => ({ ...a, tableColumns: columns })),
    probe: dataProbe(async () => tableProbe(sql, { schema: "source_data", table, executionToken })),
  };
  const provider = new HeuristicProvider(() => today);
  ({ output: rules } = await provider.proposeRules(batch, {
    recorder: new MemoryRecorder(),
    idempotencyKey: "data:1",
    store: storeAll,
  }));
  const plan = compileRules(
    rules.map((r, i) => ({ id: String(i), definition: r.definition })),
    { schema: "source_data", table, columns },
  );
  failures = new Map(
    (await executeAsWorker(sql, plan)).map((r) => [
      `${rules[Number(r.ruleId)]!.attribute}.${rules[Number(r.ruleId)]!.name}`,
      r.failed!,
    ]),
  );
});
afterAll(async () => {
  await sql?.unsafe(`drop table if exists source_data.${table}`);
  await sql?.end();
});

const find = (attribute: string, name: string) => rules.find((r) => r.attribute === attribute && r.name === name);

describe("offline rule proposals read from the data", () => {
  test("each planted kind of defect is looked for, and found when the rules run", () => {
    const expected: Array<[string, string, number]> = [
      ["customer_id", "not_blank", 5], // nulls in a critical column
      ["loan_id", "unique", 2], // a duplicate key
      ["balance", "non_negative", 1], // a negative balance
      ["interest_rate", "rate_band", 1], // 175 on a 0–100 scale
      ["origination_date", "not_future", 1], // originated in 2031
      ["maturity_date", "not_before_start", 2], // maturity before origination (and the 2031 origination)
      ["currency", "iso_4217", 2], // not an ISO 4217 code
      ["collateral_type", "not_blank", 8], // a near-complete column with gaps
      ["status", "allowed_values", 1], // a typo among clean values
      ["balance", "typical_range", 1], // an outlier
    ];
    for (const [attribute, name, failed] of expected) {
      expect(find(attribute, name), `${attribute}.${name}`).toBeDefined();
      expect(failures.get(`${attribute}.${name}`), `${attribute}.${name}`).toBe(failed);
    }
  });

  test("no bounds from the dirty data's own extremes", () => {
    const ranges = rules.flatMap((r) => (r.definition.kind === "range" ? [r.definition] : []));
    for (const range of ranges) {
      expect(range.min).not.toBe(-2500);
      expect(range.max).not.toBe(5824673.4);
      expect(range.max).not.toBe(175);
    }
    expect(find("balance", "typical_range")!.definition).toEqual({ kind: "range", column: "balance", max: 320000 });
    expect(find("interest_rate", "rate_band")!.definition).toMatchObject({ min: 0, max: 100 });
    // The typo is not learnt as a value.
    expect(find("status", "allowed_values")!.definition).toMatchObject({ values: ["ACTIVE", "CLOSED"] });
  });

  test("every rationale's count of failing rows is what the rule finds when it runs", () => {
    for (const rule of rules) {
      const stated = /; ([\d,]+) [^;]*today/.exec(rule.rationale) ?? /no value occurs twice today/.exec(rule.rationale);
      expect(stated, `${rule.attribute}.${rule.name}: ${rule.rationale}`).not.toBeNull();
      const count = stated![1] === undefined ? 0 : Number(stated![1].replace(/,/g, ""));
      expect(count, `${rule.attribute}.${rule.name}: ${rule.rationale}`).toBe(
        failures.get(`${rule.attribute}.${rule.name}`),
      );
    }
  });

  test("rationales state facts of the data", () => {
    expect(find("loan_id", "unique")!.rationale).toBe(
      "an identifier whose values are 99.9% distinct; 2 rows share their value with another row today.",
    );
    expect(find("collateral_type", "not_blank")!.rationale).toBe(
      "99.6% of rows have a value, so the 8 empty ones look like gaps; 8 rows fail it today (8 nulls, 0 blanks).",
    );
    expect(find("currency", "iso_4217")!.rationale).toBe(
      "a code column (name word 'currency') checked against the ISO 4217 currency codes shipped with the product; " +
        "2 rows with another code today (such as 'EURO').",
    );
    expect(find("origination_date", "not_future")!.rationale).toBe(
      `a date of something that happened (name word 'origination'); 1 date after ${today} today.`,
    );
  });
});
