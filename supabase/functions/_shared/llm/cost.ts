export interface Prices {
  priceInputPerMTok: number;
  priceOutputPerMTok: number;
}

/** USD for one call from its token usage and the configured prices per million tokens. */
export function costUsd(inputTokens: number, outputTokens: number, prices: Prices): number {
  const usd = (inputTokens * prices.priceInputPerMTok + outputTokens * prices.priceOutputPerMTok) / 1_000_000;
  // Ten decimals keeps a single cheap token visible while dropping floating-point noise.
  return Math.round(usd * 1e10) / 1e10;
}
