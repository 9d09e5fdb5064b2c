import { nameTokens } from "../names.ts";
import type { DataType } from "../types.ts";

/** Declared or inferred column type → attribute data type (long strings become `text`). */
export function dataTypeOf(type: string, maxLength: number | null): DataType {
  const base = type
    .toLowerCase()
    .replace(/\(.*\)/, "")
    .trim();
  if (/^(int|integer|bigint|smallint|int2|int4|int8|serial|bigserial)$/.test(base)) return "integer";
  if (/^(numeric|decimal|real|double|double precision|float|float4|float8|money|number)$/.test(base)) return "decimal";
  if (/^bool(ean)?$/.test(base)) return "boolean";
  if (base === "date") return "date";
  if (/^(timestamp|timestamptz|datetime)/.test(base)) return "datetime";
  if (base === "text") return "text";
  return maxLength !== null && maxLength > 255 ? "text" : "string";
}

const KEY_WORDS = new Set(["id", "key", "uuid", "guid", "number", "no", "ref", "reference"]);

/** The name's last word marks an identifier: `id`, `loan_id`, `account_no`, `trade_ref`. */
export function isKeyLike(name: string): boolean {
  const tokens = nameTokens(name);
  return KEY_WORDS.has(tokens[tokens.length - 1] ?? "");
}

/** Words that make a column a critical data element: keys, amounts, rates and dates of an exposure. */
export const CDE_WORDS = [
  "id",
  "key",
  "amount",
  "amt",
  "balance",
  "principal",
  "exposure",
  "limit",
  "rate",
  "date",
  "dt",
  "maturity",
  "currency",
  "ccy",
] as const;

export function cdeWord(name: string): string | undefined {
  const tokens = new Set(nameTokens(name));
  return CDE_WORDS.find((word) => tokens.has(word));
}

const AMOUNT_WORDS = new Set(["amount", "amt", "balance", "principal", "exposure", "limit", "rate", "price", "fee"]);
const DATE_WORDS = new Set(["date", "dt", "time", "timestamp", "at", "on", "maturity"]);
const REFERENCE_WORDS = new Set(["code", "status", "type", "category", "flag", "class"]);

/** The data category a name suggests when no sensitive pattern matched. */
export function categoryOf(name: string, dataType: DataType): string {
  const tokens = nameTokens(name);
  if (isKeyLike(name)) return "identifier";
  if (tokens.some((t) => AMOUNT_WORDS.has(t))) return "financial_data";
  if (dataType === "date" || dataType === "datetime" || tokens.some((t) => DATE_WORDS.has(t))) return "temporal";
  if (tokens.some((t) => REFERENCE_WORDS.has(t))) return "reference_data";
  return "other";
}

/** Dates that are expected to lie ahead: maturities, expiries, due and end dates. */
const FUTURE_WORDS = new Set([
  "maturity",
  "expiry",
  "expiration",
  "expires",
  "due",
  "end",
  "next",
  "renewal",
  "until",
  "to",
]);

export function expectsFutureDates(name: string): boolean {
  return nameTokens(name).some((t) => FUTURE_WORDS.has(t));
}

/** `loan_amount` → `Loan Amount`. */
export function titleOf(name: string): string {
  return nameTokens(name)
    .map((t) => t[0]!.toUpperCase() + t.slice(1))
    .join(" ");
}
