// The offline provider's rule proposals: rules that look for defects, from what the attribute means (its name,
// type and flags) and robust statistics of its data, never the data's own bounds. With a probe (the data itself)
// every candidate is run on the data first, and its rationale states how many rows fail it today.
import { nameTokens } from "../names.ts";
import type { AttributeView, ProfilingView } from "../prompts/views.ts";
import type { ColumnDistribution, DataProbe, RuleType, ScalarValue, Severity } from "../types.ts";
import * as define from "./definitions.ts";
import { COUNTRY_ALPHA2, COUNTRY_ALPHA3, CURRENCY_CODES, type ReferenceList } from "./reference.ts";
import { readableHeader } from "./attributes.ts";
import { detectPattern } from "./shapes.ts";
import { dataTypeOf, expectsFutureDates, isKeyLike } from "./signals.ts";

/** A rule as a provider writes it: the definition is JSON text, as on the wire. */
export interface WireRule {
  attribute: string;
  name: string;
  rule_type: RuleType;
  description: string;
  definition: string;
  severity: Severity;
  rationale: string;
  confidence: number;
}

/** Confidence per rule; all below the 0.85 auto-approval threshold. */
export const RULE_CONFIDENCE = {
  presenceMandatory: 0.8,
  presenceObserved: 0.7,
  unique: 0.8,
  notFutureDate: 0.7,
  dateOrder: 0.7,
  referenceList: 0.75,
  nonNegative: 0.7,
  rateBand: 0.7,
  allowedValues: 0.6,
  pattern: 0.6,
  range: 0.5,
} as const;

/** Thresholds of the documented rules (docs/llm.md). */
export const LIMITS = {
  /** A column this complete whose other rows are empty has gaps, not optional values. */
  nearCompleteShare: 0.95,
  /** An identifier this distinct (among its non-null values) is a key that has duplicates. */
  keyDistinctShare: 0.98,
  /** Amounts with a larger share of negatives are signed amounts: no non-negative rule. */
  negativeShare: 0.05,
  /** A rate with a larger share of negatives gets no lower bound. */
  negativeRateShare: 0.01,
  /** A reference-list rule needs this share of non-null rows in the list (fewer: the column holds something else). */
  referenceShare: 0.5,
  /** Allowed values: at most this many values, each on at least `frequentShare` of the rows… */
  maxAllowedValues: 20,
  frequentShare: 0.002,
  /** …and the rare values on at most this share of the rows. */
  rareShare: 0.02,
  /** A data-derived rule (percentile bounds, pattern) failing more than this share of rows is not proposed. */
  derivedFailShare: 0.01,
} as const;

const isDate = (a: AttributeView) => a.data_type === "date" || a.data_type === "datetime";
const isText = (a: AttributeView) => a.data_type === "string" || a.data_type === "text";
const isNumber = (a: AttributeView) => a.data_type === "integer" || a.data_type === "decimal";

const RATE_WORDS = new Set(["rate", "pct", "percent", "percentage", "utilisation", "utilization", "ratio", "yield"]);
const AMOUNT_WORDS = new Set([
  "amount",
  "amt",
  "balance",
  "principal",
  "exposure",
  "limit",
  "price",
  "fee",
  "fees",
  "value",
  "outstanding",
  "income",
  "salary",
  "cost",
  "notional",
  "payment",
]);
/** Names of dates that record something that happened. */
const PAST_WORDS = new Set([
  "origination",
  "originated",
  "booking",
  "booked",
  "birth",
  "dob",
  "born",
  "opened",
  "onboarding",
  "onboarded",
  "created",
  "creation",
  "transaction",
  "txn",
  "posting",
  "posted",
  "signed",
  "incorporation",
  "disbursement",
  "disbursed",
  "trade",
  "issued",
  "registration",
  "registered",
  "joined",
]);
/** End words of start/end pairs and the start words they pair with. */
const PAIRS: Record<string, string[]> = {
  maturity: ["origination", "start", "issue", "effective", "disbursement"],
  end: ["start", "begin"],
  to: ["from"],
  closed: ["opened", "open"],
  close: ["open"],
  expiry: ["issue", "start", "effective"],
  expiration: ["issue", "start", "effective"],
  until: ["from", "since"],
};
const CURRENCY_WORDS = new Set(["currency", "ccy"]);
const COUNTRY_WORDS = new Set(["country", "nationality", "residence", "domicile", "jurisdiction"]);

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
/** A share as a percentage that never rounds to 0% or 100% unless it is. */
const percent = (share: number) => {
  const p = share * 100;
  if (p <= 0 || p >= 100) return `${Math.round(p)}%`;
  let text = p >= 1 ? p.toFixed(1) : p.toPrecision(1);
  if (Number(text) >= 100) text = "99.9";
  return `${text.replace(/\.0$/, "")}%`;
};
const number = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 6 });
const quoteList = (values: string[]) =>
  values
    .slice(0, 3)
    .map((v) => `'${v.slice(0, 20)}'`)
    .join(", ");

