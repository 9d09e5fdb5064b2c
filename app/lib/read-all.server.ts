/**
 * The REST API caps every response at `[api] max_rows` rows (supabase/config.toml; 1,000, as on hosted
 * Supabase), silently: a read that can exceed it must be paged. The page size must not exceed that cap.
 */
export const readPageSize = 1000;

type Page<T> = (from: number, to: number) => PromiseLike<{ data: T[] | null; error: unknown }>;

/**
 * Every row of a read, page by page: `page(from, to)` is the query with `.range(from, to)` applied. The query
 * must be ordered by a unique key (end the order with the primary key), or rows can be skipped or repeated
 * between pages.
 */
export async function readAll<T>(what: string, page: Page<T>): Promise<T[]> {
  const rows: T[] = [];
  for (let from = 0; ; from += readPageSize) {
    const { data, error } = await page(from, from + readPageSize - 1);
    if (error) throw new Error(`${what} failed: ${(error as { message?: string }).message}`);
    rows.push(...(data ?? []));
    if (!data || data.length < readPageSize) return rows;
  }
}
