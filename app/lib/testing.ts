/** Test execution's words and states, shared by the server and the page. */

export type TestResult = "pass" | "fail" | "not_applicable" | "unable_to_test";

export const testResults: { value: TestResult; label: string }[] = [
  { value: "pass", label: "Pass" },
  { value: "fail", label: "Fail" },
  { value: "not_applicable", label: "Not applicable" },
  { value: "unable_to_test", label: "Unable to test" },
];

export const resultLabel = (result: string | null): string =>
  testResults.find((r) => r.value === result)?.label ?? "Not started";

/** Where a test case stands: not started, prepared and awaiting review, or reviewed (with its result). */
export type CaseState = "not_started" | "awaiting_review" | "reviewed";

export const caseStateOf = (c: { result: string | null; reviewed: boolean }): CaseState =>
  !c.result ? "not_started" : c.reviewed ? "reviewed" : "awaiting_review";

/** The grid's filters (`?filter=`). */
export const caseFilters = [
  { value: "all", label: "All" },
  { value: "not_started", label: "Not started" },
  { value: "failed", label: "Failed" },
  { value: "awaiting_review", label: "Awaiting review" },
] as const;
export type CaseFilter = (typeof caseFilters)[number]["value"];

export const filterOf = (value: string | null): CaseFilter =>
  caseFilters.some((f) => f.value === value) ? (value as CaseFilter) : "all";

export function matchesFilter(c: { result: string | null; reviewed: boolean }, filter: CaseFilter): boolean {
  if (filter === "all") return true;
  if (filter === "failed") return c.result === "fail";
  return caseStateOf(c) === filter;
}

/** What the side panel previews inline: images (served by the app, so the page's policy allows them). */
export function previewKind(contentType: string | null): "image" | "pdf" | null {
  if (contentType === "image/png" || contentType === "image/jpeg") return "image";
  if (contentType === "application/pdf") return "pdf";
  return null;
}

/** Where an evidence link is downloaded: the app checks it against its checksum, then hands over a signed URL. */
export const evidencePath = (cycleReportId: number, evidenceId: string, inline = false): string =>
  `/cycle-reports/${cycleReportId}/testing/evidence/${evidenceId}${inline ? "?inline=1" : ""}`;

/** Where a PDF evidence file is shown in place (the side panel frames it): the same checks, served inline. */
export const evidencePdfPath = (cycleReportId: number, evidenceId: string): string =>
  `/cycle-reports/${cycleReportId}/testing/evidence/${evidenceId}/pdf`;

/** Evidence objects uploaded on a test case: <cycle report id>/cases/<test case id>/<random>-<name>. */
export function caseEvidenceName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .replace(/\.{2,}/g, ".")
      .slice(-120) || "file"
  );
}

export type RuleRunOutcome = "failed" | "passed" | "unknown" | "error" | "not_run";

/**
 * What a profiling rule's last run says of one sample's row, from its result (profiling_rule_results): `failed` when
 * the row is in the run's failed-row sample (matched on the sample selection's key column), `passed` when nothing
 * failed or the sample kept every failed row and this one is not among them, `unknown` when more rows failed than
 * the sample keeps or its keys are masked ('***', a confidential column), `error` or `not_run`.
 */
export function lastRunOutcome(
  result: { status: string; failedCount: number | null; failedSample: unknown } | null,
  keyColumn: string | null,
  sampleKey: string,
): RuleRunOutcome {
  if (!result) return "not_run";
  if (result.status === "error") return "error";
  const sample = Array.isArray(result.failedSample) ? (result.failedSample as unknown[]) : [];
  const keyOf = (r: unknown) =>
    keyColumn && r && typeof r === "object" ? (r as Record<string, unknown>)[keyColumn] : undefined;
  if (sample.some((r) => keyOf(r) != null && String(keyOf(r)) === sampleKey)) return "failed";
  const failed = result.failedCount ?? 0;
  if (failed === 0) return "passed";
  const readable = keyColumn !== null && sample.every((r) => keyOf(r) != null && keyOf(r) !== "***");
  return readable && failed <= sample.length ? "passed" : "unknown";
}
