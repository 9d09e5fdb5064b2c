// Turns the text of an `expression` rule into the restricted AST, using PostgreSQL's own parser
// (libpg-query), and refuses anything outside the allow-lists with a reason.
import { parse } from "libpg-query";
import { CASTS, type ExprNode, FUNCTIONS, MAX_DEPTH, PREDICATE_OPERATORS } from "./expression-ast.ts";

export type ParsedExpression = { ok: true; ast: ExprNode } | { ok: false; errors: string[] };

const MAX_EXPRESSION_LENGTH = 4000;

class Refusal extends Error {}

// The parse tree is walked dynamically; every field read is checked against the node kind.
// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PgNode = Record<string, any>;

const BINARY_OPERATORS: Record<string, string> = {
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
  "~~": "like",
  "!~~": "not_like",
  "~~*": "ilike",
  "!~~*": "not_ilike",
};

const NODE_NAMES: Record<string, string> = {
  SubLink: "subqueries",
  CaseExpr: "CASE expressions (combine conditions with AND/OR instead)",
  ParamRef: "parameters ($n)",
  A_ArrayExpr: "arrays",
  A_Indirection: "subscripts and field selection",
  RowExpr: "row constructors",
  CollateClause: "COLLATE",
  GroupingFunc: "GROUPING",
  SetToDefault: "DEFAULT",
  MultiAssignRef: "multiple assignment",
  XmlExpr: "XML functions",
  XmlSerialize: "XML functions",
  JsonExpr: "JSON functions",
};

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: "current_date",
  SVFOP_CURRENT_TIMESTAMP: "now",
};

const BOOLEAN_TESTS: Record<string, string> = {
  IS_TRUE: "is_true",
  IS_NOT_TRUE: "is_not_true",
  IS_FALSE: "is_false",
  IS_NOT_FALSE: "is_not_false",
  IS_UNKNOWN: "is_null",
  IS_NOT_UNKNOWN: "is_not_null",
};

const CAST_NAMES: Record<string, string> = {
  text: "text",
  varchar: "varchar",
  numeric: "numeric",
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double",
  date: "date",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  bool: "boolean",
};

function names(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((n) => {
    if (!n.String) throw new Refusal("unexpected name");
    return n.String.sval as string;
  });
}

/** A name that may be qualified only by pg_catalog (the built-ins), returned unqualified. */
function builtinName(list: PgNode[] | undefined, what: string): string {
  const parts = names(list);
  if (parts.length === 2 && parts[0] === "pg_catalog") return parts[1]!;
  if (parts.length === 1) return parts[0]!;
  throw new Refusal(`${what} ${parts.join(".")} is not allowed: only built-in names, without a schema`);
}

/** A number node; the parser folds a leading minus into the constant, the AST keeps it as negation. */
function numberNode(text: string): ExprNode {
  const unsigned = text.replace(/^-/, "");
  const node = { number: unsigned.startsWith(".") ? `0${unsigned}` : unsigned };
  return text.startsWith("-") ? { op: "neg", args: [node] } : node;
}

function constant(node: PgNode): ExprNode {
  if (node.isnull) return { null: true };
  if ("ival" in node) return numberNode(String(node.ival.ival ?? 0));
  if ("fval" in node) return numberNode(String(node.fval.fval));
  if ("sval" in node) return { text: node.sval.sval ?? "" };
  if ("boolval" in node) return { boolean: node.boolval.boolval === true };
  throw new Refusal("bit-string constants are not allowed");
}

function convert(wrapper: PgNode, depth: number): ExprNode {
  if (depth > MAX_DEPTH) throw new Refusal(`the expression is nested more than ${MAX_DEPTH} levels deep`);
  const [type] = Object.keys(wrapper);
  const node = wrapper[type!];
  const sub = (n: PgNode) => convert(n, depth + 1);
  switch (type) {
    case "A_Const":
      return constant(node);
    case "ColumnRef": {
      const fields = node.fields as PgNode[];
      if (fields.some((f) => f.A_Star)) throw new Refusal("* is not allowed; name the columns");
      if (fields.length !== 1) {
        throw new Refusal(`column ${names(fields).join(".")} must not be qualified with a table or schema name`);
      }
      return { column: names(fields)[0]! };
    }
    case "BoolExpr": {
      const op = ({ AND_EXPR: "and", OR_EXPR: "or", NOT_EXPR: "not" } as Record<string, string>)[node.boolop];
      return { op: op!, args: (node.args as PgNode[]).map(sub) };
    }
    case "NullTest":
      return { op: node.nulltesttype === "IS_NULL" ? "is_null" : "is_not_null", args: [sub(node.arg)] };
    case "BooleanTest":
      return { op: BOOLEAN_TESTS[node.booltesttype]!, args: [sub(node.arg)] };
    case "A_Expr":
      return operatorExpression(node, sub);
    case "FuncCall":
      return functionCall(node, sub);
    case "CoalesceExpr":
      return { fn: "coalesce", args: (node.args as PgNode[]).map(sub) };
    case "MinMaxExpr":
      return { fn: node.op === "IS_GREATEST" ? "greatest" : "least", args: (node.args as PgNode[]).map(sub) };
    case "SQLValueFunction": {
      const fn = SQL_VALUE_FUNCTIONS[node.op];
      if (!fn) throw new Refusal(`${String(node.op).replace("SVFOP_", "").toLowerCase()} is not allowed`);
      return { fn, args: [] };
    }
    case "TypeCast":
      return { cast: castTarget(node.typeName), args: [sub(node.arg)] };
    default:
      throw new Refusal(
        `${NODE_NAMES[type!] ?? type} ${NODE_NAMES[type!] ? "are" : "is"} not allowed in rule expressions`,
      );
  }
}

