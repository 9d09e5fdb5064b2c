// Compiles the rules of one table into few statements: every row-level rule becomes a
// `count(*) filter (where <row fails>)` column of one scan (chunked), rules on low-cardinality columns
// are counted once per value in a grouped value pass (value-pass.ts), and uniqueness rules get one
// grouped pass per distinct column set. NULL semantics: only not_null and not_blank fail NULLs; every
// other rule leaves a NULL value (or an expression that evaluates to NULL) to those two.
import { type ColumnInfo, definitionColumnErrors, type TypeCategory, typeCategory } from "./columns.ts";
import { checkRuleDefinition, type RuleDefinition } from "./definition.ts";
import { expressionSql } from "./expression-sql.ts";
import { arrayLiteral, inlineParams, Params, quoteIdent, quoteTable, type SqlQuery } from "./sql-text.ts";
import { chooseValueColumns, inValuePass, type ValuePassOptions, valueStatement } from "./value-pass.ts";

export interface RuleInput {
  id: string;
  definition: unknown;
}

export interface CompileOptions {
  schema: string;
  table: string;
  columns: ColumnInfo[];
  /** Columns shown as '***' in failed-row samples (confidential or restricted data). */
  maskedColumns?: string[];
  /** Row-level rules per statement. */
  chunkSize?: number;
  sampleSize?: number;
}

export interface CompiledRule {
  id: string;
  definition: RuleDefinition;
  /** Row-level rules share scans; uniqueness rules run in grouped passes. */
  pass: "scan" | "group";
  failedRows: SqlQuery;
  /** The failed-rows query with its values written in, for people to read or copy. */
  failedRowsText: string;
  sample: SqlQuery;
  /**
   * Every failing row, masked columns as '***' and the others as their text (a date as 2030-01-01), in the
   * table's column order: the failed-rows export.
   */
  exportRows: SqlQuery;
}

export interface CompiledStatement extends SqlQuery {
  /** scan and values answer total, r0, r1…; group answers a uniqueness pass with its sample. */
  pass: "scan" | "values" | "group";
  ruleIds: string[];
}

export interface CompiledPlan {
  options: Required<CompileOptions>;
  statements: CompiledStatement[];
  rules: Map<string, CompiledRule>;
  /** Rules refused before execution, with the reasons. */
  invalid: { id: string; errors: string[] }[];
}

// Text that converts to numeric without error: at most 1,000 characters and a four-digit exponent keep
// every match far inside numeric's range (10^±131072) and scale (16,383 digits).
const NUMERIC_TEXT = "'^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,4})?[[:space:]]*$'";
const DATE_TEXT = "'^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'";

/** True when a text value converts to numeric: the shape, then a length that cannot overflow. */
function isNumericText(c: string): string {
  return `case when ${c} ~ ${NUMERIC_TEXT} then pg_catalog.char_length(${c}) <= 1000 else false end`;
}

/**
 * True when a text value is an ISO date that exists (year 0001–9999, no 30 February), so the cast to date
 * that follows cannot fail. The shape is checked first: its parts are read as numbers only once it holds.
 */
function isDateText(c: string): string {
  const part = (from: number, length: number) => `cast(substr(${c}, ${from}, ${length}) as integer)`;
  const year = part(1, 4);
  const leap = `(${year} % 4 = 0 and ${year} % 100 <> 0) or ${year} % 400 = 0`;
  const lastDay =
    `case ${part(6, 2)} when 2 then case when ${leap} then 29 else 28 end ` +
    `when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30 else 31 end`;
  return `case when ${c} ~ ${DATE_TEXT} then ${year} > 0 and ${part(9, 2)} <= ${lastDay} else false end`;
}
const BLANK_CHARACTERS = "' ' || chr(9) || chr(10) || chr(13)";
const INTEGER_TYPES: Record<string, { name: string; limit: number }> = {
  smallint: { name: "smallint", limit: 32767 },
  int2: { name: "smallint", limit: 32767 },
  integer: { name: "integer", limit: 2147483647 },
  int4: { name: "integer", limit: 2147483647 },
};
/** Below this count the automaton is small and the plain pattern is as cheap as the rewritten one. */
const MIN_REWRITTEN_COUNT = 6;
/** PostgreSQL's largest repetition count (RE_DUPMAX); larger counts are errors, so they are left alone. */
const MAX_REPETITION = 255;
// One single-character atom repeated a counted number of times, anchored at both ends. The atom is a
// bracket expression whose list has no brackets, backslashes or leading ^ (so where it ends is certain),
// a class escape or the dot; it is reused verbatim, so its meaning never has to be interpreted here.
const COUNTED_REPETITION = /^\^(\[\^?[^[\]\\^][^[\]\\]*\]|\\[dswDSW]|\.)\{([0-9]{1,3})(?:(,)([0-9]{0,3}))?\}\$$/;

