import { dollars, tokens } from "~/components/llm-usage/format";
import type { GenerationResult } from "~/lib/generation.server";

const plural = (n: number, one: string, many: string) => `${tokens(n)} ${n === 1 ? one : many}`;

/** The items a generation job proposes, by the keys of its result's `proposed` counts. */
const items = {
  attributes: ["attribute", "attributes"],
  pde_mappings: ["PDE mapping", "PDE mappings"],
  rules: ["rule", "rules"],
  recommendations: ["recommendation", "recommendations"],
} as const;

export type ProposedItem = keyof typeof items;

const list = (parts: string[]) =>
  parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : (parts[0] ?? "");

/**
 * What a generation run proposed and what it cost, as the job reports it: the items proposed, the provider and
 * model, and the calls, tokens and cost of every attempt.
 */
export function GenerationSummary({ result, proposed }: { result: GenerationResult; proposed: ProposedItem[] }) {
  const counts = proposed.map((item) => plural(result.proposed[item] ?? 0, items[item][0], items[item][1]));
  return (
    <>
      Proposed {list(counts)} below · {result.provider} ({result.model}) · {plural(result.calls, "call", "calls")},{" "}
      {plural(result.inputTokens + result.outputTokens, "token", "tokens")}, {dollars(result.costUsd)}
    </>
  );
}