/** Rounds outward to two significant digits, so a bound reads well and never cuts into the data it keeps. */
function roundOut(value: number, direction: "up" | "down"): number {
  if (value === 0) return 0;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  const rounded = (direction === "up" ? Math.ceil(value / magnitude) : Math.floor(value / magnitude)) * magnitude;
  return Number(rounded.toPrecision(12));
}

/** A proposal waiting for its check on the data. */
interface Candidate {
  attribute: string;
  name: string;
  rule_type: RuleType;
  description: string;
  definition: object;
  severity: Severity;
  confidence: number;
  /** What is true of the attribute or its data that led to the rule. */
  because: string;
  /** The rows the failures are counted in, for the rationale. */
  rows: number;
  /** How the failures read (`rows fail`, `values occur more than once`…). */
  failing?: (failed: number) => string;
  /** Largest share of failing rows at which the rule is still proposed (data-derived rules). */
  maxFailShare?: number;
}

const rowsFail = (failed: number) => `${plural(failed, "row")} ${failed === 1 ? "fails" : "fail"} it today`;

function candidatesFor(a: AttributeView, d: ColumnDistribution | undefined, today: string): Candidate[] {
  const col = a.source.column;
  const cv = a.column;
  // What the name says is read from the header people wrote where ingestion renamed it (`Loan-ID`, not `loan_id_2`);
  // definitions name the column.
  const said = cv.original_name ?? col;
  const words = nameTokens(said);
  const rows = d?.rows ?? a.row_count;
  const nulls = d?.nulls ?? cv.null_count;
  const nonNull = rows - nulls;
  const keyLike = a.is_primary_key || isKeyLike(said);
  const critical = a.is_cde || keyLike;
  const valueSeverity: Severity = critical ? "medium" : "low";
  // Values (and rules that write values into their definition) only where the privacy rules show them.
  const valuesShown = cv.example_values !== undefined;
  const out: Candidate[] = [];
  const add = (c: Omit<Candidate, "attribute" | "rows"> & { rows?: number }) =>
    out.push({ attribute: a.name, rows, ...c });

  // Presence: mandatory, critical and key attributes whatever the data shows; otherwise complete or nearly
  // complete columns, whose few empty rows are gaps.
  const nearComplete = rows > 0 && nulls > 0 && nonNull / rows >= LIMITS.nearCompleteShare;
  const complete = rows > 0 && nulls === 0;
  // An end date (closed, end, to…) that most rows leave empty is optional by meaning, critical or not: open
  // accounts have no closing date.
  const optionalEnd =
    !a.is_mandatory && !keyLike && isDate(a) && words.some((w) => w in PAIRS) && rows > 0 && nulls / rows > 0.5;
  if ((a.is_mandatory || critical || complete || nearComplete) && !optionalEnd) {
    const reason = a.is_primary_key
      ? "the attribute is a primary key"
      : a.is_mandatory
        ? "the attribute is mandatory"
        : a.is_cde
          ? "the attribute is a critical data element"
          : keyLike
            ? "the attribute is an identifier"
            : complete
              ? `every one of ${count(rows)} rows has a value`
              : `${percent(nonNull / rows)} of rows have a value, so the ${plural(nulls, "empty one")} look like gaps`;
    const text = isText(a);
    const blanks = d?.blanks;
    add({
      name: text ? "not_blank" : "not_null",
      rule_type: "completeness",
      definition: text ? define.notBlank(col) : define.notNull(col),
      severity: critical ? "high" : "medium",
      confidence: a.is_mandatory || critical ? RULE_CONFIDENCE.presenceMandatory : RULE_CONFIDENCE.presenceObserved,
      description: text ? `${a.name} is present and not blank.` : `${a.name} is always present.`,
      because: reason,
      failing: (failed) =>
        `${rowsFail(failed)} (${plural(nulls, "null")}${text && blanks !== undefined ? `, ${plural(blanks, "blank")}` : ""})`,
    });
  }

  // Keys: primary keys and identifiers whose values are (almost) all distinct, even when some repeat.
  const distinctShare = nonNull > 0 ? cv.distinct_count / nonNull : 0;
  if (a.is_primary_key || (keyLike && distinctShare >= LIMITS.keyDistinctShare)) {
    add({
      name: "unique",
      rule_type: "uniqueness",
      definition: define.unique(col),
      severity: "high",
      confidence: RULE_CONFIDENCE.unique,
      description: `${a.name} identifies one row.`,
      because: a.is_primary_key
        ? "the attribute is a primary key"
        : `an identifier whose values are ${percent(distinctShare)} distinct`,
      failing: (failed) =>
        failed === 0
          ? "no value occurs twice today"
          : `${plural(failed, "row")} share their value with another row today`,
    });
  }

  if (isNumber(a) && !keyLike) out.push(...numberCandidates(a, d, words, rows, valueSeverity, valuesShown));
  if (isDate(a)) out.push(...dateCandidates(a, d, words, rows, valueSeverity, today));
  if ((isText(a) || a.data_type === "integer") && !keyLike)
    out.push(...valueCandidates(a, d, words, rows, nonNull, valueSeverity, valuesShown));
  return out;
}