/** The atom and bounds of a pattern of the form ^X{m}$, ^X{m,}$ or ^X{m,n}$, if it is one. */
export function countedRepetition(pattern: string): { atom: string; min: number; max?: number } | null {
  const match = COUNTED_REPETITION.exec(pattern);
  if (!match) return null;
  const min = Number(match[2]);
  const max = match[3] ? (match[4] ? Number(match[4]) : undefined) : min;
  if (min > MAX_REPETITION || (max !== undefined && (max > MAX_REPETITION || max < min))) return null;
  return { atom: match[1]!, min, max };
}

/** True when the character length of a text expression is outside min..max (evaluated once). */
function lengthOutside(text: string, min: number | undefined, max: number | undefined, params: Params): string {
  const length = `pg_catalog.char_length(${text})`;
  if (min !== undefined && max !== undefined) {
    return `not (${length} <@ pg_catalog.int4range(${params.add(String(min), "integer")}, ${params.add(String(max), "integer")}, '[]'))`;
  }
  if (min !== undefined) return `${length} < ${params.add(String(min), "integer")}`;
  return `${length} > ${params.add(String(max), "integer")}`;
}

const ARRAY_TYPES: Record<TypeCategory, string> = {
  text: "text",
  integer: "bigint",
  numeric: "numeric",
  date: "date",
  timestamp: "date",
  boolean: "boolean",
  other: "text",
};

/** Compiles the predicate that is true for rows failing a row-level rule. */
export function failCondition(definition: RuleDefinition, columns: ColumnInfo[], params: Params): string {
  const categories = new Map(columns.map((c) => [c.name, typeCategory(c.type)]));
  const types = new Map(columns.map((c) => [c.name, c.type.toLowerCase()]));
  const integerArrayType = (name: string, values: number[]) => {
    const type = INTEGER_TYPES[types.get(name) ?? ""];
    return type && values.every((v) => Math.abs(v) <= type.limit) ? type.name : "bigint";
  };
  const category = (name: string) => categories.get(name) ?? "other";
  const asText = (name: string) => (category(name) === "text" ? quoteIdent(name) : `cast(${quoteIdent(name)} as text)`);
  // Text columns holding numbers or dates: values that do not look like one fail, the rest are compared.
  const guarded = (name: string, type: "numeric" | "date", compare: (value: string) => string) => {
    const c = quoteIdent(name);
    if (category(name) !== "text") return compare(category(name) === "timestamp" ? `cast(${c} as date)` : c);
    const converts = type === "numeric" ? isNumericText(c) : isDateText(c);
    return `${c} is not null and case when ${converts} then ${compare(`cast(${c} as ${type})`)} else true end`;
  };
  switch (definition.kind) {
    case "not_null":
      return `${quoteIdent(definition.column)} is null`;
    case "not_blank": {
      const c = quoteIdent(definition.column);
      // A blank value starts with a blank character or is empty (ascii 0): the cheap first-character test
      // spares the trimmed copy for almost every row.
      return category(definition.column) === "text"
        ? `${c} is null or (pg_catalog.ascii(${c}) <= 32 and pg_catalog.btrim(${c}, ${BLANK_CHARACTERS}) = '')`
        : `${c} is null`;
    }
    case "regex": {
      const c = asText(definition.column);
      const operator = definition.case_insensitive ? "!~*" : "!~";
      const counted = countedRepetition(definition.pattern);
      if (!counted || (counted.max ?? counted.min) < MIN_REWRITTEN_COUNT)
        return `${c} ${operator} ${params.add(definition.pattern, "text")}`;
      // ^X{m,n}$ holds exactly when the length is within m..n and every character matches X.
      return (
        `${lengthOutside(c, counted.min, counted.max, params)} or ` +
        `${c} ${operator} ${params.add(`^${counted.atom}*$`, "text")}`
      );
    }
    case "length":
      return lengthOutside(asText(definition.column), definition.min, definition.max, params);
    case "range": {
      const { min, max } = definition;
      const integral = category(definition.column) === "integer";
      const bound = (v: number) => params.add(String(v), integral && Number.isInteger(v) ? "bigint" : "numeric");
      return guarded(definition.column, "numeric", (c) => {
        const parts = [];
        if (min !== undefined) parts.push(`${c} ${definition.min_inclusive === false ? "<=" : "<"} ${bound(min)}`);
        if (max !== undefined) parts.push(`${c} ${definition.max_inclusive === false ? ">=" : ">"} ${bound(max)}`);
        return `(${parts.join(" or ")})`;
      });
    }
    case "date_range":
      return guarded(definition.column, "date", (c) => {
        const parts = [];
        if (definition.min !== undefined) parts.push(`${c} < ${params.add(definition.min, "date")}`);
        if (definition.max !== undefined) parts.push(`${c} > ${params.add(definition.max, "date")}`);
        return `(${parts.join(" or ")})`;
      });
    case "not_future_date":
      return guarded(definition.column, "date", (c) => `${c} > current_date`);
    case "allowed_values": {
      const target = category(definition.column);
      const c =
        target === "timestamp"
          ? `cast(${quoteIdent(definition.column)} as date)`
          : target === "other"
            ? asText(definition.column)
            : quoteIdent(definition.column);
      // An array of the column's own type lets PostgreSQL probe a hash table instead of comparing each value.
      const arrayType =
        target === "integer" ? integerArrayType(definition.column, definition.values as number[]) : ARRAY_TYPES[target];
      const list = params.add(arrayLiteral(definition.values.map(String)), `${arrayType}[]`);
      return `${c} <> all(${list})`;
    }
    case "compare_columns":
      return `not (${quoteIdent(definition.left)} ${definition.operator} ${quoteIdent(definition.right)})`;
    case "expression":
      return `not (${expressionSql(definition.expression, params)})`;
    case "unique":
      throw new Error("uniqueness is checked in a grouped pass, not per row");
  }
}

