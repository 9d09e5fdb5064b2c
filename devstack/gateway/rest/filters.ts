import { queryParamError } from "./errors.ts";
import { Cursor, type FieldRef } from "./select-parser.ts";

export interface Condition {
  kind: "cond";
  field: FieldRef;
  negate: boolean;
  op: string;
  /** `eq(any)`, `like(all)`… */
  quantifier?: "any" | "all";
  /** Text search configuration of `fts(english)`. */
  language?: string;
  value: string | string[];
}

export interface Logic {
  kind: "logic";
  op: "and" | "or";
  negate: boolean;
  children: FilterTree[];
}

export type FilterTree = Condition | Logic;

const comparison: Record<string, string> = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "like",
  ilike: "ilike",
  match: "~",
  imatch: "~*",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxr: "&<",
  nxl: "&>",
  adj: "-|-",
  isdistinct: "is distinct from",
};
const quantifiable = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"]);
const textSearch: Record<string, string> = {
  fts: "to_tsquery",
  plfts: "plainto_tsquery",
  phfts: "phraseto_tsquery",
  wfts: "websearch_to_tsquery",
};
const isValues: Record<string, string> = {
  null: "null",
  not_null: "not null",
  true: "true",
  false: "false",
  unknown: "unknown",
};

/** Parses the value of a filter parameter (`not.in.(1,2)`, `fts(english).cat`, `is.null`…). */
export function parseCondition(field: FieldRef, input: string, what = "filter", whole = input): Condition {
  let rest = input;
  let negate = false;
  const offset = whole.length - input.length;
  const fail = (at: number, details: string): never => {
    throw queryParamError(what, whole, offset + at + 1, details);
  };
  if (rest.startsWith("not.")) {
    negate = true;
    rest = rest.slice(4);
  }
  const match = /^([a-z]+)(?:\(([a-z_]+)\))?\./.exec(rest);
  if (!match) return fail(input.length - rest.length, "unexpected operator, expecting one of the filter operators");
  const [head, op, modifier] = match as unknown as [string, string, string | undefined];
  const known = op in comparison || op in textSearch || op === "in" || op === "is";
  if (!known) return fail(input.length - rest.length, `unknown operator "${op}"`);
  let value = rest.slice(head.length);
  let quantifier: "any" | "all" | undefined;
  let language: string | undefined;
  if (modifier !== undefined) {
    if (op in textSearch) language = modifier;
    else if (quantifiable.has(op) && (modifier === "any" || modifier === "all")) quantifier = modifier;
    else return fail(input.length - rest.length + op.length, `unexpected modifier "${modifier}"`);
  }
  if (op === "is") {
    const normalized = value.toLowerCase();
    if (!(normalized in isValues))
      return fail(input.length - value.length, 'expecting "null", "not_null", "true", "false" or "unknown"');
    value = normalized;
  }
  if (op === "in") {
    const list = parseList(value);
    if (!list) return fail(input.length - value.length, 'expecting "(" value list ")"');
    return { kind: "cond", field, negate, op, value: list };
  }
  return { kind: "cond", field, negate, op, quantifier, language, value };
}

/** `(a,"b,c",d)` → ["a", "b,c", "d"]; undefined when it is not a parenthesised list. */
function parseList(input: string): string[] | undefined {
  if (!input.startsWith("(") || !input.endsWith(")")) return undefined;
  const inner = input.slice(1, -1);
  if (inner.trim() === "") return [];
  return splitTopLevel(inner).map(unquote);
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return value;
}

/** Splits on commas outside parentheses, braces and double quotes. */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === ")" || ch === "}" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(input.slice(start));
  return parts;
}

/** How many `and(…)`/`or(…)` groups one logic tree may nest, the outermost included. */
export const maxLogicDepth = 32;