function numberCandidates(
  a: AttributeView,
  d: ColumnDistribution | undefined,
  words: string[],
  rows: number,
  severity: Severity,
  valuesShown: boolean,
): Candidate[] {
  const col = a.source.column;
  const out: Candidate[] = [];
  const base = { attribute: a.name, rule_type: "validity" as const, severity, rows };
  const nonNull = rows - (d?.nulls ?? a.column.null_count);
  const p = d?.percentiles;
  const negativeShare = d?.negatives !== undefined && nonNull > 0 ? d.negatives / nonNull : undefined;
  const isRate = words.some((w) => RATE_WORDS.has(w));
  const isAmount = !isRate && words.some((w) => AMOUNT_WORDS.has(w));

  if (isRate) {
    // The scale from the bulk of the values: fractions (0.035) or percentages (3.5).
    const examples = (a.column.example_values ?? []).filter((v): v is number => typeof v === "number");
    const typical = p?.p95 ?? (examples.length ? Math.max(...examples.map(Math.abs)) : undefined);
    const scale = typical === undefined ? undefined : typical <= 1 ? 1 : typical <= 100 ? 100 : undefined;
    if (scale !== undefined) {
      const lower = negativeShare === undefined || negativeShare <= LIMITS.negativeRateShare;
      out.push({
        ...base,
        name: "rate_band",
        definition: lower ? define.range(col, 0, scale) : { kind: "range", column: col, max: scale },
        confidence: RULE_CONFIDENCE.rateBand,
        description: `${a.name} is a rate between ${lower ? 0 : "any negative value"} and ${scale}.`,
        because:
          `a rate (name word '${words.find((w) => RATE_WORDS.has(w))}') on the ${scale === 1 ? "0–1" : "0–100"} scale: ` +
          `95% of values are at most ${p ? number(roundOut(p.p95, "up")) : "the examples' largest"}`,
        failing: (failed) => `${plural(failed, "value")} outside it today`,
      });
    }
  }

  let nonNegative = false;
  if (isAmount) {
    const minShown = typeof a.column.min === "number" ? a.column.min : undefined;
    const signed =
      negativeShare !== undefined ? negativeShare > LIMITS.negativeShare : minShown !== undefined && minShown < 0;
    if (!signed) {
      nonNegative = true;
      out.push({
        ...base,
        name: "non_negative",
        definition: { kind: "range", column: col, min: 0 },
        confidence: RULE_CONFIDENCE.nonNegative,
        description: `${a.name} is not negative.`,
        because:
          `an amount (name word '${words.find((w) => AMOUNT_WORDS.has(w))}')` +
          (negativeShare === undefined
            ? ""
            : negativeShare === 0
              ? " and no negative values"
              : ` with ${percent(negativeShare)} negative values`),
        failing: (failed) => `${plural(failed, "negative value")} today`,
      });
    }
  }

  // Bounds from the bulk of the data with a margin, never its own extremes. Skewed values (the 99th percentile of
  // the magnitudes at least 3 times their median, as amounts are) are bounded in magnitude on a log scale:
  // at most p99 × (p99 / p50)^1.5, about 5.8 standard deviations of a log-normal; negative ones likewise when
  // there are negatives. Others linearly: the 1st–99th percentile span added on each side. Low-cardinality
  // integers get allowed values instead.
  const m = d?.magnitudes;
  if (!isRate && p && m && valuesShown && a.column.distinct_count > LIMITS.maxAllowedValues) {
    const skewed = m.p50 > 0 && m.p99 / m.p50 >= 3;
    let min: number | undefined;
    let max: number | undefined;
    if (skewed) {
      max = roundOut(m.p99 * (m.p99 / m.p50) ** 1.5, "up");
      if ((d?.negatives ?? 0) > 0 && !nonNegative) min = -max;
    } else if (p.p99 > p.p1) {
      const span = p.p99 - p.p1;
      max = roundOut(p.p99 + span, "up");
      min = roundOut(p.p1 - span, "down");
      // Below zero the non-negative rule (or a column without negatives) already speaks.
      if (min < 0 && (nonNegative || d?.negatives === 0)) min = undefined;
    }
    if (max !== undefined) {
      out.push({
        ...base,
        name: "typical_range",
        definition: { kind: "range", column: col, ...(min !== undefined ? { min } : {}), max },
        confidence: RULE_CONFIDENCE.range,
        description:
          min !== undefined
            ? `${a.name} is between ${number(min)} and ${number(max)}.`
            : `${a.name} is at most ${number(max)}.`,
        because: skewed
          ? `half the values are at most ${number(roundOut(m.p50, "up"))} and 99% at most ${number(roundOut(m.p99, "up"))} in size; ` +
            "the bound adds a margin on a log scale"
          : `98% of values lie between ${number(roundOut(p.p1, "down"))} and ${number(roundOut(p.p99, "up"))} (1st and 99th percentiles); ` +
            "the bounds add that spread on each side",
        failing: (failed) => `${plural(failed, "outlier")} beyond ${min !== undefined ? "them" : "it"} today`,
        maxFailShare: LIMITS.derivedFailShare,
      });
    }
  }
  return out;
}

