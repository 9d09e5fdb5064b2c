/** Who proposed a generated item (attribute or rule), how confident it was, and why. */
export interface Proposal {
  provider: string;
  confidence: number | null;
  rationale: string | null;
}

/**
 * The proposal an item's llm_metadata records, or null for an item written by hand. Attributes keep their
 * confidence as confidence_score, rules as confidence.
 */
export function proposalOf(metadata: unknown, confidenceKey: "confidence" | "confidence_score"): Proposal | null {
  if (!metadata || typeof metadata !== "object") return null;
  const { provider, rationale, [confidenceKey]: confidence } = metadata as Record<string, unknown>;
  if (typeof provider !== "string") return null;
  return {
    provider,
    confidence: typeof confidence === "number" ? confidence : null,
    rationale: typeof rationale === "string" ? rationale : null,
  };
}
