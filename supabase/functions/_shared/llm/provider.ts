import type { CallOptions, Generation } from "./generation.ts";
import type { AttributeProposal } from "./schemas/attributes.ts";
import type { DefinitionCheck, RuleProposal } from "./schemas/rules.ts";
import type { AttributeBatch, RuleBatch } from "./types.ts";

export interface RuleCallOptions<Tx> extends CallOptions<RuleProposal[], Tx> {
  /** The rule language's validator; a definition it refuses fails the whole batch. */
  check: DefinitionCheck;
}

/** A source of proposals: a remote model or the offline heuristic, recorded and validated alike. */
export interface LlmProvider {
  readonly name: string;
  readonly model: string;
  proposeAttributes<Tx>(
    batch: AttributeBatch,
    options: CallOptions<AttributeProposal[], Tx>,
  ): Promise<Generation<AttributeProposal[]>>;
  proposeRules<Tx>(batch: RuleBatch, options: RuleCallOptions<Tx>): Promise<Generation<RuleProposal[]>>;
}