function dateCandidates(
  a: AttributeView,
  d: ColumnDistribution | undefined,
  words: string[],
  rows: number,
  severity: Severity,
  today: string,
): Candidate[] {
  const col = a.source.column;
  const out: Candidate[] = [];
  const base = { attribute: a.name, rule_type: "validity" as const, severity, rows };
  const pastWord = words.find((w) => PAST_WORDS.has(w));
  const aheadExpected = expectsFutureDates(a.column.original_name ?? col);
  const max = a.column.max;
  const futureSeen = d?.future !== undefined ? d.future > 0 : typeof max === "string" && max.slice(0, 10) > today;
  if (!aheadExpected && (pastWord !== undefined || !futureSeen)) {
    out.push({
      ...base,
      name: "not_future",
      definition: define.notFutureDate(col),
      confidence: RULE_CONFIDENCE.notFutureDate,
      description: `${a.name} is not in the future.`,
      because: pastWord
        ? `a date of something that happened (name word '${pastWord}')`
        : `a date with no name word of a date ahead, and no value after ${today}`,
      failing: (failed) => `${plural(failed, "date")} after ${today} today`,
    });
  }

  // A start/end pair by name: the end is compared with its start.
  const dateColumns = a.table_columns.filter((c) => {
    const type = dataTypeOf(c.type, null);
    return type === "date" || type === "datetime";
  });
  for (const [i, word] of words.entries()) {
    const starts = PAIRS[word];
    if (!starts) continue;
    for (const start of starts) {
      const wanted = [...words.slice(0, i), start, ...words.slice(i + 1)].join(" ");
      const match = dateColumns.find(
        (c) =>
          c.name !== col &&
          (nameTokens(c.name).join(" ") === wanted || nameTokens(c.original_name ?? "").join(" ") === wanted),
      );
      if (!match) continue;
      out.push({
        ...base,
        rule_type: "consistency",
        name: "not_before_start",
        definition: { kind: "compare_columns", left: match.name, operator: "<=", right: col },
        confidence: RULE_CONFIDENCE.dateOrder,
        description: `${a.name} is not before ${match.original_name ? readableHeader(match.original_name) || match.name : match.name}.`,
        because: `${col} ends what ${match.name} starts (name words '${start}' and '${word}')`,
        failing: (failed) => `${plural(failed, "row")} with ${col} before ${match.name} today`,
      });
      return out;
    }
  }
  return out;
}

