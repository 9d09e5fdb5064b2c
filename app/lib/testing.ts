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
