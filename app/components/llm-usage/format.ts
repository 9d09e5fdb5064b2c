export const tokens = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));

/** Dollars with enough decimals to show what small calls cost. */
export const dollars = (n: number | null) =>
  n === null ? "—" : `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;

export const duration = (ms: number | null) =>
  ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
