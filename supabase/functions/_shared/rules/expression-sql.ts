// Generates SQL from a validated expression AST (never from the text the tester typed): columns quoted,
// literals bound as parameters, operators and functions taken from the allow-lists only.
import { CASTS, type ExprNode } from "./expression-ast.ts";
import { type Params, quoteIdent } from "./sql-text.ts";

const INFIX: Record<string, string> = {
  "=": "=",
  "<>": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  "+": "+",
  "-": "-",
  "*": "*",
  "/": "/",
  "%": "%",
  "||": "||",
  "~": "~",
  "~*": "~*",
  "!~": "!~",
  "!~*": "!~*",
  like: "like",
  not_like: "not like",
  ilike: "ilike",
  not_ilike: "not ilike",
  is_distinct_from: "is distinct from",
  is_not_distinct_from: "is not distinct from",
};

const POSTFIX: Record<string, string> = {
  is_null: "is null",
  is_not_null: "is not null",
  is_true: "is true",
  is_not_true: "is not true",
  is_false: "is false",
  is_not_false: "is not false",
};

// SQL-syntax forms rather than pg_catalog functions.
const SYNTAX_FUNCTIONS = new Set(["coalesce", "nullif", "greatest", "least"]);

/** Types a number like PostgreSQL types a numeric literal: integer, then bigint, then numeric. */
function numberType(text: string): string {
  if (!/^[0-9]+$/.test(text)) return "numeric";
  const value = BigInt(text);
  return value <= 2147483647n ? "integer" : value <= 9223372036854775807n ? "bigint" : "numeric";
}

/** SQL for an expression node; every sub-expression is parenthesised, so precedence is never guessed. */
export function expressionSql(node: ExprNode, params: Params): string {
  if ("column" in node) return quoteIdent(node.column);
  if ("text" in node) return params.add(node.text);
  if ("number" in node) return params.add(node.number, numberType(node.number));
  if ("boolean" in node) return node.boolean ? "true" : "false";
  if ("null" in node) return "null";
  const args = node.args.map((a) => `(${expressionSql(a, params)})`);
  if ("cast" in node) return `cast(${args[0]} as ${CASTS[node.cast]})`;
  if ("fn" in node) {
    if (node.fn === "current_date") return "current_date";
    return `${SYNTAX_FUNCTIONS.has(node.fn) ? node.fn : `pg_catalog.${node.fn}`}(${args.join(", ")})`;
  }
  switch (node.op) {
    case "and":
    case "or":
      return args.join(` ${node.op} `);
    case "not":
      return `not ${args[0]}`;
    case "neg":
      return `- ${args[0]}`;
    case "between":
    case "not_between":
      return `${args[0]} ${node.op === "between" ? "between" : "not between"} ${args[1]} and ${args[2]}`;
    case "in":
    case "not_in":
      return `${args[0]} ${node.op === "in" ? "in" : "not in"} (${args.slice(1).join(", ")})`;
  }
  if (POSTFIX[node.op]) return `${args[0]} ${POSTFIX[node.op]}`;
  return `${args[0]} ${INFIX[node.op]} ${args[1]}`;
}

/** The expression as readable SQL-like text, for people (literals written in, names quoted only if needed). */
export function expressionText(node: ExprNode): string {
  const show = (n: ExprNode, parent: boolean): string => {
    const text = expressionText(n);
    return parent && ("op" in n || "cast" in n) ? `(${text})` : text;
  };
  if ("column" in node) return /^[a-z_][a-z0-9_]*$/.test(node.column) ? node.column : quoteIdent(node.column);
  if ("text" in node) return `'${node.text.replaceAll("'", "''")}'`;
  if ("number" in node) return node.number;
  if ("boolean" in node) return String(node.boolean);
  if ("null" in node) return "null";
  if ("cast" in node) return `${show(node.args[0]!, true)}::${CASTS[node.cast]}`;
  if ("fn" in node)
    return node.fn === "current_date"
      ? "current_date"
      : `${node.fn}(${node.args.map((a) => show(a, false)).join(", ")})`;
  const a = node.args.map((n) => show(n, true));
  switch (node.op) {
    case "and":
    case "or":
      return a.join(` ${node.op} `);
    case "not":
      return `not ${a[0]}`;
    case "neg":
      return `-${a[0]}`;
    case "between":
    case "not_between":
      return `${a[0]} ${node.op === "between" ? "between" : "not between"} ${a[1]} and ${a[2]}`;
    case "in":
    case "not_in":
      return `${a[0]} ${node.op === "in" ? "in" : "not in"} (${a.slice(1).join(", ")})`;
  }
  if (POSTFIX[node.op]) return `${a[0]} ${POSTFIX[node.op]}`;
  return `${a[0]} ${INFIX[node.op]} ${a[1]}`;
}