function projection(options: Required<CompileOptions>): string {
  const masked = new Set(options.maskedColumns);
  return options.columns
    .map((c) => (masked.has(c.name) ? `'***'::text as ${quoteIdent(c.name)}` : quoteIdent(c.name)))
    .join(", ");
}

/** Every column as text in the table's order, masked columns as '***': what an export may carry. */
function textProjection(options: Required<CompileOptions>): string {
  const masked = new Set(options.maskedColumns);
  return options.columns
    .map((c) => `${masked.has(c.name) ? "'***'" : `${quoteIdent(c.name)}::text`} as ${quoteIdent(c.name)}`)
    .join(", ");
}

/** Rows whose key (all columns non-null) occurs more than once. */
function duplicateCondition(columns: string[], options: Required<CompileOptions>): string {
  const keys = columns.map(quoteIdent).join(", ");
  const notNull = columns.map((c) => `${quoteIdent(c)} is not null`).join(" and ");
  const table = quoteTable(options.schema, options.table);
  return `(${keys}) in (select ${keys} from ${table} where ${notNull} group by ${keys} having count(*) > 1)`;
}

/** One scan counting all rows and the failures of each given row-level rule (columns total, r0, r1…). */
export function scanStatement(rules: CompiledRule[], options: Required<CompileOptions>): CompiledStatement {
  const params = new Params();
  const counts = rules.map(
    (r, i) => `count(*) filter (where ${failCondition(r.definition, options.columns, params)}) as r${i}`,
  );
  return {
    pass: "scan",
    ruleIds: rules.map((r) => r.id),
    sql: `select count(*) as total, ${counts.join(", ")} from ${quoteTable(options.schema, options.table)}`,
    params: params.values,
  };
}

/**
 * One grouped pass for uniqueness rules over the same columns, with the failed-row sample: values total,
 * failed, found, then the masked projection of up to sampleSize rows whose key is among the first duplicate
 * keys (found is true on sample rows; one row with found NULL when nothing fails). The groups are kept (materialized) so the sample
 * reads them instead of grouping the table a second time.
 */
function groupStatement(rules: CompiledRule[], options: Required<CompileOptions>): CompiledStatement {
  const columns = (rules[0]!.definition as { columns: string[] }).columns;
  const keys = columns.map(quoteIdent).join(", ");
  // The groups' columns get names of their own (k0, k1…, n) so no table column name can clash with them.
  const groupKeys = columns.map((_, i) => `k${i}`).join(", ");
  const duplicate = ["n > 1", ...columns.map((_, i) => `k${i} is not null`)].join(" and ");
  const table = quoteTable(options.schema, options.table);
  return {
    pass: "group",
    ruleIds: rules.map((r) => r.id),
    sql:
      `with groups (${groupKeys}, n) as materialized (select ${keys}, count(*) from ${table} group by ${keys}), ` +
      `duplicates as (select ${groupKeys} from groups where ${duplicate} limit ${options.sampleSize}) ` +
      `select counts.total, counts.failed, sample.* from ` +
      `(select coalesce(sum(n), 0) as total, coalesce(sum(n) filter (where ${duplicate}), 0) as failed from groups) as counts ` +
      `left join lateral (select true as found, ${projection(options)} from ${table} as source ` +
      `where counts.failed > 0 and (${keys}) in (select ${groupKeys} from duplicates) limit ${options.sampleSize}) as sample on true`,
    params: [],
  };
}

