import type { CallOptions, Generation } from "./generation.ts";
import type { AttributeProposal } from "./schemas/attributes.ts";
import type { RuleProposal } from "./schemas/rules.ts";
import type { ScopingRecommendation } from "./schemas/scoping.ts";
import type { AttributeBatch, RuleBatch, ScopingBatch } from "./types.ts";

/** A source of proposals: a remote model or the offline heuristic, recorded and validated alike. */
export interface LlmProvider {
  readonly name: string;
  readonly model: string;
  proposeAttributes<Tx>(
    batch: AttributeBatch,
    options: CallOptions<AttributeProposal[], Tx>,
  ): Promise<Generation<AttributeProposal[]>>;
  proposeRules<Tx>(batch: RuleBatch, options: CallOptions<RuleProposal[], Tx>): Promise<Generation<RuleProposal[]>>;
  recommendScoping<Tx>(
    batch: ScopingBatch,
    options: CallOptions<ScopingRecommendation[], Tx>,
  ): Promise<Generation<ScopingRecommendation[]>>;
}
