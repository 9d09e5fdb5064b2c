import type { DefinitionCheck } from "../../../supabase/functions/_shared/llm/schemas/rules.ts";

const KINDS = new Set(["not_null", "unique", "allowed_values", "regex", "range", "date_range", "not_future_date"]);

/**
 * A stand-in for the rule language's validator: accepts only the kinds the offline provider writes, on
 * columns of the attribute's table. The product passes the real validator in its place.
 */
export const checkDefinition: DefinitionCheck = (definition, { columns }) => {
  const { kind, column } = definition as { kind?: unknown; column?: unknown; columns?: unknown };
  if (typeof kind !== "string" || !KINDS.has(kind)) return { ok: false, reason: `unknown rule kind ${String(kind)}` };
  const named = (definition as { columns?: unknown }).columns ?? [column];
  if (!Array.isArray(named) || !named.every((c) => typeof c === "string" && columns.includes(c))) {
    return { ok: false, reason: `unknown column in ${JSON.stringify(named)}` };
  }
  return { ok: true, definition };
};
