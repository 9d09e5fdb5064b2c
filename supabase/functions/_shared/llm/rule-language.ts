import { definitionColumnErrors, type ColumnInfo } from "../rules/columns.ts";
import { checkRuleDefinition, type RuleDefinition } from "../rules/definition.ts";
import { parseExpression } from "../rules/parse-expression.ts";

export type CheckedDefinition = { ok: true; definition: RuleDefinition } | { ok: false; reason: string };

/**
 * A proposed definition through the same checks as a rule written by hand: structure, then columns of the
 * table. A model may write an `expression` rule as text (`{kind: "expression", text}`): PostgreSQL's parser
 * turns it into the stored form, refusing anything outside the allow-lists.
 */
export async function checkProposedDefinition(value: unknown, columns: ColumnInfo[]): Promise<CheckedDefinition> {
  let candidate = value;
  const { kind, text, ...rest } = value as { kind?: unknown; text?: unknown };
  if (kind === "expression" && typeof text === "string" && Object.keys(rest).length === 0) {
    const parsed = await parseExpression(text);
    if (!parsed.ok) return { ok: false, reason: parsed.errors.join("; ") };
    candidate = { kind, expression: parsed.ast };
  }
  const checked = checkRuleDefinition(candidate);
  if (!checked.ok) return { ok: false, reason: checked.errors.join("; ") };
  const errors = definitionColumnErrors(checked.definition, columns);
  return errors.length > 0 ? { ok: false, reason: errors.join("; ") } : checked;
}
