// Expressions are parsed by PostgreSQL's parser and accepted only within the allow-lists.
import { describe, expect, it } from "vitest";
import { describeRule } from "../../supabase/functions/_shared/rules/describe.ts";
import { checkRuleDefinition } from "../../supabase/functions/_shared/rules/definition.ts";
import { parseExpression } from "../../supabase/functions/_shared/rules/parse-expression.ts";

describe("accepted expressions", () => {
  it.each([
    "amount >= 0 and amount <= 1000",
    "lower(status) in ('a', 'b') or status is null",
    "not (qty between 1 and 10)",
    "code ~ '^[A-Z]+$' and name ilike 'x%'",
    "coalesce(amount, 0) * 2 - 1 > -5",
    "d <= current_date and created_at < now()",
    "amount::numeric > 1.5 and cast(qty as text) <> ''",
    "date_trunc('month', d) = d and extract(year from d) > 2000",
    '"Weird Col" is not null',
  ])("%s", async (text) => {
    const parsed = await parseExpression(text);
    expect(parsed).toMatchObject({ ok: true });
    if (parsed.ok) expect(checkRuleDefinition({ kind: "expression", expression: parsed.ast }).ok).toBe(true);
  });

  it("keeps a normalized AST and describes it from the AST", async () => {
    const parsed = await parseExpression("amount > .5 AND Status IN ('A','B')");
    expect(parsed).toEqual({
      ok: true,
      ast: {
        op: "and",
        args: [
          { op: ">", args: [{ column: "amount" }, { number: "0.5" }] },
          { op: "in", args: [{ column: "status" }, { text: "A" }, { text: "B" }] },
        ],
      },
    });
    if (parsed.ok) {
      expect(describeRule({ kind: "expression", expression: parsed.ast })).toBe(
        "(amount > 0.5) and (status in ('A', 'B'))",
      );
    }
  });
});

describe("refused expressions say why", () => {
  it.each([
    ["pg_sleep(10) is null", /function pg_sleep is not allowed/],
    ["pg_read_file('/etc/passwd') = ''", /function pg_read_file is not allowed/],
    ["dblink('host=x', 'select 1') is null", /function dblink is not allowed/],
    ["set_config('role', 'postgres', true) = ''", /function set_config is not allowed/],
    ["current_setting('role') = 'x'", /function current_setting is not allowed/],
    ["amount in (select 1)", /subqueries are not allowed/],
    ["exists (select 1 from auth.users)", /subqueries are not allowed/],
    ["'pg_authid'::regclass is not null", /cast to regclass is not allowed/],
    ["'now'::regproc is not null", /cast to regproc is not allowed/],
    ["amount::numeric(10,2) > 1", /modifiers/],
    ["t.amount > 0", /must not be qualified/],
    ["public.users.id > 0", /must not be qualified/],
    ["public.lower(x) = 'a'", /only built-in names/],
    ["x operator(public.=) 1", /only built-in names/],
    ["amount > 0; drop table source_data.t", /only one expression/],
    ["1 = 1 from pg_authid", /single expression/],
    ["1 = 1 union select 1 = 1", /single expression/],
    ["delete from source_data.t", /single expression/],
    ["1 = 1) ; drop table x; select (1", /not a valid expression|only one expression/],
    ["amount > $1", /parameters/],
    ["case when a then true else false end", /CASE/],
    ["count(*) > 1", /function count is not allowed/],
    ["lower(x) over () = 'a'", /no aggregates or windows/],
    ["current_user = 'postgres'", /current_user is not allowed/],
    ["amount + 1", /must be a condition/],
    ["x = any(array[1,2])", /not allowed/],
    ["(x).f = 1", /not allowed/],
    ["", /empty/],
  ])("%s", async (text, reason) => {
    const parsed = await parseExpression(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.join("; ")).toMatch(reason);
  });
});

describe("descriptions", () => {
  it.each([
    [{ kind: "range", column: "amount", min: 0, max: 1_000_000_000 }, "amount between 0 and 1,000,000,000"],
    [{ kind: "allowed_values", column: "status", values: ["A", "B", "C"] }, "status is one of A, B, C"],
    [{ kind: "not_null", column: "id" }, "id is present"],
    [{ kind: "unique", columns: ["code", "d"] }, "the combination of code, d is unique"],
    [{ kind: "length", column: "name", max: 50 }, "name is at most 50 characters long"],
    [{ kind: "date_range", column: "d", min: "2020-01-01" }, "d on or after 2020-01-01"],
    [{ kind: "compare_columns", left: "start", operator: "<=", right: "end" }, "start is at most end"],
  ])("%j", (definition, text) => {
    const check = checkRuleDefinition(definition);
    expect(check.ok).toBe(true);
    if (check.ok) expect(describeRule(check.definition)).toBe(text);
  });
});