function operatorExpression(node: PgNode, sub: (n: PgNode) => ExprNode): ExprNode {
  const list = () => (node.rexpr.List.items as PgNode[]).map(sub);
  switch (node.kind) {
    case "AEXPR_OP": {
      const symbol = builtinName(node.name, "operator");
      if (!node.lexpr) {
        if (symbol === "-") return { op: "neg", args: [sub(node.rexpr)] };
        if (symbol === "+") return sub(node.rexpr);
        throw new Refusal(`prefix operator ${symbol} is not allowed`);
      }
      const op = BINARY_OPERATORS[symbol];
      if (!op) throw new Refusal(`operator ${symbol} is not allowed`);
      return { op, args: [sub(node.lexpr), sub(node.rexpr)] };
    }
    case "AEXPR_LIKE":
    case "AEXPR_ILIKE":
      return { op: BINARY_OPERATORS[builtinName(node.name, "operator")]!, args: [sub(node.lexpr), sub(node.rexpr)] };
    case "AEXPR_BETWEEN":
    case "AEXPR_NOT_BETWEEN":
      return { op: node.kind === "AEXPR_BETWEEN" ? "between" : "not_between", args: [sub(node.lexpr), ...list()] };
    case "AEXPR_IN":
      if (!node.rexpr.List) throw new Refusal("IN takes a list of values");
      return { op: names(node.name)[0] === "=" ? "in" : "not_in", args: [sub(node.lexpr), ...list()] };
    case "AEXPR_DISTINCT":
    case "AEXPR_NOT_DISTINCT":
      return {
        op: node.kind === "AEXPR_DISTINCT" ? "is_distinct_from" : "is_not_distinct_from",
        args: [sub(node.lexpr), sub(node.rexpr)],
      };
    case "AEXPR_NULLIF":
      return { fn: "nullif", args: [sub(node.lexpr), sub(node.rexpr)] };
    default:
      throw new Refusal(`${String(node.kind).replace("AEXPR_", "").replaceAll("_", " ")} expressions are not allowed`);
  }
}

function functionCall(node: PgNode, sub: (n: PgNode) => ExprNode): ExprNode {
  const name = builtinName(node.funcname, "function");
  if (!Object.hasOwn(FUNCTIONS, name)) {
    throw new Refusal(`function ${name} is not allowed (allowed: ${Object.keys(FUNCTIONS).join(", ")})`);
  }
  if (node.agg_star || node.agg_distinct || node.agg_order || node.agg_filter || node.over || node.func_variadic) {
    throw new Refusal(`function ${name} may only be called with plain arguments (no aggregates or windows)`);
  }
  const args = ((node.args ?? []) as PgNode[]).map(sub);
  const [min, max] = FUNCTIONS[name]!;
  if (args.length < min || args.length > max) {
    throw new Refusal(`function ${name} takes ${min === max ? min : `${min} to ${max}`} argument(s)`);
  }
  return { fn: name, args };
}

function castTarget(typeName: PgNode): string {
  const name = builtinName(typeName.names, "type");
  if (typeName.typmods || typeName.arrayBounds || typeName.setof || typeName.pct_type) {
    throw new Refusal(`cast to ${name} may not have modifiers or array bounds`);
  }
  const target = CAST_NAMES[name];
  if (!target) {
    throw new Refusal(`cast to ${name} is not allowed (allowed: ${Object.values(CASTS).join(", ")})`);
  }
  return target;
}

function isPredicate(node: ExprNode): boolean {
  return "op" in node && PREDICATE_OPERATORS.has(node.op);
}

/** Parses one boolean expression (true for rows that pass) and returns its AST or why it is refused. */
export async function parseExpression(text: string): Promise<ParsedExpression> {
  if (text.trim() === "") return { ok: false, errors: ["the expression is empty"] };
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, errors: [`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`] };
  }
  let tree: PgNode;
  try {
    tree = await parse(`SELECT ${text}`);
  } catch (error) {
    return { ok: false, errors: [`not a valid expression: ${error instanceof Error ? error.message : error}`] };
  }
  try {
    const statements = tree.stmts as PgNode[];
    if (statements.length !== 1)
      throw new Refusal("only one expression is allowed; ';' and further statements are not");
    const select = statements[0]!.stmt.SelectStmt as PgNode | undefined;
    const extra = select && Object.keys(select).filter((k) => !["targetList", "limitOption", "op"].includes(k));
    if (!select || select.op !== "SETOP_NONE" || extra!.length > 0 || select.targetList.length !== 1) {
      throw new Refusal("the text must be a single expression (no FROM, WHERE, UNION or other clauses)");
    }
    const target = select.targetList[0].ResTarget as PgNode;
    if (target.name || target.indirection) throw new Refusal("the expression must not have an alias");
    const ast = convert(target.val, 1);
    if (!isPredicate(ast)) throw new Refusal("the expression must be a condition (true for rows that pass)");
    return { ok: true, ast };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, errors: [error.message] };
    throw error;
  }
}