function referenceListOf(words: string[], lengths: number[]): ReferenceList | undefined {
  const typical = lengths.sort((x, y) => x - y)[Math.floor(lengths.length / 2)];
  if (words.some((w) => CURRENCY_WORDS.has(w))) return typical === 3 ? CURRENCY_CODES : undefined;
  if (words.some((w) => COUNTRY_WORDS.has(w)))
    return typical === 2 ? COUNTRY_ALPHA2 : typical === 3 ? COUNTRY_ALPHA3 : undefined;
  return undefined;
}

/** Values look clean: trimmed, single-spaced, and written in one case style. */
function looksClean(values: string[]): boolean {
  if (values.some((v) => v.length === 0 || v !== v.trim() || /\s{2}/.test(v))) return false;
  const style = (v: string) =>
    v === v.toUpperCase() ? "upper" : v === v.toLowerCase() ? "lower" : /^[A-Z][^A-Z]*$/.test(v) ? "title" : "mixed";
  const styles = new Set(values.filter((v) => /[A-Za-z]/.test(v)).map(style));
  return styles.size <= 1 && !styles.has("mixed");
}

function valueCandidates(
  a: AttributeView,
  d: ColumnDistribution | undefined,
  words: string[],
  rows: number,
  nonNull: number,
  severity: Severity,
  valuesShown: boolean,
): Candidate[] {
  const col = a.source.column;
  const base = { attribute: a.name, rule_type: "validity" as const, severity, rows };
  const frequent = d?.frequent;
  const examples = (a.column.example_values ?? []).map(String);
  const seen = frequent ? frequent.map((f) => f.value) : (d?.sample ?? examples);

  // Codes against the shipped reference list, once the column is seen to hold such codes.
  if (isText(a)) {
    const list = referenceListOf(
      words,
      seen.map((v) => v.length),
    );
    if (list) {
      const codes = new Set(list.codes);
      const inList = frequent
        ? frequent.filter((f) => codes.has(f.value)).reduce((n, f) => n + f.rows, 0) / Math.max(nonNull, 1)
        : seen.length > 0 && seen.every((v) => codes.has(v))
          ? 1
          : 0;
      // Without the value counts (many distinct values) the run on the data decides.
      if (inList >= LIMITS.referenceShare || (!frequent && d !== undefined)) {
        const others = frequent?.filter((f) => !codes.has(f.value)).map((f) => f.value) ?? [];
        return [
          {
            ...base,
            name: list === CURRENCY_CODES ? "iso_4217" : "iso_3166",
            definition: define.allowedValues(col, list.codes),
            confidence: RULE_CONFIDENCE.referenceList,
            description: `${a.name} is one of the ${list.label}.`,
            because: `a code column (name word '${words.find((w) => CURRENCY_WORDS.has(w) || COUNTRY_WORDS.has(w))}') checked against the ${list.label} shipped with the product`,
            failing: (failed) =>
              `${plural(failed, "row")} with another code today${
                valuesShown && others.length ? ` (such as ${quoteList(others)})` : ""
              }`,
            maxFailShare: 1 - LIMITS.referenceShare,
          },
        ];
      }
    }
  }
  if (!valuesShown) return [];

  const out: Candidate[] = [];
  let allowed = false;
  if (frequent && nonNull > 0) {
    const threshold = Math.max(3, Math.ceil(LIMITS.frequentShare * nonNull));
    const main = frequent.filter((f) => f.rows >= threshold);
    const mainRows = main.reduce((n, f) => n + f.rows, 0);
    const rare = frequent.filter((f) => f.rows < threshold);
    const cleanValues = a.data_type === "integer" || looksClean(main.map((f) => f.value));
    if (
      main.length >= 1 &&
      main.length <= LIMITS.maxAllowedValues &&
      a.column.distinct_count <= frequent.length &&
      1 - mainRows / nonNull <= LIMITS.rareShare &&
      nonNull >= main.length * 20 &&
      cleanValues
    ) {
      allowed = true;
      const values = main
        .map((f) => (a.data_type === "integer" ? Number(f.value) : f.value) as ScalarValue)
        .sort((x, y) => String(x).localeCompare(String(y), "en", { numeric: true }));
      out.push({
        ...base,
        name: "allowed_values",
        definition: define.allowedValues(col, values),
        confidence: RULE_CONFIDENCE.allowedValues,
        description: `${a.name} is one of ${values.join(", ")}.`,
        because:
          `${plural(values.length, "clean value")} cover ${percent(mainRows / nonNull)} of the rows with a value` +
          (rare.length ? `; the other values (${quoteList(rare.map((r) => r.value))}) are rare` : ""),
        failing: (failed) => `${plural(failed, "row")} with another value today`,
      });
    }
  } else if (!d) {
    // Without the data: a short list of values that repeat, every one of them among the examples.
    const distinct = a.column.distinct_count;
    const values = [...new Set(a.column.example_values ?? [])];
    if (
      distinct >= 1 &&
      distinct <= 10 &&
      distinct < rows &&
      values.length === distinct &&
      looksClean(values.map(String))
    ) {
      allowed = true;
      const sorted = values.sort((x, y) => String(x).localeCompare(String(y))) as ScalarValue[];
      out.push({
        ...base,
        name: "allowed_values",
        definition: define.allowedValues(col, sorted),
        confidence: RULE_CONFIDENCE.allowedValues,
        description: `${a.name} is one of ${sorted.join(", ")}.`,
        because: `${plural(distinct, "distinct value")}, all among the examples`,
      });
    }
  }

  if (!allowed && isText(a)) {
    const pattern = detectPattern(d?.sample ?? examples);
    if (pattern) {
      out.push({
        ...base,
        name: "pattern",
        definition: define.regex(col, pattern),
        confidence: RULE_CONFIDENCE.pattern,
        description: `${a.name} matches ${pattern}.`,
        because: `the ${plural((d?.sample ?? examples).length, "value")} read share the shape ${pattern}`,
        failing: (failed) => `${plural(failed, "value")} of another shape today`,
        maxFailShare: LIMITS.derivedFailShare,
      });
    }
  }
  return out;
}

