import type { ApprovedAttribute, AttributeBatch, DataSourceProfile, GenerationContext, RuleBatch } from "../types.ts";

export const DEFAULT_BATCH_SIZE = 20;

/** Splits the columns of several data sources into batches of at most `size` columns (one call each). */
export function batchColumns(
  dataSources: DataSourceProfile[],
  context: GenerationContext,
  size = DEFAULT_BATCH_SIZE,
): AttributeBatch[] {
  const batches: AttributeBatch[] = [];
  let current: DataSourceProfile[] = [];
  let count = 0;
  for (const source of dataSources) {
    for (let i = 0; i < source.columns.length;) {
      const take = Math.min(size - count, source.columns.length - i);
      current.push({ ...source, columns: source.columns.slice(i, i + take) });
      count += take;
      i += take;
      if (count === size) {
        batches.push({ ...context, dataSources: current });
        current = [];
        count = 0;
      }
    }
  }
  if (count > 0) batches.push({ ...context, dataSources: current });
  return batches;
}

/** Splits approved attributes into batches of at most `size` (one call each). */
export function batchAttributes(
  attributes: ApprovedAttribute[],
  context: GenerationContext,
  size = DEFAULT_BATCH_SIZE,
): RuleBatch[] {
  const batches: RuleBatch[] = [];
  for (let i = 0; i < attributes.length; i += size)
    batches.push({ ...context, attributes: attributes.slice(i, i + size) });
  return batches;
}
