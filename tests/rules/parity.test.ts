// The TypeScript validator and the database's private.rule_definition_errors give the same verdict on
// every definition of the shared corpus; the same for the column checks.
import fs from "node:fs";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionColumnErrors } from "../../supabase/functions/_shared/rules/columns.ts";
import { checkRuleDefinition, type RuleDefinition } from "../../supabase/functions/_shared/rules/definition.ts";
import { connect } from "./db.ts";

const corpus = JSON.parse(fs.readFileSync(new URL("./fixtures/definitions.json", import.meta.url), "utf8")) as {
  valid: unknown[];
  invalid: { name: string; definition: unknown }[];
};
const columnCorpus = JSON.parse(fs.readFileSync(new URL("./fixtures/column-checks.json", import.meta.url), "utf8")) as {
  columns: { name: string; type: string }[];
  cases: { definition: RuleDefinition; valid: boolean }[];
};

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

describe("rule definitions: TypeScript and SQL agree", () => {
  it.each(corpus.valid.map((d) => [JSON.stringify(d).slice(0, 90), d]))("valid: %s", async (_, definition) => {
    const ts = checkRuleDefinition(definition);
    expect(ts.ok ? [] : ts.errors).toEqual([]);
    expect(await sqlErrors(definition)).toEqual([]);
    const [row] =
      await sql`select private.is_valid_rule_definition(${sql.json(definition as postgres.JSONValue)}) as ok`;
    expect(row!.ok).toBe(true);
  });

  it.each(corpus.invalid.map((c) => [c.name, c.definition]))("invalid: %s", async (_, definition) => {
    const ts = checkRuleDefinition(definition);
    expect(ts.ok).toBe(false);
    expect(ts.ok ? [] : ts.errors.length).toBeGreaterThan(0);
    expect((await sqlErrors(definition)).length).toBeGreaterThan(0);
  });
});

describe("column checks: TypeScript and SQL agree", () => {
  it.each(columnCorpus.cases.map((c) => [JSON.stringify(c.definition).slice(0, 90), c]))("%s", async (_, c) => {
    const check = checkRuleDefinition(c.definition);
    expect(check.ok).toBe(true);
    const ts = definitionColumnErrors(c.definition, columnCorpus.columns);
    const [row] = await sql`select private.rule_definition_column_errors(
      ${sql.json(c.definition as postgres.JSONValue)}, ${sql.json(columnCorpus.columns)}) as errors`;
    expect(ts.length === 0).toBe(c.valid);
    expect((row!.errors as string[]).length === 0).toBe(c.valid);
  });
});