/** Parses `or=(a.eq.1,and(b.gt.2,c.is.null))` (the key gives the operator and an optional `not.`). */
export function parseLogic(op: "and" | "or", negate: boolean, input: string): Logic {
  const whole = input;
  const fail = (at: number, details: string): never => {
    throw queryParamError("logic tree", whole, at + 1, details);
  };
  const parseGroup = (text: string, at: number, depth: number): FilterTree[] => {
    if (!text.startsWith("(") || !text.endsWith(")")) return fail(at, 'expecting "("');
    if (depth > maxLogicDepth) return fail(at, `logic trees are nested deeper than ${maxLogicDepth} levels`);
    const inner = text.slice(1, -1);
    if (inner.trim() === "") return fail(at + 1, "expecting logic tree or filter");
    const children: FilterTree[] = [];
    let pos = at + 1;
    for (const part of splitTopLevel(inner)) {
      children.push(parseElement(part, pos, depth));
      pos += part.length + 1;
    }
    return children;
  };
  const parseElement = (text: string, at: number, depth: number): FilterTree => {
    let rest = text;
    let neg = false;
    if (rest.startsWith("not.")) {
      neg = true;
      rest = rest.slice(4);
    }
    const nested = /^(and|or)\(/.exec(rest);
    if (nested) {
      const skipped = text.length - rest.length + nested[1]!.length;
      return {
        kind: "logic",
        op: nested[1] as "and" | "or",
        negate: neg,
        children: parseGroup(rest.slice(nested[1]!.length), at + skipped, depth + 1),
      };
    }
    const cursor = new Cursor(text, "logic tree");
    const field = cursor.field(',()!:".');
    if (!cursor.eat(".")) return fail(at + cursor.pos, 'expecting "."');
    const condition = parseCondition(field, text.slice(cursor.pos), "logic tree", whole.slice(0, at) + text);
    if (typeof condition.value === "string") condition.value = unquote(condition.value);
    return condition;
  };
  return { kind: "logic", op, negate, children: parseGroup(input, 0, 1) };
}

/** Binds values and renders one filter tree as SQL. */
export interface FilterRenderer {
  /** The SQL expression of a field and the type its bound values are cast to. */
  field(ref: FieldRef): { expr: string; type: string };
  bind(value: string): string;
}

export function renderFilter(tree: FilterTree, r: FilterRenderer): string {
  if (tree.kind === "logic") {
    const joined = tree.children.map((c) => renderFilter(c, r)).join(` ${tree.op} `);
    return tree.negate ? `not (${joined})` : `(${joined})`;
  }
  const { expr, type } = r.field(tree.field);
  let sql: string;
  const value = tree.value;
  if (tree.op === "in") {
    sql = `${expr} = any(${r.bind(arrayLiteral(value as string[]))}::text::${type}[])`;
  } else if (tree.op === "is") {
    sql = `${expr} is ${isValues[value as string]}`;
  } else if (tree.op in textSearch) {
    const fn = textSearch[tree.op]!;
    const query = tree.language
      ? `${fn}(${r.bind(tree.language)}::text::regconfig, ${r.bind(value as string)}::text)`
      : `${fn}(${r.bind(value as string)}::text)`;
    sql = `${expr} @@ ${query}`;
  } else {
    const op = comparison[tree.op]!;
    const isPattern = tree.op === "like" || tree.op === "ilike";
    const isRegex = tree.op === "match" || tree.op === "imatch";
    const raw = value as string;
    if (tree.quantifier) {
      const elements = raw.startsWith("{") && raw.endsWith("}") ? raw : `{${raw}}`;
      const bound = r.bind(isPattern ? elements.replaceAll("*", "%") : elements);
      const elementType = isPattern || isRegex ? "text" : type;
      sql = `${expr} ${op} ${tree.quantifier}(${bound}::text::${elementType}[])`;
    } else if (isPattern) {
      sql = `${expr} ${op} ${r.bind(raw.replaceAll("*", "%"))}::text`;
    } else if (isRegex) {
      sql = `${expr} ${op} ${r.bind(raw)}::text`;
    } else {
      sql = `${expr} ${op} ${r.bind(raw)}::text::${type}`;
    }
  }
  return tree.negate ? `not (${sql})` : sql;
}

/** A PostgreSQL array literal whose elements are all quoted, so commas and braces in values stay data. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
