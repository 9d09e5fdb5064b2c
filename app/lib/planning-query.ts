import { z } from "zod";

/** Attributes per page of the attributes table; large versions (thousands) are paged on the server. */
export const attributePageSize = 100;

export const sortableColumns = {
  name: "Name",
  data_type: "Data type",
  information_security_classification: "Classification",
  item_status: "Status",
  created_at: "Added",
} as const;
export type SortColumn = keyof typeof sortableColumns;

export const itemStatuses = ["pending", "approved", "rejected"] as const;
export const classifications = ["public", "internal", "confidential", "restricted"] as const;
export const dataTypes = ["string", "integer", "decimal", "boolean", "date", "datetime", "text"] as const;
export const flags = { cde: "CDE", pk: "Primary key", mandatory: "Mandatory" } as const;
export type Flag = keyof typeof flags;

const flag = z
  .enum(["1", "on", "true"])
  .optional()
  .catch(undefined)
  .transform((v) => v !== undefined);

const querySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(itemStatuses).optional().catch(undefined),
  security: z.enum(classifications).optional().catch(undefined),
  cde: flag,
  pk: flag,
  mandatory: flag,
  sort: z
    .enum(Object.keys(sortableColumns) as [SortColumn, ...SortColumn[]])
    .optional()
    .catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

/** What the attributes table shows: filters, order and page, all carried in the page's address. */
export interface AttributeQuery {
  q: string;
  status: (typeof itemStatuses)[number] | null;
  security: (typeof classifications)[number] | null;
  cde: boolean;
  pk: boolean;
  mandatory: boolean;
  sort: SortColumn;
  dir: "asc" | "desc";
  page: number;
}

/** Reads the table's state from search params; anything unrecognised falls back to the default. */
export function parseAttributeQuery(params: URLSearchParams): AttributeQuery {
  const parsed = querySchema.parse(Object.fromEntries(params));
  return {
    q: parsed.q ?? "",
    status: parsed.status ?? null,
    security: parsed.security ?? null,
    cde: parsed.cde,
    pk: parsed.pk,
    mandatory: parsed.mandatory,
    sort: parsed.sort ?? "name",
    dir: parsed.dir ?? "asc",
    page: parsed.page ?? 1,
  };
}

/** A `LIKE` pattern matching `text` anywhere, with the user's `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The page's address with some search params changed (null removes one). */
export function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "?";
}
