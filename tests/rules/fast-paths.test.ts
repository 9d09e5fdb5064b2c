// The cheaper forms the compiler writes for some rules (counted-repetition regexes, the not_blank
// first-character test, length bounds evaluated once, arrays of the column's own type) and the way samples
// are collected: each is checked against PostgreSQL evaluating the plain rule, or against JavaScript.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules, countedRepetition, type RuleInput } from "../../supabase/functions/_shared/rules/compile.ts";
import { loadColumns, type RuleResult } from "../../supabase/functions/_shared/rules/execute.ts";
import { connect, executeAsWorker, uniqueTableName } from "./db.ts";

const texts = [
  "",
  " ",
  "\t",
  "\n",
  " \r\n\t ",
  " x",
  "\u0001",
  "abc",
  "ABC",
  "aBc",
  "ab",
  "abcd",
  "ab\nc",
  "abc\n",
  "é",
  "éé",
  "ÉÉ",
  "aé1",
  "12",
  "123",
  "1234",
  "1 3",
  "C12",
  "_a",
  "üüü",
  "abcdef",
  "abcdefg",
  "ABCDEFGH",
  "abc def",
  "abcdef\n",
  "12345678",
  "123456789",
  "      ",
  "éééééé",
  "ÉÉÉÉÉÉ",
  "_abcde",
  null,
];
const rows = Array.from({ length: 600 }, (_, i) => ({
  id: i,
  v: texts[i % texts.length]!,
  small: (i % 7) - 3,
  n: i % 11,
  k: i % 50 === 0 ? null : i % 290,
  counts: i % 3,
}));

const blank = (v: string | null) => v === null || /^[ \t\n\r]*$/.test(v);

let sql: postgres.Sql;
const table = uniqueTableName("rules_fast");

beforeAll(async () => {
  sql = connect();
  await sql.unsafe(
    `create table source_data.${table} (id bigint, v text, small smallint, n integer, k integer, counts integer)`,
  );
  await sql`insert into source_data.${sql(table)} ${sql(rows)}`;
});

afterAll(async () => {
  await sql.unsafe(`drop table if exists source_data.${table}`);
  await sql.end();
});

async function run(rules: RuleInput[]): Promise<Map<string, RuleResult>> {
  const columns = await loadColumns(sql, "source_data", table);
  const plan = compileRules(rules, { schema: "source_data", table, columns });
  const results = await executeAsWorker(sql, plan, { statementTimeoutMs: 10_000 });
  return new Map(results.map((r) => [r.ruleId, r]));
}

