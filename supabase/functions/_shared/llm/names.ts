import type { SecurityClass } from "./types.ts";

/**
 * Lower-case words of a column name: `customerEmail`, `customer_email` and `Customer Email` agree, and so do a
 * header with accents and the name ingestion made of it (`Fälligkeit`, `falligkeit`).
 */
export function nameTokens(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export interface NameClass {
  classification: SecurityClass;
  pii: boolean;
  category: string;
  /** The pattern that matched, for the rationale and the classification's evidence. */
  pattern: string;
}

// Ordered most sensitive first; the first pattern found as consecutive words of the name wins.
// A leading "=" means the whole name must be exactly that.
const PATTERNS: Array<[SecurityClass, boolean, string, string[]]> = [
  [
    "restricted",
    true,
    "personal_data",
    [
      "ssn",
      "social_security",
      "tax_id",
      "tin",
      "national_id",
      "passport",
      "dob",
      "date_of_birth",
      "birth_date",
      "birthdate",
      "card_number",
      "pan",
      "cvv",
      "iban",
      "password",
      "pin",
    ],
  ],
  [
    "confidential",
    true,
    "personal_data",
    [
      "email",
      "e_mail",
      "phone",
      "mobile",
      "telephone",
      "fax",
      "first_name",
      "last_name",
      "full_name",
      "middle_name",
      "surname",
      "given_name",
      "customer_name",
      "borrower_name",
      "holder_name",
      "=name",
      "address",
      "street",
      "postcode",
      "postal_code",
      "zip",
      "zip_code",
      "ip_address",
      "account_number",
      "salary",
      "income",
      "credit_score",
    ],
  ],
  ["public", false, "reference_data", ["currency", "ccy", "country", "country_code"]],
];

function contains(tokens: string[], pattern: string[]): boolean {
  for (let i = 0; i + pattern.length <= tokens.length; i++) {
    if (pattern.every((word, j) => tokens[i + j] === word)) return true;
  }
  return false;
}

/** The class a column's name suggests, or undefined when the name says nothing about sensitivity. */
export function classifyName(name: string): NameClass | undefined {
  const tokens = nameTokens(name);
  for (const [classification, pii, category, patterns] of PATTERNS) {
    for (const pattern of patterns) {
      const exact = pattern.startsWith("=");
      const words = (exact ? pattern.slice(1) : pattern).split("_");
      const hit = exact ? tokens.join("_") === words.join("_") : contains(tokens, words);
      if (hit) return { classification, pii, category, pattern: exact ? pattern.slice(1) : pattern };
    }
  }
  return undefined;
}

const RANK: SecurityClass[] = ["public", "internal", "confidential", "restricted"];

/**
 * The class a column's names suggest: its name in the table and, where ingestion renamed it, the header people
 * wrote (`column_3` says nothing, its header `E-Mail` does); the more sensitive wins.
 */
export function classifyColumn(column: { name: string; originalName?: string }): NameClass | undefined {
  const byName = classifyName(column.name);
  const byHeader = column.originalName ? classifyName(column.originalName) : undefined;
  if (!byName || !byHeader) return byName ?? byHeader;
  return RANK.indexOf(byHeader.classification) > RANK.indexOf(byName.classification) ? byHeader : byName;
}
