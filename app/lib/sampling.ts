/** Sample selection's words, shared by the server and the page: methods and lineage. */
import type { Stamp } from "./format";

export const samplingMethods = [
  ["simple_random", "Simple random"],
  ["systematic", "Systematic, random start"],
  ["stratified", "Stratified"],
  ["monetary_unit", "Monetary unit"],
  ["targeted", "Targeted (profiling exceptions)"],
  ["judgmental", "Judgmental (picked by hand)"],
] as const;
export type SamplingMethod = (typeof samplingMethods)[number][0];
export const methodLabel = (method: string): string => samplingMethods.find(([m]) => m === method)?.[1] ?? method;

/** What lineageOf needs of a sample. */
export interface LineageOf {
  source: string;
  carriedFromVersion: number | null;
  owner: Stamp;
  recommendedBy: string | null;
}

/** Lineage in words: "carried from version 1, approved by Olivia Owner", "requested by …", "drawn by …". */
export function lineageOf(sample: LineageOf): string {
  if (sample.source === "carried_forward") {
    const from = sample.carriedFromVersion ? `version ${sample.carriedFromVersion}` : "an earlier version";
    return `carried from ${from}${sample.owner.by ? `, approved by ${sample.owner.by}` : ""}`;
  }
  const by = sample.recommendedBy ? ` by ${sample.recommendedBy}` : "";
  if (sample.source === "manual") return `added${by}`;
  if (sample.source === "llm") return `proposed by the LLM`;
  return `drawn${by}`;
}

/**
 * The methods a database population is drawn by, in its own database (decision 037); the others need an upload.
 */
export const DATABASE_METHODS: readonly string[] = ["simple_random", "stratified"];

/** Populations from this many rows are drawn as a background job by default: the API answers within 8 seconds. */
export const BACKGROUND_DRAW_ROWS = 5_000_000;