/**
 * Failed-row samples for row-level rules whose failure counts are known, in one statement: values rules
 * (the indexes, in the given list, of the rules the row fails), then the masked projection. Rules with
 * many failures get a `limit` branch each, which stops after a short stretch of the table; rules with at
 * most rareLimit failures share one branch that reads the table once.
 */
export function sampleStatement(
  rules: { rule: CompiledRule; failed: number }[],
  options: Required<CompileOptions>,
  rareLimit: number,
): SqlQuery {
  const params = new Params();
  const table = quoteTable(options.schema, options.table);
  const columns = projection(options);
  const branches: string[] = [];
  const rare: [number, string][] = [];
  rules.forEach(({ rule, failed }, i) => {
    const condition = failCondition(rule.definition, options.columns, params);
    if (failed <= rareLimit) rare.push([i, condition]);
    else
      branches.push(
        `(select array[${i}] as rules, ${columns} from ${table} where ${condition} limit ${options.sampleSize})`,
      );
  });
  if (rare.length > 0) {
    const flags = rare.map(([i, c]) => `case when ${c} then ${i} end`).join(", ");
    branches.push(
      `(select pg_catalog.array_remove(array[${flags}], null) as rules, ${columns} from ${table} ` +
        `where ${rare.map(([, c]) => `(${c})`).join(" or ")})`,
    );
  }
  return { sql: branches.join(" union all "), params: params.values };
}

function compileOne(id: string, definition: RuleDefinition, options: Required<CompileOptions>): CompiledRule {
  const table = quoteTable(options.schema, options.table);
  const params = new Params();
  const condition =
    definition.kind === "unique"
      ? duplicateCondition(definition.columns, options)
      : failCondition(definition, options.columns, params);
  const failedRows = { sql: `select * from ${table} where ${condition}`, params: params.values };
  return {
    id,
    definition,
    pass: definition.kind === "unique" ? "group" : "scan",
    failedRows,
    failedRowsText: inlineParams(failedRows),
    sample: {
      sql: `select ${projection(options)} from ${table} where ${condition} limit ${options.sampleSize}`,
      params: params.values,
    },
    exportRows: { sql: `select ${textProjection(options)} from ${table} where ${condition}`, params: params.values },
  };
}

/** Validates and compiles the rules of one table. Invalid rules are listed, not thrown. */
export function compileRules(
  rules: RuleInput[],
  { statistics, valuePass, ...compileOptions }: CompileOptions & ValuePassOptions,
): CompiledPlan {
  const options: Required<CompileOptions> = { maskedColumns: [], chunkSize: 100, sampleSize: 20, ...compileOptions };
  if (!Number.isInteger(options.sampleSize) || options.sampleSize < 0) throw new Error("sampleSize must be an integer");
  const compiled = new Map<string, CompiledRule>();
  const invalid: CompiledPlan["invalid"] = [];
  for (const rule of rules) {
    const check = checkRuleDefinition(rule.definition);
    const errors = check.ok ? definitionColumnErrors(check.definition, options.columns) : check.errors;
    if (!check.ok || errors.length > 0) invalid.push({ id: rule.id, errors });
    else compiled.set(rule.id, compileOne(rule.id, check.definition, options));
  }
  const rowLevel = [...compiled.values()].filter((r) => r.pass === "scan");
  const valueColumns = chooseValueColumns(rowLevel, options.columns, { statistics, valuePass });
  const byValue = rowLevel.filter((r) => inValuePass(r.definition, valueColumns));
  const byRow = rowLevel.filter((r) => !inValuePass(r.definition, valueColumns));
  const condition = (definition: RuleDefinition, params: Params) => failCondition(definition, options.columns, params);
  const statements: CompiledStatement[] = [];
  for (let i = 0; i < byValue.length; i += options.chunkSize) {
    const chunk = byValue.slice(i, i + options.chunkSize);
    statements.push({
      pass: "values",
      ruleIds: chunk.map((r) => r.id),
      ...valueStatement(chunk, options.schema, options.table, condition),
    });
  }
  for (let i = 0; i < byRow.length; i += options.chunkSize) {
    statements.push(scanStatement(byRow.slice(i, i + options.chunkSize), options));
  }
  const byColumnSet = new Map<string, CompiledRule[]>();
  for (const rule of compiled.values()) {
    if (rule.definition.kind !== "unique") continue;
    const key = JSON.stringify([...rule.definition.columns].sort());
    byColumnSet.set(key, [...(byColumnSet.get(key) ?? []), rule]);
  }
  for (const group of byColumnSet.values()) statements.push(groupStatement(group, options));
  return { options, statements, rules: compiled, invalid };
}
