// The restricted expression AST stored inside `expression` rules. The database checks the same shape in
// private.rule_expression_errors; both read these allow-lists (the SQL copy is kept in step by the
// parity test over tests/rules/fixtures).

export type ExprNode =
  | { column: string }
  | { text: string }
  | { number: string }
  | { boolean: boolean }
  | { null: true }
  | { op: string; args: ExprNode[] }
  | { fn: string; args: ExprNode[] }
  | { cast: string; args: ExprNode[] };

/** Operators with their number of operands [min, max]. */
export const OPERATORS: Record<string, [number, number]> = {
  and: [2, 100],
  or: [2, 100],
  not: [1, 1],
  "=": [2, 2],
  "<>": [2, 2],
  "<": [2, 2],
  "<=": [2, 2],
  ">": [2, 2],
  ">=": [2, 2],
  "+": [2, 2],
  "-": [2, 2],
  "*": [2, 2],
  "/": [2, 2],
  "%": [2, 2],
  "||": [2, 2],
  neg: [1, 1],
  "~": [2, 2],
  "~*": [2, 2],
  "!~": [2, 2],
  "!~*": [2, 2],
  like: [2, 2],
  not_like: [2, 2],
  ilike: [2, 2],
  not_ilike: [2, 2],
  is_distinct_from: [2, 2],
  is_not_distinct_from: [2, 2],
  is_null: [1, 1],
  is_not_null: [1, 1],
  is_true: [1, 1],
  is_not_true: [1, 1],
  is_false: [1, 1],
  is_not_false: [1, 1],
  between: [3, 3],
  not_between: [3, 3],
  in: [2, 1001],
  not_in: [2, 1001],
};

/** Operators whose result is a condition: the only ones allowed at the top of an expression. */
export const PREDICATE_OPERATORS = new Set(
  Object.keys(OPERATORS).filter((op) => !["+", "-", "*", "/", "%", "||", "neg"].includes(op)),
);

/** Functions (all from pg_catalog, none with side effects or access outside the row) with their arity. */
export const FUNCTIONS: Record<string, [number, number]> = {
  lower: [1, 1],
  upper: [1, 1],
  length: [1, 1],
  char_length: [1, 1],
  btrim: [1, 2],
  ltrim: [1, 2],
  rtrim: [1, 2],
  left: [2, 2],
  right: [2, 2],
  substr: [2, 3],
  substring: [2, 3],
  abs: [1, 1],
  round: [1, 2],
  floor: [1, 1],
  ceil: [1, 1],
  date_trunc: [2, 2],
  date_part: [2, 2],
  extract: [2, 2],
  coalesce: [1, 10],
  nullif: [2, 2],
  greatest: [1, 10],
  least: [1, 10],
  now: [0, 0],
  current_date: [0, 0],
};

/** Cast targets (stored name → SQL type) ; names as PostgreSQL's parser spells them map onto these. */
export const CASTS: Record<string, string> = {
  text: "text",
  varchar: "varchar",
  numeric: "numeric",
  smallint: "smallint",
  integer: "integer",
  bigint: "bigint",
  real: "real",
  double: "double precision",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  boolean: "boolean",
};

export const MAX_DEPTH = 32;
export const MAX_TEXT_LENGTH = 1000;
export const NUMBER_PATTERN = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

/** Operators whose right operand is a regular expression. */
const REGEX_OPERATORS = new Set(["~", "~*", "!~", "!~*"]);

/**
 * The regex operators of an expression in document order (the node before its arguments, as SQL's `$.**`
 * walks it), each with its literal pattern, or null when the right operand is not a text literal.
 */
export function expressionRegexOperands(
  node: ExprNode,
  into: { op: string; pattern: string | null }[] = [],
): { op: string; pattern: string | null }[] {
  if ("op" in node && REGEX_OPERATORS.has(node.op)) {
    const pattern = node.args[1];
    into.push({ op: node.op, pattern: pattern && "text" in pattern ? pattern.text : null });
  }
  if ("args" in node) for (const arg of node.args) expressionRegexOperands(arg, into);
  return into;
}

/** The refusal of a regex operator whose pattern is built (`||`), read from a column or cast. */
export function nonLiteralPatternError(op: string): string {
  return `the pattern of ${op} must be a text literal ('…'), not a column or a computed value`;
}

/** Columns named anywhere in an expression. */
export function expressionColumns(node: ExprNode, into = new Set<string>()): Set<string> {
  if ("column" in node) into.add(node.column);
  if ("args" in node) for (const arg of node.args) expressionColumns(arg, into);
  return into;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a JSON value is not a valid expression AST (empty when it is). Mirrors private.rule_expression_errors. */
export function expressionAstErrors(node: unknown, path = "expression", depth = 1): string[] {
  if (depth > MAX_DEPTH) return [`${path}: expression is nested more than ${MAX_DEPTH} levels deep`];
  if (!isObject(node)) return [`${path}: expected an expression node (object)`];
  const keys = Object.keys(node).sort();
  const only = (...expected: string[]) => keys.length === expected.length && expected.every((k, i) => keys[i] === k);
  if (only("column")) {
    return identifierErrors(node.column, `${path}.column`);
  }
  if (only("text")) {
    return typeof node.text === "string" && [...node.text].length <= MAX_TEXT_LENGTH
      ? []
      : [`${path}.text: expected a string of at most ${MAX_TEXT_LENGTH} characters`];
  }
  if (only("number")) {
    return typeof node.number === "string" && node.number.length <= 40 && NUMBER_PATTERN.test(node.number)
      ? []
      : [`${path}.number: expected an unsigned decimal number written as a string`];
  }
  if (only("boolean")) return typeof node.boolean === "boolean" ? [] : [`${path}.boolean: expected true or false`];
  if (only("null")) return node.null === true ? [] : [`${path}.null: expected true`];
  for (const [key, table, what] of [
    ["op", OPERATORS, "operator"],
    ["fn", FUNCTIONS, "function"],
    ["cast", CASTS, "cast target"],
  ] as const) {
    if (!only("args", key)) continue;
    const name = node[key];
    if (typeof name !== "string" || !Object.hasOwn(table, name)) {
      return [`${path}.${key}: ${what} ${JSON.stringify(name)} is not allowed`];
    }
    if (!Array.isArray(node.args)) return [`${path}.args: expected an array`];
    const [min, max] = key === "cast" ? [1, 1] : (table as Record<string, [number, number]>)[name]!;
    if (node.args.length < min || node.args.length > max) {
      return [`${path}.args: ${what} ${name} takes ${min === max ? min : `${min} to ${max}`} argument(s)`];
    }
    return node.args.flatMap((arg, i) => expressionAstErrors(arg, `${path}.args[${i}]`, depth + 1));
  }
  return [`${path}: unknown expression node with keys ${JSON.stringify(keys)}`];
}

/** Column names: 1 to 63 characters (PostgreSQL's limit), any characters, always quoted when used. */
export function identifierErrors(value: unknown, path: string): string[] {
  if (typeof value !== "string") return [`${path}: expected a column name (string)`];
  const length = [...value].length;
  if (length < 1 || length > 63) return [`${path}: column names have 1 to 63 characters`];
  if (value.includes("\u0000")) return [`${path}: column names cannot contain NUL characters`];
  return [];
}
