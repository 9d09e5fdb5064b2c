/**
 * The test report's content (private.test_report_content) as the tables its exports print: the same tables, in the
 * same order and words, for the PDF and the workbook. Content frozen before a section existed prints that section
 * as not recorded in the version rather than guessing it from today's records.
 */
import { lineageOf, methodLabel } from "./sampling";

export type Cell = string | number | boolean | null;
type Row = Record<string, unknown>;

export interface ReportTable {
  /** The sheet's name in the workbook (at most 31 characters) and the section's heading in the PDF. */
  title: string;
  columns: { key: string; label: string; width: number }[];
  rows: Cell[][];
  /** Said instead of rows when there are none. */
  empty: string;
}

const object = (value: unknown): Row =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Row) : {};
const list = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]).map(object) : []);
const scalar = (value: unknown): Cell => {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(", ");
  return JSON.stringify(value);
};
const yesNo = (value: unknown): Cell => (value === null || value === undefined ? null : value ? "yes" : "no");
const words = (value: unknown): Cell => (typeof value === "string" ? value.replace(/_/g, " ") : scalar(value));

function table(
  title: string,
  columns: [key: string, label: string, width: number][],
  items: Row[],
  cell: (item: Row, key: string) => Cell,
  empty: string,
): ReportTable {
  return {
    title,
    columns: columns.map(([key, label, width]) => ({ key, label, width })),
    rows: items.map((item) => columns.map(([key]) => cell(item, key))),
    empty,
  };
}

const plain = (item: Row, key: string): Cell => scalar(item[key]);
const notInVersion = (section: string) => `This version's content has no ${section} (generated before they were kept).`;

/** Scope: every approved planning attribute, in or out, with its approach, risk and reason. */
export function scopeTable(content: Row): ReportTable {
  const scope = object(content.scope);
  return table(
    "Scope",
    [
      ["name", "Attribute", 28],
      ["is_cde", "CDE", 6],
      ["in_scope", "In scope", 9],
      ["testing_approach", "Approach", 16],
      ["risk_rating", "Risk", 8],
      ["reason", "Reason", 48],
    ],
    list(scope.attributes),
    (item, key) =>
      key === "is_cde" || key === "in_scope"
        ? yesNo(item[key])
        : key === "testing_approach"
          ? words(item[key])
          : plain(item, key),
    "No approved attributes.",
  );
}

/** Rules and results: each approved data-quality rule with its latest result. */
export function rulesTable(content: Row): ReportTable {
  const quality = object(content.data_quality);
  return table(
    "Rules and results",
    [
      ["rule", "Rule", 30],
      ["attribute", "Attribute", 22],
      ["rule_type", "Kind", 12],
      ["severity", "Severity", 9],
      ["status", "Status", 10],
      ["total", "Rows", 8],
      ["passed", "Passed", 8],
      ["failed", "Failed", 8],
      ["pass_rate", "Pass rate %", 10],
      ["anomaly", "Anomaly", 8],
    ],
    list(quality.rules),
    (item, key) => (key === "anomaly" ? yesNo(item[key]) : key === "rule_type" ? words(item[key]) : plain(item, key)),
    "No approved data-quality rules.",
  );
}

/** Samples with lineage: every sample of the approved selection, how it came to be there and who decided it. */
export function samplesTable(content: Row): ReportTable {
  const samples = content.samples === undefined ? null : object(content.samples);
  return table(
    "Samples",
    [
      ["sample_key", "Sample", 14],
      ["draw_position", "Drawn", 7],
      ["stratum", "Stratum", 12],
      ["lineage", "Lineage", 30],
      ["selection_reason", "Why selected", 30],
      ["replaced_by", "Replaced by", 12],
      ["status", "Status", 10],
      ["tester_decided_by", "Tester", 16],
      ["owner_decided_by", "Owner", 16],
    ],
    samples ? list(samples.items) : [],
    (item, key) =>
      key === "lineage"
        ? lineageOf({
            source: String(item.source ?? ""),
            carriedFromVersion: typeof item.carried_from_version === "number" ? item.carried_from_version : null,
            owner: { by: typeof item.owner_decided_by === "string" ? item.owner_decided_by : null, at: null },
            recommendedBy: typeof item.recommended_by === "string" ? item.recommended_by : null,
          })
        : key === "tester_decided_by" || key === "owner_decided_by"
          ? decided(item[key === "tester_decided_by" ? "tester_decision" : "owner_decision"], item[key])
          : plain(item, key),
    samples ? "No approved sample selection." : notInVersion("samples"),
  );
}

