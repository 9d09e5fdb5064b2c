import type { AttributeView, ProfilingView } from "../prompts/views.ts";
import type { RuleType, ScalarValue, Severity } from "../types.ts";
import * as define from "./definitions.ts";
import { detectPattern } from "./shapes.ts";
import { expectsFutureDates, isKeyLike } from "./signals.ts";

/** A rule as a provider writes it: the definition is JSON text, as on the wire. */
export interface WireRule {
  attribute: string;
  name: string;
  rule_type: RuleType;
  description: string;
  definition: string;
  severity: Severity;
  rationale: string;
  confidence: number;
}

/** Confidence per rule; all below the 0.85 auto-approval threshold. */
export const RULE_CONFIDENCE = {
  notNullMandatory: 0.8,
  notNullPopulated: 0.7,
  unique: 0.8,
  notFutureDate: 0.7,
  allowedValues: 0.6,
  pattern: 0.6,
  range: 0.5,
} as const;

export const MAX_ALLOWED_VALUES = 10;

const isDate = (a: AttributeView) => a.data_type === "date" || a.data_type === "datetime";

function rulesFor(a: AttributeView, today: string): WireRule[] {
  const { column } = a;
  const col = a.source.column;
  const rules: WireRule[] = [];
  const critical = a.is_cde || a.is_primary_key;
  const add = (
    name: string,
    rule_type: RuleType,
    definition: object,
    severity: Severity,
    confidence: number,
    description: string,
    rationale: string,
  ) =>
    rules.push({
      attribute: a.name,
      name,
      rule_type,
      description,
      definition: JSON.stringify(definition),
      severity,
      rationale,
      confidence,
    });
  // Presence rules weigh more than value-shape rules; both weigh more on critical attributes.
  const presenceSeverity: Severity = critical ? "high" : "medium";
  const valueSeverity: Severity = critical ? "medium" : "low";
  const populated = a.row_count > 0 && column.null_count === 0;

  if (a.is_mandatory || populated) {
    add(
      "not_null",
      "completeness",
      define.notNull(col),
      presenceSeverity,
      a.is_mandatory ? RULE_CONFIDENCE.notNullMandatory : RULE_CONFIDENCE.notNullPopulated,
      `${a.name} is always present.`,
      a.is_mandatory ? "the attribute is mandatory" : `no nulls in ${a.row_count} rows`,
    );
  }

  const keyLike = a.is_primary_key || isKeyLike(col);
  const uniqueKey = populated && column.distinct_count === a.row_count && isKeyLike(col);
  if (a.is_primary_key || uniqueKey) {
    add(
      "unique",
      "uniqueness",
      define.unique(col),
      "high",
      RULE_CONFIDENCE.unique,
      `${a.name} identifies one row.`,
      a.is_primary_key ? "the attribute is a primary key" : "key-like name, every value distinct",
    );
  }

  const examples = column.example_values;
  const knownValues = examples !== undefined && new Set(examples).size === column.distinct_count;
  // A code list: few values that repeat across rows, every one of them seen; never a key.
  const codeList =
    column.distinct_count >= 1 && column.distinct_count <= MAX_ALLOWED_VALUES && column.distinct_count < a.row_count;
  const enumerable = a.data_type === "string" || a.data_type === "text" || a.data_type === "integer";
  const allowed = enumerable && codeList && knownValues && !keyLike;
  if (allowed) {
    const values = [...new Set(examples)].sort((x, y) => String(x).localeCompare(String(y))) as ScalarValue[];
    add(
      "allowed_values",
      "validity",
      define.allowedValues(col, values),
      valueSeverity,
      RULE_CONFIDENCE.allowedValues,
      `${a.name} is one of ${values.join(", ")}.`,
      `${column.distinct_count} distinct values, all observed`,
    );
  }

  if (!allowed && (a.data_type === "string" || a.data_type === "text") && examples) {
    const pattern = detectPattern(examples.filter((v): v is string => typeof v === "string"));
    if (pattern) {
      add(
        "pattern",
        "validity",
        define.regex(col, pattern),
        valueSeverity,
        RULE_CONFIDENCE.pattern,
        `${a.name} matches ${pattern}.`,
        `every observed value has the shape ${pattern}`,
      );
    }
  }

  const { min, max } = column;
  const numeric = a.data_type === "integer" || a.data_type === "decimal";
  if (numeric && !keyLike && typeof min === "number" && typeof max === "number") {
    add(
      "range",
      "validity",
      define.range(col, min, max),
      valueSeverity,
      RULE_CONFIDENCE.range,
      `${a.name} is between ${min} and ${max}.`,
      "observed bounds",
    );
  }
  if (isDate(a) && typeof min === "string" && typeof max === "string") {
    add(
      "range",
      "validity",
      define.dateRange(col, min, max),
      valueSeverity,
      RULE_CONFIDENCE.range,
      `${a.name} is between ${min} and ${max}.`,
      "observed bounds",
    );
  }

  const futureSeen = typeof max === "string" && max.slice(0, 10) > today;
  if (isDate(a) && !expectsFutureDates(col) && !futureSeen) {
    add(
      "not_future",
      "validity",
      define.notFutureDate(col),
      valueSeverity,
      RULE_CONFIDENCE.notFutureDate,
      `${a.name} is not in the future.`,
      "a date that records something that happened",
    );
  }
  return rules;
}

/** Rules for each attribute of the view, by the rules documented in docs/llm.md. */
export function proposeRules(view: ProfilingView, today: string): WireRule[] {
  return view.attributes.flatMap((a) => rulesFor(a, today));
}
