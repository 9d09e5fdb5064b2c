import type { ScalarValue } from "../types.ts";

/*
 * Rule definitions written by the offline provider, in the profiling rule language. They pass the same
 * validator as any other rule before they are stored.
 */

export const notNull = (column: string) => ({ kind: "not_null", column });
export const notBlank = (column: string) => ({ kind: "not_blank", column });
export const unique = (column: string) => ({ kind: "unique", columns: [column] });
export const allowedValues = (column: string, values: ScalarValue[]) => ({ kind: "allowed_values", column, values });
export const regex = (column: string, pattern: string) => ({ kind: "regex", column, pattern });
export const range = (column: string, min: number, max: number) => ({ kind: "range", column, min, max });
export const dateRange = (column: string, min: string, max: string) => ({ kind: "date_range", column, min, max });
export const notFutureDate = (column: string) => ({ kind: "not_future_date", column });
