// Definitions in words, for the rules review table ("amount between 0 and 1,000,000,000").
import type { RuleDefinition } from "./definition.ts";
import { expressionText } from "./expression-sql.ts";

const OPERATOR_WORDS: Record<string, string> = {
  "=": "equals",
  "<>": "differs from",
  "<": "is less than",
  "<=": "is at most",
  ">": "is greater than",
  ">=": "is at least",
};

function number(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 20 });
}

function value(v: string | number | boolean): string {
  return typeof v === "number" ? number(v) : String(v);
}

function list(values: (string | number | boolean)[], max = 10): string {
  const shown = values.slice(0, max).map(value).join(", ");
  return values.length > max ? `${shown} (and ${values.length - max} more)` : shown;
}

/** One sentence describing what a row must satisfy to pass the rule. */
export function describeRule(definition: RuleDefinition): string {
  switch (definition.kind) {
    case "not_null":
      return `${definition.column} is present`;
    case "not_blank":
      return `${definition.column} is not blank`;
    case "regex":
      return `${definition.column} matches /${definition.pattern}/${definition.case_insensitive ? " (ignoring case)" : ""}`;
    case "length":
      if (definition.min !== undefined && definition.max !== undefined) {
        return definition.min === definition.max
          ? `${definition.column} is exactly ${number(definition.min)} characters long`
          : `${definition.column} is ${number(definition.min)} to ${number(definition.max)} characters long`;
      }
      return definition.min !== undefined
        ? `${definition.column} is at least ${number(definition.min)} characters long`
        : `${definition.column} is at most ${number(definition.max!)} characters long`;
    case "range": {
      const { column, min, max } = definition;
      const minOpen = definition.min_inclusive === false;
      const maxOpen = definition.max_inclusive === false;
      if (min !== undefined && max !== undefined) {
        if (!minOpen && !maxOpen) return `${column} between ${number(min)} and ${number(max)}`;
        return `${column} ${minOpen ? "above" : "at least"} ${number(min)} and ${maxOpen ? "below" : "at most"} ${number(max)}`;
      }
      return min !== undefined
        ? `${column} ${minOpen ? "above" : "at least"} ${number(min)}`
        : `${column} ${maxOpen ? "below" : "at most"} ${number(max!)}`;
    }
    case "date_range": {
      const { column, min, max } = definition;
      if (min !== undefined && max !== undefined) return `${column} between ${min} and ${max}`;
      return min !== undefined ? `${column} on or after ${min}` : `${column} on or before ${max}`;
    }
    case "allowed_values":
      return definition.values.length === 1
        ? `${definition.column} is ${value(definition.values[0]!)}`
        : `${definition.column} is one of ${list(definition.values)}`;
    case "unique":
      return definition.columns.length === 1
        ? `${definition.columns[0]} is unique`
        : `the combination of ${definition.columns.join(", ")} is unique`;
    case "not_future_date":
      return `${definition.column} is not in the future`;
    case "compare_columns":
      return `${definition.left} ${OPERATOR_WORDS[definition.operator]} ${definition.right}`;
    case "expression":
      return expressionText(definition.expression);
  }
}
