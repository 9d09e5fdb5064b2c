import { classifyColumn } from "./names.ts";
import type { ColumnProfile, ScalarValue, SecurityClass } from "./types.ts";

/**
 * Why values were held back: the column's class, no class yet (for a remote model), or, when the offline
 * provider screens an unclassified column on this machine, its name or what its values look like.
 */
export type WithheldBecause = "classification" | "unclassified" | "name" | "personal_values" | "free_text";

/**
 * Who reads a planning view: a `remote` model (the prompt leaves this machine) or the offline provider, which
 * reads it `local`ly and sends nothing anywhere.
 */
export type Audience = "remote" | "local";

export type ValuePolicy = { show: true } | { show: false; because: WithheldBecause; reason: string };

const SHOWN: ReadonlySet<SecurityClass> = new Set(["public", "internal"]);

/** Values of a classified column are shown only for `public` and `internal`. */
export function policyForClass(classification: SecurityClass): ValuePolicy {
  return SHOWN.has(classification)
    ? { show: true }
    : { show: false, because: "classification", reason: `classified ${classification}` };
}

const looksPersonal: Array<[string, (value: string) => boolean]> = [
  ["an e-mail address", (v) => /[^\s@]+@[^\s@]+\.[^\s@]+/.test(v)],
  ["a social security number", (v) => /\b\d{3}-\d{2}-\d{4}\b/.test(v)],
  ["a phone number", (v) => /^\+\d[\d\s().-]{6,}$/.test(v) || /^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(v)],
  ["a card number", (v) => isCardNumber(v)],
  ["an IBAN", (v) => /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v.replace(/\s/g, ""))],
  ["free text", (v) => v.trim().split(/\s+/).length > 3],
];

function isCardNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Planning time: a column classified already follows its class. An unclassified column shows no values to a
 * remote model: a personal column can have an innocent name and innocent-looking values (`client`: "Alan
 * Turing"), so only a classification lets values leave. The offline provider, which sends nothing anywhere, may
 * read them when the column's name suggests no sensitive class and no example looks personal or like free text
 * (its proposals and the recorded request then hold no values of a column that looks sensitive either).
 */
export function planningValuePolicy(column: ColumnProfile, audience: Audience = "remote"): ValuePolicy {
  if (column.classification) return policyForClass(column.classification);
  if (audience === "remote") {
    return {
      show: false,
      because: "unclassified",
      reason: "not classified yet: values are sent only for columns classified public or internal",
    };
  }
  const byName = classifyColumn(column);
  if (byName && !SHOWN.has(byName.classification)) {
    return { show: false, because: "name", reason: `unclassified, name suggests ${byName.classification}` };
  }
  const values: ScalarValue[] = [...(column.exampleValues ?? []), column.min ?? "", column.max ?? ""];
  for (const value of values) {
    if (typeof value !== "string") continue;
    const hit = looksPersonal.find(([, test]) => test(value));
    if (hit) {
      const because = hit[0] === "free text" ? "free_text" : "personal_values";
      return { show: false, because, reason: `unclassified, values look like ${hit[0]}` };
    }
  }
  return { show: true };
}
