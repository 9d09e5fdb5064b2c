// The rule form: one zod schema, read by the browser (errors beside their fields before anything is sent, the
// definition previewed in words) and by the server (the same errors, then the database's verdict on the rule).
// Every kind of the rule language (docs/rule-language.md) has its fields; the form's values map to a definition
// and a definition back to the form's values, so a proposed rule is edited in the same form.
import { z } from "zod";
import {
  COMPARISON_OPERATORS,
  isIsoDate,
  type RuleDefinition,
} from "../../supabase/functions/_shared/rules/definition";
import { describeRule } from "../../supabase/functions/_shared/rules/describe";
import { expressionText } from "../../supabase/functions/_shared/rules/expression-sql";
import type { ExprNode } from "../../supabase/functions/_shared/rules/expression-ast";

export const ruleKinds = [
  { value: "not_null", label: "Value present (not null)" },
  { value: "not_blank", label: "Not blank (no empty or only-space text)" },
  { value: "range", label: "Number within a range" },
  { value: "date_range", label: "Date within a range" },
  { value: "not_future_date", label: "Date not in the future" },
  { value: "length", label: "Text length within bounds" },
  { value: "allowed_values", label: "One of a list of values" },
  { value: "regex", label: "Matches a pattern" },
  { value: "unique", label: "Unique" },
  { value: "compare_columns", label: "Compared with another column" },
  { value: "expression", label: "A condition (expression)" },
] as const;
export type RuleKind = (typeof ruleKinds)[number]["value"];
const kindValues = ruleKinds.map((k) => k.value) as [RuleKind, ...RuleKind[]];

export const ruleTypes = ["completeness", "validity", "accuracy", "consistency", "uniqueness"] as const;
export const severities = ["low", "medium", "high"] as const;
export const operators = COMPARISON_OPERATORS;

/** Which of the form's fields each kind reads; the others are ignored (they show without JavaScript). */
export const kindFields: Record<RuleKind, readonly string[]> = {
  not_null: [],
  not_blank: [],
  range: ["min", "max", "min_exclusive", "max_exclusive"],
  date_range: ["min_date", "max_date"],
  not_future_date: [],
  length: ["min_length", "max_length"],
  allowed_values: ["values"],
  regex: ["pattern", "case_insensitive"],
  unique: ["unique_with"],
  compare_columns: ["operator", "right_column"],
  expression: ["expression"],
};

// A checked box posts "on"; values built in code may say true or false.
const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.boolean()])
  .optional()
  .transform((v) => v === true || v === "on" || v === "true");
const text = z.string().trim().default("");

export const ruleForm = z
  .object({
    version_id: z.string().uuid(),
    /** Set when a rule of the draft is edited. */
    item_id: z.string().uuid().optional(),
    attribute_id: z.string().uuid("Choose an attribute."),
    name: z.string().trim().min(1, "Give the rule a name.").max(255, "Keep the name within 255 characters."),
    rule_type: z.enum(ruleTypes),
    severity: z.enum(severities),
    kind: z.enum(kindValues),
    min: text,
    max: text,
    min_exclusive: checkbox,
    max_exclusive: checkbox,
    min_date: text,
    max_date: text,
    min_length: text,
    max_length: text,
    values: z.string().default(""),
    pattern: z.string().default(""),
    case_insensitive: checkbox,
    unique_with: z.array(z.string()).default([]),
    operator: z.enum(COMPARISON_OPERATORS).default("="),
    right_column: text,
    expression: text,
  })
  .superRefine((form, ctx) => {
    const say = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const bounds = (lo: string, hi: string, ok: (v: string) => boolean, message: string, none: string) => {
      if (form[lo as "min"] === "" && form[hi as "max"] === "") say(lo, none);
      for (const field of [lo, hi]) {
        const value = form[field as "min"];
        if (value !== "" && !ok(value)) say(field, message);
      }
    };
    switch (form.kind) {
      case "range":
        bounds(
          "min",
          "max",
          (v) => Number.isFinite(Number(v)),
          "Write a number, e.g. 0 or 1250.5.",
          "Give a minimum, a maximum or both.",
        );
        break;
      case "date_range":
        bounds(
          "min_date",
          "max_date",
          isIsoDate,
          "Write a date that exists as YYYY-MM-DD, e.g. 2026-12-31.",
          "Give an earliest date, a latest date or both.",
        );
        break;
      case "length":
        bounds(
          "min_length",
          "max_length",
          (v) => /^\d{1,10}$/.test(v),
          "Write a whole number of characters, e.g. 3.",
          "Give a shortest length, a longest length or both.",
        );
        break;
      case "allowed_values":
        if (!listOf(form.values).length) say("values", "List at least one value, separated by commas.");
        break;
      case "regex":
        if (!form.pattern.trim()) say("pattern", "Write the pattern the values must match.");
        break;
      case "compare_columns":
        if (!form.right_column) say("right_column", "Choose the column to compare with.");
        break;
      case "expression":
        if (!form.expression) say("expression", "Write the condition rows must meet, e.g. amount >= 0.");
        break;
    }
  });