/** The proposal as written, its rationale stating what the data says today (when it was read). */
function finish(c: Candidate, failed: number | null | undefined): WireRule | undefined {
  if (failed === null) return undefined; // the rule did not run on the data: not proposed
  if (failed !== undefined && c.maxFailShare !== undefined && failed > c.maxFailShare * Math.max(c.rows, 1))
    return undefined;
  const facts = failed === undefined ? c.because : `${c.because}; ${(c.failing ?? rowsFail)(failed)}`;
  return {
    attribute: c.attribute,
    name: c.name,
    rule_type: c.rule_type,
    description: c.description.slice(0, 1000),
    definition: JSON.stringify(c.definition),
    severity: c.severity,
    rationale: `${facts}.`.slice(0, 1000),
    confidence: c.confidence,
  };
}

/** Rules from the view alone (the column profiles), without reading the data: what `proposeRules` does without a probe. */
export function proposeRulesFromProfile(view: ProfilingView, today: string): WireRule[] {
  return view.attributes.flatMap((a) => candidatesFor(a, undefined, today).flatMap((c) => finish(c, undefined) ?? []));
}

/**
 * Rules for each attribute of the view, by the rules documented in docs/llm.md. With a probe, the columns'
 * distributions are read first and every candidate is run on its table before it is proposed.
 */
export async function proposeRules(view: ProfilingView, today: string, probe?: DataProbe): Promise<WireRule[]> {
  const tables = new Map<string, AttributeView[]>();
  for (const a of view.attributes) {
    const key = `${a.source.data_source}\u0000${a.source.table}`;
    tables.set(key, [...(tables.get(key) ?? []), a]);
  }
  const byAttribute = new Map<string, WireRule[]>();
  for (const attributes of tables.values()) {
    const ref = { dataSource: attributes[0]!.source.data_source, table: attributes[0]!.source.table };
    const distributions = await probe?.distributions(ref, [...new Set(attributes.map((a) => a.source.column))], today);
    const candidates = attributes.flatMap((a) => candidatesFor(a, distributions?.get(a.source.column), today));
    // Run only where the data was read: otherwise the rationales state what the profile says.
    const failures = distributions
      ? await probe?.failures(
          ref,
          candidates.map((c) => c.definition),
        )
      : undefined;
    candidates.forEach((c, i) => {
      const rule = finish(c, failures ? failures[i] : undefined);
      if (rule) byAttribute.set(c.attribute, [...(byAttribute.get(c.attribute) ?? []), rule]);
    });
  }
  return view.attributes.flatMap((a) => byAttribute.get(a.name) ?? []);
}
