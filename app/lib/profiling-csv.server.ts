import type { RuleResult } from "./profiling.server";

const header = [
  "rule",
  "attribute",
  "severity",
  "passes_when",
  "status",
  "total",
  "passed",
  "failed",
  "pass_rate",
  "duration_ms",
  "anomaly",
  "anomaly_note",
  "anomaly_marked_by",
  "anomaly_marked_at",
  "error",
];

/**
 * One CSV field. Text that a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a leading
 * apostrophe, because rule names and notes are typed by people and the file is opened in spreadsheets.
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A run's results as CSV (RFC 4180, CRLF line ends), one line per rule in execution order. */
export function resultsCsv(results: RuleResult[]): string {
  const lines = results.map((r) =>
    [
      r.ruleName,
      r.attribute,
      r.severity,
      r.definition,
      r.status,
      r.total,
      r.passed,
      r.failed,
      r.passRate,
      r.durationMs,
      r.isAnomaly,
      r.anomalyNote,
      r.anomalyMarked.by,
      r.anomalyMarked.at,
      r.error,
    ]
      .map(csvField)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
