// Regex operands are literals and expensive patterns are bounded: the TypeScript checker and the database's
// private.rule_definition_errors refuse a pattern built with || or read from a column, and one whose nested
// counted repetitions repeat a part more than 255 times, with the same messages; and at run time each rule
// has a time budget, so a rule that exceeds it fails with that reason while the others complete.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRules } from "../../supabase/functions/_shared/rules/compile.ts";
import { checkRuleDefinition } from "../../supabase/functions/_shared/rules/definition.ts";
import { loadColumns } from "../../supabase/functions/_shared/rules/execute.ts";
import { parseExpression } from "../../supabase/functions/_shared/rules/parse-expression.ts";
import { regexPatternCost, regexPatternError } from "../../supabase/functions/_shared/rules/regex-syntax.ts";
import { connect, executeAsWorker, uniqueTableName } from "./db.ts";

let sql: postgres.Sql;
beforeAll(() => {
  sql = connect();
});
afterAll(async () => {
  await sql.end();
});

async function sqlErrors(definition: unknown): Promise<string[]> {
  const [row] =
    await sql`select private.rule_definition_errors(${sql.json(definition as postgres.JSONValue)}) as errors`;
  return row!.errors as string[];
}

function tsErrors(definition: unknown): string[] {
  const check = checkRuleDefinition(definition);
  return check.ok ? [] : check.errors;
}

async function expressionOf(text: string): Promise<unknown> {
  const parsed = await parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return { kind: "expression", expression: parsed.ast };
}

describe("regex operands are literals", () => {
  it.each([
    ["code ~ ('^' || 'A')", "~"],
    ["code ~* name", "~*"],
    ["not (code !~ lower(name))", "!~"],
    ["code !~* ('x'::text)", "!~*"],
  ])("refuses %s in TypeScript and SQL with the same message", async (text, op) => {
    const definition = await expressionOf(text);
    const message = `expression: the pattern of ${op} must be a text literal ('…'), not a column or a computed value`;
    expect(tsErrors(definition)).toEqual([message]);
    expect(await sqlErrors(definition)).toEqual([message]);
  });

  it("keeps literal patterns and reports each operator in the same order", async () => {
    expect(tsErrors(await expressionOf("code ~ '^[A-Z]+$' and name !~* 'x'"))).toEqual([]);
    const definition = await expressionOf("code ~ name or code ~ '^(a{20}){20}$'");
    const errors = tsErrors(definition);
    expect(errors).toHaveLength(2);
    expect(await sqlErrors(definition)).toEqual(errors);
  });

  it("is refused when a rule is saved", async () => {
    const definition = await expressionOf("code ~ ('^' || name)");
    const [row] =
      await sql`select private.is_valid_rule_definition(${sql.json(definition as postgres.JSONValue)}) as ok`;
    expect(row!.ok).toBe(false);
  });
});

describe("expensive patterns are bounded", () => {
  const cases: [string, number][] = [
    ["^([a-z0-9]{1,50}){1,50}$", 2500],
    ["^(a{2}){200}$", 400],
    ["((a{3}){5}){18}", 270],
    ["(x(?#note){16}){16}y", 256],
    ["^([[:alpha:]]{1,9}[-.]){1,30}$", 270],
  ];

  it.each(cases)("refuses %s (%i copies) in TypeScript and SQL with the same message", async (pattern, cost) => {
    const message = `nested repetition counts repeat a part of the pattern ${cost} times (at most 255): too expensive to match; use * or + inside a counted group, or one count`;
    expect(regexPatternCost(pattern)).toBe(cost);
    expect(regexPatternError(pattern)).toBe(message);
    const [row] =
      await sql`select private.regex_pattern_error(${pattern}) as error, private.regex_pattern_cost(${pattern}) as cost`;
    expect(row).toEqual({ error: message, cost });
    expect(tsErrors({ kind: "regex", column: "c", pattern })).toEqual([`pattern: ${message}`]);
    expect(await sqlErrors({ kind: "regex", column: "c", pattern })).toEqual([`pattern: ${message}`]);
  });

  it.each([
    "^[0-9a-f]{32}$",
    "^[a-z0-9]{1,255}$",
    "^([a-z0-9]+\\.)*[a-z0-9]+$",
    "^([a-z0-9]+)*$",
    "^[A-Z]{2}[0-9]{2}[A-Z0-9]{4}[0-9]{7}([A-Z0-9]?){0,16}$",
    "((a{3}){5}){17}",
    "[[.].]{9}]{9}",
    "\\{9}{9}",
    "a{,3}{9}",
  ])("keeps %s", async (pattern) => {
    expect(regexPatternError(pattern)).toBeNull();
    const [row] =
      await sql`select private.regex_pattern_error(${pattern}) as error, private.regex_pattern_cost(${pattern}) as cost`;
    expect(row!.error).toBeNull();
    expect(row!.cost).toBe(regexPatternCost(pattern));
  });
});

describe("each rule has a time budget", () => {
  const table = uniqueTableName("rules_budget");
  beforeAll(async () => {
    // Long values: a regex over them takes seconds in all, while a null check on the id takes a millisecond.
    await sql.unsafe(`create table source_data.${table} as
      select g as id, repeat('ab', 20000) || g as t from generate_series(1, 4000) g`);
  });
  afterAll(async () => {
    await sql.unsafe(`drop table if exists source_data.${table}`);
  });

  it("reports a rule over its budget as failed with that reason, and the others' results", async () => {
    const columns = await loadColumns(sql, "source_data", table);
    const plan = compileRules(
      [
        { id: "cheap", definition: { kind: "not_null", column: "id" } },
        { id: "slow", definition: { kind: "regex", column: "t", pattern: "^(ab|ba|a|b)*(x|y|z)[0-9]+$" } },
        { id: "cheap too", definition: { kind: "range", column: "id", min: 1, max: 500 } },
      ],
      { schema: "source_data", table, columns },
    );
    expect(plan.statements).toHaveLength(1);
    const results = new Map(
      (await executeAsWorker(sql, plan, { statementTimeoutMs: 60_000, ruleBudgetMs: 150 })).map((r) => [r.ruleId, r]),
    );
    expect(results.get("cheap")).toMatchObject({ status: "completed", failed: 0, total: 4000 });
    expect(results.get("cheap too")).toMatchObject({ status: "completed", failed: 3500 });
    expect(results.get("slow")).toMatchObject({
      status: "error",
      error: "The rule exceeded its time budget of 150 ms (SQLSTATE 57014 query_canceled; rule slow on column t).",
    });
  });
});
