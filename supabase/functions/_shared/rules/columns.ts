// Checks a definition against the target table's columns: every column exists and suits the rule.
// private.rule_definition_column_errors is the database's copy of these checks.
import type { RuleDefinition } from "./definition.ts";
import { isIsoDate } from "./definition.ts";
import { expressionColumns } from "./expression-ast.ts";

export interface ColumnInfo {
  name: string;
  /** PostgreSQL type as format_type() or information_schema.columns.data_type spells it. */
  type: string;
}

export type TypeCategory = "text" | "integer" | "numeric" | "date" | "timestamp" | "boolean" | "other";

const CATEGORIES: Record<string, TypeCategory> = {
  text: "text",
  "character varying": "text",
  varchar: "text",
  character: "text",
  char: "text",
  bpchar: "text",
  citext: "text",
  smallint: "integer",
  integer: "integer",
  bigint: "integer",
  int2: "integer",
  int4: "integer",
  int8: "integer",
  numeric: "numeric",
  decimal: "numeric",
  real: "numeric",
  "double precision": "numeric",
  float4: "numeric",
  float8: "numeric",
  date: "date",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  "timestamp with time zone": "timestamp",
  timestamptz: "timestamp",
  boolean: "boolean",
  bool: "boolean",
};

/** The category of a column type, ignoring modifiers such as varchar(20) or numeric(18,2). */
export function typeCategory(type: string): TypeCategory {
  const base = type
    .toLowerCase()
    .replace(/\([^)]*\)/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return CATEGORIES[base] ?? "other";
}

/** Columns a definition reads. */
export function definitionColumns(definition: RuleDefinition): string[] {
  switch (definition.kind) {
    case "unique":
      return definition.columns;
    case "compare_columns":
      return [definition.left, definition.right];
    case "expression":
      return [...expressionColumns(definition.expression)];
    default:
      return [definition.column];
  }
}

const COMPARABLE: Record<TypeCategory, string> = {
  text: "text",
  integer: "number",
  numeric: "number",
  date: "date",
  timestamp: "date",
  boolean: "boolean",
  other: "other",
};

function valueFits(value: string | number | boolean, category: TypeCategory): boolean {
  switch (category) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "numeric":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return typeof value === "string" && isIsoDate(value);
    case "text":
      return typeof value !== "boolean";
    default:
      return typeof value === "string";
  }
}

/** Why a structurally valid definition does not fit the table (empty when it does). */
export function definitionColumnErrors(definition: RuleDefinition, columns: ColumnInfo[]): string[] {
  const byName = new Map(columns.map((c) => [c.name, typeCategory(c.type)]));
  const missing = definitionColumns(definition).filter((name) => !byName.has(name));
  if (missing.length > 0) return missing.map((name) => `column ${JSON.stringify(name)} does not exist in the table`);
  const category = (name: string) => byName.get(name)!;
  switch (definition.kind) {
    case "range":
      return ["integer", "numeric", "text"].includes(category(definition.column))
        ? []
        : [`range needs a numeric column; ${definition.column} is ${category(definition.column)}`];
    case "date_range":
    case "not_future_date":
      return ["date", "timestamp", "text"].includes(category(definition.column))
        ? []
        : [`${definition.kind} needs a date column; ${definition.column} is ${category(definition.column)}`];
    case "allowed_values": {
      const target = category(definition.column);
      const bad = definition.values.filter((v) => !valueFits(v, target));
      return bad.length === 0 ? [] : [`values ${JSON.stringify(bad)} do not fit ${definition.column} (${target})`];
    }
    case "compare_columns": {
      const [l, r] = [COMPARABLE[category(definition.left)], COMPARABLE[category(definition.right)]];
      if (l !== r || l === "other") return [`cannot compare ${definition.left} (${l}) with ${definition.right} (${r})`];
      if (l === "boolean" && !["=", "<>"].includes(definition.operator)) return ["booleans compare only with = or <>"];
      return [];
    }
    default:
      return [];
  }
}
