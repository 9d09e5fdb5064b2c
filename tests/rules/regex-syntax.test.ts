// Regex patterns: the TypeScript check (regex-syntax.ts) and PostgreSQL's own regex compiler, through
// private.regex_pattern_error, give the same verdict and the same message, on hand-picked patterns and on
// thousands of patterns generated from a fixed seed out of the syntax's tricky pieces.
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regexPatternError } from "../../supabase/functions/_shared/rules/regex-syntax.ts";
import { connect } from "./db.ts";

let sql: postgres.Sql;
beforeAll(() => {
  sql = connect();
});
afterAll(async () => {
  await sql.end();
});

async function databaseErrors(patterns: string[]): Promise<(string | null)[]> {
  const rows = await sql<{ error: string | null }[]>`
    select private.regex_pattern_error(p) as error from unnest(${patterns}::text[]) with ordinality as u (p, o) order by o`;
  return rows.map((r) => r.error);
}

/** Pieces that exercise every rule of the syntax: groups, lookarounds, bounds, escapes, brackets, classes. */
const PIECES = [
  ...["a", "b", "é", ".", "|", "^", "$", "*", "+", "?", "-", "--", ",", ":", "=", "#", " "],
  ...["(", ")", "(a)", "((a))", "(((a)(b)(c)))", "((((((((((a))))))))))", "(?:", "(?=", "(?!", "(?<=", "(?<!"],
  ...["(?#c)", "(?#", "{", "}", "{0}", "{1}", "{2,3}", "{3,2}", "{1,}", "{255}", "{256}", "{1,255}"],
  ...["0", "1", "9", "25", "255", "256", "1000"],
  ...["\\", "\\\\", "\\.", "\\(", "\\)", "\\{", "\\}", "\\[", "\\]", "\\é"],
  ...["\\d", "\\D", "\\s", "\\S", "\\w", "\\W", "\\m", "\\M", "\\y", "\\Y", "\\A", "\\Z", "\\b", "\\B"],
  ...["\\c", "\\cA", "\\q", "\\x", "\\x41", "\\x4", "\\xFFFFFFFFF", "\\u12", "\\u0041", "\\u00e9"],
  ...["\\U0001F600", "\\U7FFFFFFF", "\\U80000000", "\\n", "\\t-\\n"],
  ...["\\0", "\\01", "\\012", "\\1", "\\2", "\\8", "\\10", "\\12", "\\81"],
  ...["[", "[^", "]", "[:alpha:]", "[:word:]", "[:digit:]", "[:Alpha:]", "[:foo:]", "[::]"],
  ...["[.a.]", "[.ab.]", "[.space.]", "[.hyphen.]", "[..]", "[.-.]", "[.].]", "[=a=]", "[==]", "[=ab=]"],
  ...["[[:<:]]", "[[:>:]]", "a-z", "z-a", "0-9", "9-0", "\\x41-\\x5a", "\\x5a-\\x41"],
];

/** Patterns of 1 to 9 pieces from a linear congruential generator with a fixed seed. */
function generatedPatterns(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor((state / 0x80000000) * n);
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + next(9) }, () => PIECES[next(PIECES.length)]).join(""),
  );
}

describe("regex patterns: TypeScript and PostgreSQL agree", () => {
  it("on patterns people write, which compile", async () => {
    const patterns = [
      "^[A-Z]{2}$",
      "^\\d{3}-\\d{4}$",
      "^[0-9a-f]{32}$",
      "^[[:alpha:]][[:alnum:]_]*$",
      "\\mword\\M",
      "^(\\d+)\\.\\1$",
      "^(?:[A-Z]{4})(?=\\d)\\d{2}$",
      "(?<!x)y",
      "a{,3}",
      "[]a]",
      "[^]a-]",
      "[[.space.]-z]",
      "^a'; drop table x; --",
    ];
    expect(await databaseErrors(patterns)).toEqual(patterns.map(() => null));
    expect(patterns.map(regexPatternError)).toEqual(patterns.map(() => null));
  });

  it("on broken patterns, with PostgreSQL's messages", async () => {
    const cases: [string, string][] = [
      ["^[0-9{3}$", "brackets [] not balanced"],
      ["(a|b", "parentheses () not balanced"],
      ["a)", "parentheses () not balanced"],
      ["a{2", "braces {} not balanced"],
      ["a{3,2}", "invalid repetition count(s)"],
      ["a{256}", "invalid repetition count(s)"],
      ["[z-a]", "invalid character range"],
      ["[[:foo:]]", "invalid character class"],
      ["[[.ab.]]", "invalid collating element"],
      ["\\q", "invalid escape \\ sequence"],
      ["\\p{L}", "invalid escape \\ sequence"],
      ["a\\", "invalid escape \\ sequence"],
      ["(a)\\2", "invalid backreference number"],
      ["(a\\1)", "invalid backreference number"],
      ["*a", "quantifier operand invalid"],
      ["a**", "quantifier operand invalid"],
      ["^*", "quantifier operand invalid"],
      ["(?=a)+", "quantifier operand invalid"],
      ["x(?P<n>y)", "quantifier operand invalid"],
    ];
    const expected = cases.map(([, message]) => `invalid regular expression: ${message}`);
    expect(await databaseErrors(cases.map(([p]) => p))).toEqual(expected);
    expect(cases.map(([p]) => regexPatternError(p))).toEqual(expected);
  });

  it("refuses embedded options and directors on both sides", async () => {
    const patterns = ["(?i)abc", "(?x) a b", "***:abc", "***=a(", "(?P<n>x)"];
    const errors = await databaseErrors(patterns);
    expect(errors.every((e) => e?.startsWith("embedded options"))).toBe(true);
    expect(patterns.map(regexPatternError)).toEqual(errors);
  });

  it("on 6,000 generated patterns", async () => {
    const patterns = [...generatedPatterns(3000, 1), ...generatedPatterns(3000, 7)];
    const database = await databaseErrors(patterns);
    const mismatches = patterns
      .map((pattern, i) => ({ pattern, database: database[i], typescript: regexPatternError(pattern) }))
      .filter((r) => r.database !== r.typescript);
    expect(mismatches).toEqual([]);
    // Both outcomes are well represented, so agreement is not agreement on one answer.
    const refused = database.filter((e) => e !== null).length;
    expect(refused).toBeGreaterThan(1000);
    expect(patterns.length - refused).toBeGreaterThan(1000);
  });

  it("leaves a pattern too big to compile to the database, which refuses it when the rule is saved", async () => {
    const [error] = await databaseErrors(["((a{255}){255}){255}"]);
    expect(error).toBe("invalid regular expression: regular expression is too complex");
  });
});
