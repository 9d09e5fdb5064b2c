import { z } from "zod";
import type { RuleDefinition } from "../../rules/definition.ts";
import { checkProposedDefinition } from "../rule-language.ts";
import { RULE_TYPES, SEVERITIES, type RuleBatch } from "../types.ts";
import { array, confidence, enumeration, label, number, object, string, text, type ResponseFormat } from "./common.ts";

const MAX_DEFINITION_CHARS = 4000;
const MAX_DEFINITION_DEPTH = 8;
const MAX_RULES_PER_ATTRIBUTE = 10;

const depth = (value: unknown): number =>
  value !== null && typeof value === "object"
    ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depth))
    : 0;

/** Parses the definition's JSON text and applies the size guards that hold whatever the rule language. */
function parseDefinition(source: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (source.length > MAX_DEFINITION_CHARS)
    return { ok: false, reason: `longer than ${MAX_DEFINITION_CHARS} characters` };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return { ok: false, reason: "not valid JSON" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { ok: false, reason: "not a JSON object" };
  if (depth(value) > MAX_DEFINITION_DEPTH)
    return { ok: false, reason: `nested deeper than ${MAX_DEFINITION_DEPTH} levels` };
  return { ok: true, value };
}

const ruleSchema = z
  .object({
    attribute: z.string().min(1).max(100),
    name: label(100),
    rule_type: z.enum(RULE_TYPES),
    description: text(1000),
    // JSON text on the wire: strict structured output cannot carry an open-ended object.
    definition: z.string(),
    severity: z.enum(SEVERITIES),
    rationale: text(1000),
    confidence,
  })
  .strict();

export type RuleProposal = Omit<z.infer<typeof ruleSchema>, "definition"> & { definition: RuleDefinition };

/**
 * The output schema for one batch: the shape above, every rule on an attribute of the batch, names unique per
 * attribute, and each definition accepted by the rule language (and stored in its checked form).
 * Asynchronous: expressions written as text go through PostgreSQL's parser.
 */
export function rulesOutputSchema(batch: RuleBatch) {
  const attributes = new Map(batch.attributes.map((a) => [a.name, a]));
  return z
    .object({ rules: z.array(ruleSchema).max(Math.max(1, batch.attributes.length * MAX_RULES_PER_ATTRIBUTE)) })
    .strict()
    .transform(async ({ rules }, ctx): Promise<RuleProposal[]> => {
      // Definitions are checked concurrently; issues are then reported in rule order.
      const definitions = await Promise.all(
        rules.map((rule) => {
          const attribute = attributes.get(rule.attribute);
          const parsed = parseDefinition(rule.definition);
          if (!attribute || !parsed.ok) return parsed.ok ? undefined : parsed;
          return checkProposedDefinition(parsed.value, attribute.tableColumns);
        }),
      );
      const names = new Set<string>();
      return rules.map((rule, i) => {
        const issue = (field: string, message: string) =>
          ctx.addIssue({ code: "custom", path: ["rules", i, field], message });
        if (!attributes.has(rule.attribute)) issue("attribute", `unknown attribute ${rule.attribute}`);
        const key = `${rule.attribute}\u0000${rule.name.toLowerCase()}`;
        if (names.has(key)) issue("name", "duplicate name");
        names.add(key);
        const checked = definitions[i];
        if (checked && !checked.ok) issue("definition", checked.reason);
        // On any issue zod discards the result, so the placeholder never escapes.
        return { ...rule, definition: (checked?.ok ? checked.definition : null) as RuleDefinition };
      });
    });
}

/** JSON Schema of the same shape, for `response_format` (strict structured output). */
export const rulesResponseFormat: ResponseFormat = {
  name: "profiling_rules",
  schema: object({
    rules: array(
      object({
        attribute: string("the attribute's name, exactly as given"),
        name: string("unique per attribute, at most 100 characters"),
        rule_type: enumeration(RULE_TYPES),
        description: string("at most 1000 characters"),
        definition: string("the rule as a JSON object in the rule language, serialised as a string"),
        severity: enumeration(SEVERITIES),
        rationale: string("at most 1000 characters"),
        confidence: number("0 to 1"),
      }),
    ),
  }),
};
