import { HEURISTIC_MODEL, HEURISTIC_PROVIDER } from "../config.ts";
import { generate, validateWith, type Answer, type CallOptions } from "../generation.ts";
import { planningView, profilingView, scopingView } from "../prompts/views.ts";
import type { LlmProvider } from "../provider.ts";
import { attributesOutputSchema, type AttributeProposal } from "../schemas/attributes.ts";
import { rulesOutputSchema, type RuleProposal } from "../schemas/rules.ts";
import { scopingOutputSchema, type ScopingRecommendation } from "../schemas/scoping.ts";
import type { AttributeBatch, RuleBatch, ScopingBatch } from "../types.ts";
import { proposeAttributes } from "./attributes.ts";
import { proposeRules } from "./rules.ts";
import { recommendScoping } from "./scoping.ts";

const FREE = { priceInputPerMTok: 0, priceOutputPerMTok: 0 };
const ONCE = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

const answer = (output: unknown): Answer => ({
  content: JSON.stringify(output),
  inputTokens: 0,
  outputTokens: 0,
  finishReason: "stop",
});

/**
 * The offline provider: proposals derived by fixed rules from a privacy-filtered view, recorded and validated
 * exactly like a model's answer (zero tokens, zero cost). It sends nothing anywhere, so at planning time it may
 * read values of unclassified columns that look harmless (a remote model is shown none); otherwise it sees
 * what a remote model would.
 */
export class HeuristicProvider implements LlmProvider {
  readonly name = HEURISTIC_PROVIDER;
  readonly model = HEURISTIC_MODEL;

  /** `today` (YYYY-MM-DD) decides which dates lie in the future; fixed in tests. */
  constructor(private readonly today: () => string = () => new Date().toISOString().slice(0, 10)) {}

  proposeAttributes<Tx>(batch: AttributeBatch, options: CallOptions<AttributeProposal[], Tx>) {
    const view = planningView(batch, "local");
    return generate(
      {
        purpose: "planning_attributes",
        provider: this.name,
        model: this.model,
        request: { input: view },
        prices: FREE,
        retry: ONCE,
        perform: async () => answer({ attributes: proposeAttributes(view) }),
        validate: validateWith(attributesOutputSchema(batch).transform((o) => o.attributes)),
      },
      options,
    );
  }

  proposeRules<Tx>(batch: RuleBatch, options: CallOptions<RuleProposal[], Tx>) {
    const view = profilingView(batch);
    const today = this.today();
    return generate(
      {
        purpose: "profiling_rules",
        provider: this.name,
        model: this.model,
        request: { input: view, today },
        prices: FREE,
        retry: ONCE,
        perform: async () => answer({ rules: await proposeRules(view, today, batch.probe) }),
        validate: validateWith(rulesOutputSchema(batch)),
      },
      options,
    );
  }

  recommendScoping<Tx>(batch: ScopingBatch, options: CallOptions<ScopingRecommendation[], Tx>) {
    const view = scopingView(batch);
    return generate(
      {
        purpose: "scoping_recommendations",
        provider: this.name,
        model: this.model,
        request: { input: view },
        prices: FREE,
        retry: ONCE,
        perform: async () => answer({ recommendations: recommendScoping(batch.attributes) }),
        validate: validateWith(scopingOutputSchema(batch)),
      },
      options,
    );
  }
}
