// The value pass: a rule that reads one low-cardinality column fails or passes the same way for every row
// holding the same value, so it is evaluated once per distinct value of a grouped pass and weighted by how
// many rows hold it, instead of once per row. PostgreSQL's expression interpreter spends 100–300 ns per row
// on a regex or a text function, and a hash lookup costs far less, so columns with such rules move to this
// pass when the table's statistics show few distinct values. All other rules stay in the row scan.
import { type ColumnInfo, definitionColumns, type TypeCategory, typeCategory } from "./columns.ts";
import type { RuleDefinition } from "./definition.ts";
import { Params, quoteIdent, quoteTable, type SqlQuery } from "./sql-text.ts";

/** Planner statistics of the table (pg_class.reltuples, pg_stats.n_distinct). */
export interface TableStatistics {
  rows: number;
  /**
   * Estimated distinct values per column, given only for columns whose equal values are identical to every
   * rule (text under a deterministic collation, integers, dates, booleans): 1.0 and 1.00 are equal numerics
   * with different text, and a case-insensitive collation groups 'a' with 'A'.
   */
  distinct: Record<string, number>;
}

export interface ValuePassOptions {
  statistics?: TableStatistics;
  /** "auto" moves a column only where its rules cost more than the grouping; "always" moves every candidate. */
  valuePass?: "auto" | "always";
}

/** A grouped column stands for at least this many rows per distinct value on average. */
const ROWS_PER_VALUE = 20;
/** A column moves when its rules cost at least this per row (a hash lookup in the pass costs about 40 ns). */
const MIN_COLUMN_COST_NS = 60;
/** The pass runs only when the moved rules cost more than its own scan of the table. */
const MIN_PASS_COST_NS = 150;

/**
 * Rough cost per row of a rule's predicate in nanoseconds, as measured by bench/rules on PostgreSQL 15: text
 * columns pay for regexes, list lookups, functions and the casts that guard numbers and dates held as text.
 */
function rowCost(definition: RuleDefinition, category: TypeCategory): number {
  switch (definition.kind) {
    case "regex":
      return 150;
    case "allowed_values":
      return category === "text" ? 90 : 20;
    case "expression":
      return 60;
    case "length":
      return 30;
    case "not_blank":
      return 10;
    case "range":
    case "date_range":
    case "not_future_date":
      return category === "text" ? 100 : category === "numeric" ? 40 : 8;
    default:
      return 2;
  }
}

/** The one column a rule reads, if it reads exactly one (uniqueness is a property of rows, never moved). */
function singleColumn(definition: RuleDefinition): string | null {
  if (definition.kind === "unique") return null;
  const columns = new Set(definitionColumns(definition));
  return columns.size === 1 ? [...columns][0]! : null;
}

/** The columns whose rules are evaluated once per value, by the table's statistics and the rules' costs. */
export function chooseValueColumns(
  rules: { definition: RuleDefinition }[],
  columns: ColumnInfo[],
  { statistics, valuePass = "auto" }: ValuePassOptions,
): Set<string> {
  if (!statistics || !(statistics.rows > 0)) return new Set();
  const categories = new Map(columns.map((c) => [c.name, typeCategory(c.type)]));
  const cost = new Map<string, number>();
  for (const { definition } of rules) {
    const column = singleColumn(definition);
    const distinct = column === null ? undefined : statistics.distinct[column];
    if (distinct === undefined || distinct * ROWS_PER_VALUE > statistics.rows) continue;
    cost.set(column!, (cost.get(column!) ?? 0) + rowCost(definition, categories.get(column!) ?? "other"));
  }
  if (valuePass === "always") return new Set(cost.keys());
  const moved = [...cost].filter(([, ns]) => ns >= MIN_COLUMN_COST_NS);
  const total = moved.reduce((sum, [, ns]) => sum + ns, 0);
  return new Set(total >= MIN_PASS_COST_NS ? moved.map(([name]) => name) : []);
}

/** Whether a rule is evaluated in the value pass over these columns. */
export function inValuePass(definition: RuleDefinition, valueColumns: Set<string>): boolean {
  const column = singleColumn(definition);
  return column !== null && valueColumns.has(column);
}

/** A name for a column of the grouped rows that no grouped table column has. */
function freshName(base: string, taken: Set<string>): string {
  let name = base;
  while (taken.has(name)) name += "_";
  taken.add(name);
  return name;
}

/**
 * One grouped pass over the table, a grouping set per column, answering total, r0, r1… like a row scan:
 * each rule's failures are the rows of the values that fail it. `condition` compiles a rule's failing
 * predicate; over the grouped rows its column names refer to the grouped values.
 */
export function valueStatement(
  rules: { definition: RuleDefinition }[],
  schema: string,
  table: string,
  condition: (definition: RuleDefinition, params: Params) => string,
): SqlQuery {
  const columns = [...new Set(rules.map((r) => singleColumn(r.definition)!))];
  const taken = new Set(columns);
  const n = freshName("n", taken);
  const setFlag = new Map(columns.map((c, i) => [c, freshName(`s${i}`, taken)]));
  const keys = columns.map(quoteIdent);
  const params = new Params();
  // grouping(c) is 0 on the rows of c's own grouping set and 1 on the other sets' rows.
  const counts = rules.map((r, i) => {
    const flag = quoteIdent(setFlag.get(singleColumn(r.definition)!)!);
    return `coalesce(sum(${quoteIdent(n)}) filter (where ${flag} = 0 and (${condition(r.definition, params)})), 0) as r${i}`;
  });
  const firstFlag = quoteIdent(setFlag.get(columns[0]!)!);
  const names = [...columns, n, ...setFlag.values()].map(quoteIdent).join(", ");
  return {
    sql:
      `select coalesce(sum(${quoteIdent(n)}) filter (where ${firstFlag} = 0), 0) as total, ${counts.join(", ")} ` +
      `from (select ${keys.join(", ")}, count(*), ${keys.map((k) => `grouping(${k})`).join(", ")} ` +
      `from ${quoteTable(schema, table)} group by grouping sets (${keys.map((k) => `(${k})`).join(", ")})) ` +
      `as grouped (${names})`,
    params: params.values,
  };
}