/** PostgreSQL's own count of rows the plain pattern does not match, or its error. */
async function plainRegex(pattern: string, insensitive: boolean): Promise<number | string> {
  try {
    const [row] = await sql.unsafe<{ n: number }[]>(
      `select count(*)::int as n from source_data.${table} where v ${insensitive ? "!~*" : "!~"} $1`,
      [pattern],
    );
    return row!.n;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("counted-repetition patterns", () => {
  it("recognises only a single anchored atom with a counted repetition", () => {
    expect(countedRepetition("^[0-9a-f]{32}$")).toEqual({ atom: "[0-9a-f]", min: 32, max: 32 });
    expect(countedRepetition("^[A-Z]{2,3}$")).toEqual({ atom: "[A-Z]", min: 2, max: 3 });
    expect(countedRepetition("^\\d{4,}$")).toEqual({ atom: "\\d", min: 4, max: undefined });
    expect(countedRepetition("^.{0,5}$")).toEqual({ atom: ".", min: 0, max: 5 });
    expect(countedRepetition("^[^a-z]{1}$")).toEqual({ atom: "[^a-z]", min: 1, max: 1 });
    for (const other of [
      "[a-z]{3}",
      "^[a-z]{3}",
      "^[a-z]{3}$x",
      "^x[a-z]{3}$",
      "^[[:alpha:]]{2}$",
      "^[\\]]{2}$",
      "^[]a]{2}$",
      "^[^]a]{2}$",
      "^[a-z]{3,2}$",
      "^[a-z]{256}$",
      "^[a-z]{2,300}$",
      "^[a-z]{2,3}?$",
      "^(ab){2}$",
      "^a{2}$",
      "(?i)^[a-z]{2}$",
    ]) {
      expect(countedRepetition(other), other).toBeNull();
    }
  });

  const patterns = [
    "^[a-z]{3}$",
    "^[a-z]{2,3}$",
    "^[a-z]{2,}$",
    "^[a-z]{0}$",
    "^[0-9]{3}$",
    "^\\d{2,4}$",
    "^\\w{3}$",
    "^\\s{1,5}$",
    "^\\S{2}$",
    "^.{2}$",
    "^.{1,3}$",
    "^[^a-z]{1,2}$",
    "^[ÉéA-Z]{2}$",
    "^[a-z]{300}$",
    "^[z-a]{2}$",
    "^[a-z]{6}$",
    "^[a-z]{6,7}$",
    "^[a-z]{6,}$",
    "^[a-z]{0,6}$",
    "^[0-9]{8}$",
    "^\\d{6,9}$",
    "^\\w{6}$",
    "^\\s{6,9}$",
    "^\\S{6,}$",
    "^.{6}$",
    "^.{6,8}$",
    "^[^a-z]{6,10}$",
    "^[ÉéA-Z]{6}$",
    "^[z-a]{6}$",
  ];
  for (const insensitive of [false, true]) {
    it(`give PostgreSQL's own counts and errors${insensitive ? " (case-insensitive)" : ""}`, async () => {
      const rules = patterns.map((pattern, i) => ({
        id: `p${i}`,
        definition: { kind: "regex", column: "v", pattern, case_insensitive: insensitive },
      }));
      const results = await run(rules);
      for (const [i, pattern] of patterns.entries()) {
        const expected = await plainRegex(pattern, insensitive);
        const r = results.get(`p${i}`)!;
        // A pattern PostgreSQL refuses is now refused before it runs, with PostgreSQL's message.
        if (typeof expected === "string") {
          expect(r.error, pattern).toBe(`pattern: ${expected}`);
          continue;
        }
        expect(r.failed, pattern).toBe(expected);
        const counted = countedRepetition(pattern);
        const rewritten = counted !== null && (counted.max ?? counted.min) >= 6;
        expect(r.failedRowsQuery!.includes("char_length"), pattern).toBe(rewritten);
      }
    });
  }
});

describe("other cheaper forms", () => {
  it("not_blank, length and allowed values agree with JavaScript", async () => {
    const results = await run([
      { id: "blank", definition: { kind: "not_blank", column: "v" } },
      { id: "length", definition: { kind: "length", column: "v", min: 2, max: 3 } },
      { id: "min", definition: { kind: "length", column: "v", min: 3 } },
      { id: "small", definition: { kind: "allowed_values", column: "small", values: [-3, 0, 2] } },
      { id: "wide", definition: { kind: "allowed_values", column: "small", values: [0, 1, 40000] } },
      { id: "int", definition: { kind: "allowed_values", column: "n", values: [...Array(12).keys()].slice(2) } },
      { id: "big", definition: { kind: "allowed_values", column: "n", values: [1, 5, 3_000_000_000] } },
    ]);
    const chars = (v: string | null) => (v === null ? null : [...v].length);
    const failed = (f: (r: (typeof rows)[number]) => boolean) => rows.filter(f).length;
    expect(results.get("blank")!.failed).toBe(failed((r) => blank(r.v)));
    expect(results.get("length")!.failed).toBe(
      failed((r) => chars(r.v) !== null && (chars(r.v)! < 2 || chars(r.v)! > 3)),
    );
    expect(results.get("min")!.failed).toBe(failed((r) => chars(r.v) !== null && chars(r.v)! < 3));
    expect(results.get("small")!.failed).toBe(failed((r) => ![-3, 0, 2].includes(r.small)));
    expect(results.get("wide")!.failed).toBe(failed((r) => ![0, 1].includes(r.small)));
    expect(results.get("int")!.failed).toBe(failed((r) => r.n < 2));
    expect(results.get("big")!.failed).toBe(failed((r) => ![1, 5].includes(r.n)));
  });
});

describe("samples", () => {
  it("rules with few and with many failures each get rows that fail them, up to 20", async () => {
    const results = await run([
      { id: "rare", definition: { kind: "range", column: "id", max: 590 } },
      { id: "none", definition: { kind: "range", column: "id", min: 0 } },
      { id: "many", definition: { kind: "not_blank", column: "v" } },
      { id: "most", definition: { kind: "range", column: "n", max: 0 } },
    ]);
    expect(
      results
        .get("rare")!
        .sample!.map((r) => Number(r.id))
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 9 }, (_, i) => 591 + i));
    expect(results.get("none")!.sample).toEqual([]);
    expect(results.get("many")!.sample).toHaveLength(20);
    for (const row of results.get("many")!.sample!) expect(blank(row.v as string | null)).toBe(true);
    expect(results.get("most")!.sample).toHaveLength(20);
    for (const row of results.get("most")!.sample!) expect(row.n).not.toBe(0);
  });

  it("a uniqueness rule samples rows of duplicate keys, ignoring NULL keys", async () => {
    const results = await run([
      { id: "k", definition: { kind: "unique", columns: ["k"] } },
      { id: "id", definition: { kind: "unique", columns: ["id"] } },
      { id: "kv", definition: { kind: "unique", columns: ["k", "small"] } },
      { id: "names", definition: { kind: "unique", columns: ["n", "counts"] } },
    ]);
    const counts = new Map<number, number>();
    for (const r of rows) if (r.k !== null) counts.set(r.k, (counts.get(r.k) ?? 0) + 1);
    const k = results.get("k")!;
    expect(k.failed).toBe(rows.filter((r) => r.k !== null && counts.get(r.k)! > 1).length);
    expect(k.sample).toHaveLength(20);
    for (const row of k.sample!) expect(counts.get(row.k as number)).toBeGreaterThan(1);
    expect(results.get("id")).toMatchObject({ failed: 0, sample: [] });
    expect(results.get("kv")!.sample!.length).toBe(Math.min(20, results.get("kv")!.failed!));
    // Key columns named like the statement's own names (n, counts) do not confuse it.
    expect(results.get("names")).toMatchObject({ status: "completed", failed: rows.length });
    expect(results.get("names")!.sample).toHaveLength(20);
  });
});
