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

export interface EvidenceRef {
  name: string;
  path?: string;
  url?: string;
  source?: string;
}

/** Evidence typed one per line as "name | path or address"; a line without "|" is its own name and path. */
export function parseEvidence(text: string): EvidenceRef[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, where] = line.includes("|") ? line.split("|").map((p) => p.trim()) : [line, line];
      const ref = where ?? name ?? line;
      return /^https?:\/\//i.test(ref)
        ? { name: name || ref, url: ref, source: "other" }
        : { name: name || ref, path: ref, source: "upload" };
    });
}

export const evidenceText = (refs: EvidenceRef[]): string =>
  refs.map((r) => `${r.name} | ${r.url ?? r.path ?? ""}`).join("\n");

/** What a preview can show: images and PDFs reachable by address. */
export function previewKind(ref: EvidenceRef): "image" | "pdf" | null {
  const where = (ref.url ?? ref.path ?? "").toLowerCase();
  if (!ref.url) return null;
  if (/\.(png|jpe?g|gif|webp)(\?|$)/.test(where)) return "image";
  if (/\.pdf(\?|$)/.test(where)) return "pdf";
  return null;
}
