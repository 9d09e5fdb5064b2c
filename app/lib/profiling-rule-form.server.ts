import { z } from "zod";

/** The rule kinds the manual form offers; the rest of the language comes from generation or the API. */
export const formKinds = ["not_null", "range", "allowed_values", "regex", "unique"] as const;
export type FormKind = (typeof formKinds)[number];

const optionalNumber = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : Number(value)))
  .refine((value) => value === undefined || Number.isFinite(value), "Bounds must be numbers.");

export const ruleForm = z.object({
  version_id: z.string().uuid(),
  attribute_id: z.string().uuid("Choose an attribute."),
  name: z.string().trim().min(1, "Give the rule a name."),
  rule_type: z.enum(["completeness", "validity", "accuracy", "consistency", "uniqueness"]),
  severity: z.enum(["low", "medium", "high"]),
  kind: z.enum(formKinds),
  min: optionalNumber.default(""),
  max: optionalNumber.default(""),
  values: z.string().default(""),
  pattern: z.string().default(""),
  case_insensitive: z.literal("on").optional(),
});
export type RuleForm = z.infer<typeof ruleForm>;

const NUMERIC_TYPE = /^(smallint|integer|bigint|int\d?|numeric|decimal|real|double precision|float\d?)\b/i;

function typedValue(value: string, columnType: string): string | number | boolean {
  if (NUMERIC_TYPE.test(columnType) && value !== "" && Number.isFinite(Number(value))) return Number(value);
  if (/^bool/i.test(columnType) && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

/**
 * The rule-language definition a submitted form describes, checking the attribute's column. Whether it is
 * valid and fits the data source is the database's call, so its refusal reaches the user word for word;
 * only what the form itself cannot express (e.g. no values at all) is left for the database to refuse too.
 */
export function definitionFromForm(form: RuleForm, column: string, columnType: string): Record<string, unknown> {
  switch (form.kind) {
    case "not_null":
      return { kind: "not_null", column };
    case "unique":
      return { kind: "unique", columns: [column] };
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
        ...(form.min !== undefined ? { min: form.min } : {}),
        ...(form.max !== undefined ? { max: form.max } : {}),
      };
    case "allowed_values":
      return {
        kind: "allowed_values",
        column,
        values: form.values
          .split(/[,\n]/)
          .map((v) => v.trim())
          .filter((v) => v !== "")
          .map((v) => typedValue(v, columnType)),
      };
  }
}