export type RuleForm = z.infer<typeof ruleForm>;

/** The rule form's id (posted as form_id): "add-rule", or "rule-<id>" for a rule of the draft being edited. */
export const ruleFormId = (ruleId?: string) => (ruleId ? `rule-${ruleId}` : "add-rule");

/** The form's values as the schema reads them; repeated fields (the unique rule's other columns) as a list. */
export function ruleFormValues(form: FormData): Record<string, unknown> {
  return { ...Object.fromEntries(form), unique_with: form.getAll("unique_with").map(String) };
}

/** Field errors: each field's first problem, keyed by the field's name. */
export { type FieldErrors, fieldErrorsOf } from "./forms";

function listOf(values: string): string[] {
  return values
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

const NUMERIC_TYPE = /^(smallint|integer|bigint|int\d?|numeric|decimal|real|double precision|float\d?)\b/i;

function typedValue(value: string, columnType: string): string | number | boolean {
  if (NUMERIC_TYPE.test(columnType) && value !== "" && Number.isFinite(Number(value))) return Number(value);
  if (/^bool/i.test(columnType) && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
const numberOr = (v: string) => (v === "" ? undefined : Number(v));
const stringOr = (v: string) => (v === "" ? undefined : v);

/**
 * The rule-language definition a (valid) form describes, on the attribute's column. An expression is given as
 * its text here (`expression_text`): parsing it takes PostgreSQL's parser, on the server (parseExpression).
 * Whether the definition is valid and fits the data source is the database's call, so its refusal reaches the
 * user word for word.
 */
export function definitionFromForm(form: RuleForm, column: string, columnType: string): Record<string, unknown> {
  switch (form.kind) {
    case "not_null":
    case "not_blank":
    case "not_future_date":
      return { kind: form.kind, column };
    case "unique":
      return { kind: "unique", columns: [column, ...form.unique_with.filter((c) => c && c !== column)] };
    case "regex":
      return {
        kind: "regex",
        column,
        pattern: form.pattern,
        ...(form.case_insensitive ? { case_insensitive: true } : {}),
      };
    case "range":
      return {
        kind: "range",
        column,
        ...optional("min", numberOr(form.min)),
        ...optional("max", numberOr(form.max)),
        ...(form.min_exclusive && form.min !== "" ? { min_inclusive: false } : {}),
        ...(form.max_exclusive && form.max !== "" ? { max_inclusive: false } : {}),
      };
    case "date_range":
      return {
        kind: "date_range",
        column,
        ...optional("min", stringOr(form.min_date)),
        ...optional("max", stringOr(form.max_date)),
      };
    case "length":
      return {
        kind: "length",
        column,
        ...optional("min", numberOr(form.min_length)),
        ...optional("max", numberOr(form.max_length)),
      };
    case "allowed_values":
      return { kind: "allowed_values", column, values: listOf(form.values).map((v) => typedValue(v, columnType)) };
    case "compare_columns":
      return { kind: "compare_columns", left: column, operator: form.operator, right: form.right_column };
    case "expression":
      return { kind: "expression", expression_text: form.expression };
  }
}

/** A rule's form values: its definition back in the form's fields, to edit it. */
export function formOfDefinition(definition: unknown, column: string): Record<string, string | string[] | boolean> {
  const d = (definition ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  const kind = String(d.kind ?? "not_null");
  switch (kind) {
    case "range":
      return {
        kind,
        min: s(d.min),
        max: s(d.max),
        min_exclusive: d.min_inclusive === false,
        max_exclusive: d.max_inclusive === false,
      };
    case "date_range":
      return { kind, min_date: s(d.min), max_date: s(d.max) };
    case "length":
      return { kind, min_length: s(d.min), max_length: s(d.max) };
    case "allowed_values":
      return { kind, values: ((d.values as unknown[]) ?? []).map(s).join(", ") };
    case "regex":
      return { kind, pattern: s(d.pattern), case_insensitive: d.case_insensitive === true };
    case "unique":
      return { kind, unique_with: ((d.columns as string[]) ?? []).filter((c) => c !== column) };
    case "compare_columns":
      return { kind, operator: s(d.operator) || "=", right_column: s(d.right) };
    case "expression":
      return { kind, expression: d.expression ? expressionText(d.expression as ExprNode) : "" };
    default:
      return { kind };
  }
}

const PREVIEW_ID = "00000000-0000-4000-8000-000000000000";

/**
 * The definition the form's current values describe, in words ("amount between 0 and 100"), for the preview
 * beside the form; null while the kind's fields are incomplete or invalid. An expression is shown as written:
 * it is parsed on the server.
 */
export function previewRule(values: Record<string, unknown>, column: string, columnType: string): string | null {
  const parsed = ruleForm.safeParse({ ...values, version_id: PREVIEW_ID, attribute_id: PREVIEW_ID, name: "preview" });
  if (!parsed.success) return null;
  const definition = definitionFromForm(parsed.data, column, columnType);
  if (definition.kind === "expression") return String(definition.expression_text);
  try {
    return describeRule(definition as RuleDefinition);
  } catch {
    return null;
  }
}