const decided = (decision: unknown, by: unknown): Cell =>
  decision ? `${String(decision).replace(/_/g, " ")}${by ? ` by ${String(by)}` : ""}` : null;

/** Test cases: every case of the approved test execution, with its result, exception, preparer and reviewer. */
export function testCasesTable(content: Row): ReportTable {
  const cases = content.test_cases === undefined ? null : object(content.test_cases);
  return table(
    "Test cases",
    [
      ["sample_key", "Sample", 14],
      ["attribute", "Attribute", 22],
      ["reported_value", "Reported", 14],
      ["source_value", "Source", 14],
      ["expected_value", "Expected", 14],
      ["result", "Result", 12],
      ["exception", "Exception", 36],
      ["prepared_by", "Prepared by", 16],
      ["reviewed_by", "Reviewed by", 16],
    ],
    cases ? list(cases.items) : [],
    (item, key) => (key === "result" ? words(item[key]) : plain(item, key)),
    cases ? "No approved test execution." : notInVersion("test cases"),
  );
}

/** Observations: each raised observation with its lifecycle and remediation. */
export function observationsTable(content: Row): ReportTable {
  const observations = object(content.observations);
  return table(
    "Observations",
    [
      ["title", "Observation", 30],
      ["severity", "Severity", 9],
      ["category", "Category", 12],
      ["status", "Status", 12],
      ["condition", "Condition", 40],
      ["root_cause", "Root cause", 24],
      ["impacted_attributes", "Attributes", 18],
      ["impacted_report_lines", "Report lines", 14],
      ["owner_response", "Owner response", 30],
      ["remediation_owner", "Remediation owner", 18],
      ["due_date", "Due", 11],
      ["remediation_plan", "Remediation plan", 30],
      ["validation_evidence", "Validation", 24],
    ],
    list(observations.items),
    (item, key) => (key === "status" ? words(item[key]) : plain(item, key)),
    "No observations were raised.",
  );
}

/** The tables the workbook has a sheet for and the PDF a section for, in their order. */
export function reportTables(content: Row): ReportTable[] {
  return [
    scopeTable(content),
    rulesTable(content),
    samplesTable(content),
    testCasesTable(content),
    observationsTable(content),
  ];
}

/** The summary lines: the report, the sample design, results per attribute, observations by severity. */
export function summaryLines(content: Row): [label: string, value: string][] {
  const report = object(content.report);
  const quality = object(content.data_quality);
  const sampling = content.sampling ? object(content.sampling) : null;
  const results = list(object(content.test_results).attributes);
  const bySeverity = object(object(content.observations).by_severity);
  const reperformance = sampling?.reperformance ? object(sampling.reperformance) : null;
  const text = (value: unknown) => (value === null || value === undefined ? "—" : String(scalar(value)));
  return [
    ["Report", `${text(report.report)} (${text(report.regulation)})`],
    ["Cycle", `${text(report.cycle)}, ${text(report.period_start)} to ${text(report.period_end)}`],
    ["Data-quality runs", text(quality.runs)],
    [
      "Sample design",
      sampling
        ? `${methodLabel(String(sampling.method ?? ""))}, seed ${text(sampling.seed)}, size ${text(sampling.sample_size)} ` +
          `(${text(words(sampling.size_basis))}) from ${text(sampling.population_rows)} rows; ` +
          `${text(sampling.approved_samples)} approved samples; re-performance: ` +
          (reperformance ? (reperformance.identical ? "identical" : "differs") : "not performed")
        : "No approved sample selection.",
    ],
    [
      "Test results",
      results.length
        ? results
            .map(
              (r) =>
                `${text(r.attribute)}: ${text(r.tested)} tested, ${text(r.passed)} passed, ${text(r.failed)} failed`,
            )
            .join("; ")
        : "No approved test execution.",
    ],
    [
      "Observations by severity",
      ["critical", "high", "medium", "low"].map((s) => `${s} ${text(bySeverity[s] ?? 0)}`).join(", "),
    ],
  ];
}
