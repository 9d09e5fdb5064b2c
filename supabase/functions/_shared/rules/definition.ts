// The rule language: one zod schema is the TypeScript source of truth; private.rule_definition_errors
// applies the same rules in the database (proved by the parity test over tests/rules/fixtures).
import { z } from "zod";
import {
  type ExprNode,
  expressionAstErrors,
  expressionRegexOperands,
  identifierErrors,
  nonLiteralPatternError,
  PREDICATE_OPERATORS,
} from "./expression-ast.ts";
import { regexPatternError } from "./regex-syntax.ts";

export const COMPARISON_OPERATORS = ["=", "<>", "<", "<=", ">", ">="] as const;
export const MAX_VALUES = 1000;
export const MAX_UNIQUE_COLUMNS = 10;
const MAX_LENGTH_BOUND = 1_000_000_000;
const DATE_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

const column = z.custom<string>().superRefine((value, ctx) => {
  for (const message of identifierErrors(value, "column")) ctx.addIssue({ code: "custom", message });
});

/** A calendar date written YYYY-MM-DD that exists (no 2023-02-30). */
export function isIsoDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const isoDate = z.string().refine(isIsoDate, "expected an existing date written YYYY-MM-DD");

function bounded<T extends { min?: number | string; max?: number | string }>(schema: z.ZodType<T>) {
  return schema
    .refine((r) => r.min !== undefined || r.max !== undefined, "give min, max or both")
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, "min must not exceed max");
}

const expression = z.custom<ExprNode>().superRefine((value, ctx) => {
  const errors = expressionAstErrors(value);
  for (const message of errors) ctx.addIssue({ code: "custom", message });
  if (errors.length > 0) return;
  if (!PREDICATE_OPERATORS.has((value as { op?: string }).op ?? "")) {
    ctx.addIssue({ code: "custom", message: "the expression must be a condition (true for rows that pass)" });
  }
  // Patterns are literals, so that they are checked (compiled, their cost bounded) when the rule is saved.
  for (const { op, pattern } of expressionRegexOperands(value)) {
    const error = pattern === null ? nonLiteralPatternError(op) : regexPatternError(pattern);
    if (error) ctx.addIssue({ code: "custom", message: error });
  }
});

/** A string of min to max characters, counted as PostgreSQL counts them (code points). */
const chars = (min: number, max: number) =>
  z.string().refine((s) => [...s].length >= min && [...s].length <= max, `expected ${min} to ${max} characters`);

/** A pattern PostgreSQL's regex compiler accepts, checked when the rule is saved rather than when it runs. */
const regexPattern = chars(1, 1000).superRefine((pattern, ctx) => {
  const error = regexPatternError(pattern);
  if (error) ctx.addIssue({ code: "custom", message: error });
});

const lengthBound = z.number().int().min(0).max(MAX_LENGTH_BOUND);

export const ruleDefinitionSchema = z.union([
  z.object({ kind: z.literal("not_null"), column }).strict(),
  z.object({ kind: z.literal("not_blank"), column }).strict(),
  z
    .object({ kind: z.literal("regex"), column, pattern: regexPattern, case_insensitive: z.boolean().optional() })
    .strict(),
  bounded(
    z.object({ kind: z.literal("length"), column, min: lengthBound.optional(), max: lengthBound.optional() }).strict(),
  ),
  bounded(
    z
      .object({
        kind: z.literal("range"),
        column,
        min: z.number().finite().optional(),
        max: z.number().finite().optional(),
        min_inclusive: z.boolean().optional(),
        max_inclusive: z.boolean().optional(),
      })
      .strict(),
  ),
  bounded(
    z.object({ kind: z.literal("date_range"), column, min: isoDate.optional(), max: isoDate.optional() }).strict(),
  ),
  z
    .object({
      kind: z.literal("allowed_values"),
      column,
      values: z
        .array(z.union([chars(0, 1000), z.number().finite(), z.boolean()]))
        .min(1)
        .max(MAX_VALUES),
    })
    .strict(),
  z
    .object({
      kind: z.literal("unique"),
      columns: z
        .array(column)
        .min(1)
        .max(MAX_UNIQUE_COLUMNS)
        .refine((cols) => new Set(cols).size === cols.length, "columns must be distinct"),
    })
    .strict(),
  z.object({ kind: z.literal("not_future_date"), column }).strict(),
  z
    .object({ kind: z.literal("compare_columns"), left: column, operator: z.enum(COMPARISON_OPERATORS), right: column })
    .strict()
    .refine((r) => r.left !== r.right, "compare two different columns"),
  z.object({ kind: z.literal("expression"), expression }).strict(),
]);

export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;
export type RuleKind = RuleDefinition["kind"];
export const RULE_KINDS: RuleKind[] = [
  "not_null",
  "not_blank",
  "regex",
  "length",
  "range",
  "date_range",
  "allowed_values",
  "unique",
  "not_future_date",
  "compare_columns",
  "expression",
];

export type DefinitionCheck = { ok: true; definition: RuleDefinition } | { ok: false; errors: string[] };

/** Validates a rule definition's structure (column existence is checked separately, against the table). */
export function checkRuleDefinition(value: unknown): DefinitionCheck {
  const kind = typeof value === "object" && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind !== "string" || !RULE_KINDS.includes(kind as RuleKind)) {
    return { ok: false, errors: [`kind: expected one of ${RULE_KINDS.join(", ")}`] };
  }
  // Validate against the member for this kind only, so messages speak about that kind.
  const member = ruleDefinitionSchema.options[RULE_KINDS.indexOf(kind as RuleKind)]!;
  const result = member.safeParse(value);
  if (result.success) return { ok: true, definition: result.data as RuleDefinition };
  return {
    ok: false,
    errors: result.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)),
  };
}
