import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { formatTime, personName, stampOf, type Person, type Stamp } from "./format";
import { definitionInWords } from "./profiling.server";
import { readAll } from "./read-all.server";
import { sampleValues } from "./sampling.server";
import { caseStateOf, filterOf, lastRunOutcome, type CaseFilter, type RuleRunOutcome } from "./testing";
import { listVersions, type VersionView } from "./versions.server";

type Client = SupabaseClient<Database>;

function fail(what: string, error: { message: string }): never {
  throw new Error(`${what} failed: ${error.message}`);
}

export interface TestCaseView {
  id: string;
  sampleKey: string;
  attribute: string;
  reportedValue: string | null;
  sourceValue: string | null;
  expectedValue: string | null;
  result: string | null;
  exception: string | null;
  /** How many evidence links the case has (test_cases.evidence, the database's summary of them). */
  evidenceCount: number;
  notes: string | null;
  preparedById: string | null;
  prepared: Stamp;
  reviewed: boolean;
  review: Stamp;
  /** The sign-off was carried from the parent version unchanged (review_carried_from_id). */
  reviewCarried: boolean;
  reviewNotes: string | null;
  voided: { reason: string | null; by: string | null; at: string | null };
}

/** One evidence link of a test case (public.test_case_evidence), as the side panel shows it. */
export interface EvidenceLink {
  id: string;
  kind: "rfi_file" | "upload" | "reference";
  name: string;
  contentType: string | null;
  size: number | null;
  location: string | null;
  linked: Stamp;
}

/**
 * An approved profiling rule on the case's attribute (from the approved profiling version the case traces to), its
 * definition in words, and what its last run says of the case's sample row: `failed` (the row is in the run's
 * failed-row sample), `passed` (the run kept every failed row and this one is not among them), `unknown` (more rows
 * failed than the run keeps, this one not among those kept), `error`, or `not_run`.
 */
export interface RuleOnCase {
  id: string;
  name: string;
  type: string;
  severity: string;
  definition: string;
  lastRun: { outcome: RuleRunOutcome; failed: number | null; at: string | null };
}

/** A file of the cycle report's requests for information answering the selected case's sample and attribute. */
export interface EvidenceCandidate {
  fileId: string;
  name: string;
  request: string;
}

export interface Progress {
  total: number;
  prepared: number;
  reviewed: number;
  failed: number;
}

/** Who signs test cases off (phase_definitions.item_reviewer, or this cycle report's own workflow_phases.item_reviewer). */
export type ItemReviewer = "assigned_tester" | "report_owner";

export interface TestingWorkspace {
  cycleReport: { id: number; title: string; regulation: string };
  works: boolean;
  reviews: boolean;
  /** Who signs the cases off, and whether the viewer is that person (admins always are). */
  reviewer: ItemReviewer;
  signsOff: boolean;
  me: string;
  phase: { id: number; status: string };
  versions: VersionView[];
  version: VersionView | null;
  filter: CaseFilter;
  samples: { key: string; data: Record<string, unknown> }[];
  attributes: string[];
  cases: TestCaseView[];
  progress: Progress;
  byAttribute: (Progress & { attribute: string })[];
  selected: TestCaseView | null;
  trace: Record<string, unknown> | null;
  /** The selected case's evidence links, and the RFI files it could link (not linked yet). */
  evidence: EvidenceLink[];
  candidates: EvidenceCandidate[];
  /** The selected case's attribute's approved profiling rules (no rule kind derives an expected value). */
  rules: RuleOnCase[];
}

async function getPhase(supabase: Client, cycleReportId: number) {
  const [phase, definition] = await Promise.all([
    supabase
      .from("workflow_phases")
      .select("id, status, item_reviewer")
      .eq("cycle_report_id", cycleReportId)
      .eq("phase_name", "test_execution")
      .maybeSingle(),
    supabase.from("phase_definitions").select("item_reviewer").eq("name", "test_execution").maybeSingle(),
  ]);
  if (phase.error) fail("test-execution phase query", phase.error);
  if (definition.error) fail("test-execution phase definition query", definition.error);
  if (!phase.data) return null;
  // The database reads the same two settings when a sign-off is recorded (private.item_reviewer_of).
  const reviewer = (phase.data.item_reviewer ?? definition.data?.item_reviewer ?? "assigned_tester") as ItemReviewer;
  return { id: phase.data.id, status: phase.data.status, reviewer };
}

/** The reported value of each case of a version, by case id, masked by the classification of the moment. */
async function reportedValues(supabase: Client, versionId: string): Promise<Map<string, string | null>> {
  const rows = await readAll("reported values query", (from, to) =>
    supabase.rpc("version_reported_values", { p_version_id: versionId }).range(from, to),
  );
  return new Map(rows.map((r) => [r.test_case_id, r.reported_value]));
}

async function listCases(supabase: Client, versionId: string) {
  return readAll("test cases query", (from, to) =>
    supabase
      .from("test_cases")
      .select(
        `id, sample_key, attribute_name, sample_decision_id, attribute_id, profiling_version_id, sample_selection_version_id, source_value, expected_value, result, exception_description,
         evidence, test_notes, prepared_by, prepared_at, tester_decision, tester_decided_at, tester_notes,
         review_void_reason, review_voided_at, review_carried_from_id,
         preparer:profiles!prepared_by(full_name, email),
         reviewer:profiles!tester_decided_by(full_name, email),
         voider:profiles!review_voided_by(full_name, email)`,
      )
      .eq("version_id", versionId)
      .order("sample_key")
      .order("attribute_name")
      .order("id")
      .range(from, to),
  );
}

const progressOf = (cases: TestCaseView[]): Progress => ({
  total: cases.length,
  prepared: cases.filter((c) => c.result).length,
  reviewed: cases.filter((c) => c.reviewed).length,
  failed: cases.filter((c) => c.result === "fail").length,
});

/**
 * Everything the test-execution page shows, chosen by its query: `version` (default the newest), `filter`
 * (all | not_started | failed | awaiting_review) and `case` (the test case in the side panel). Null when the
 * cycle report is absent or not visible.
 */
export async function loadTestingWorkspace(
  supabase: Client,
  user: User,
  cycleReportId: number,
  query: URLSearchParams,
): Promise<TestingWorkspace | null> {
  const [cycleReport, phase] = await Promise.all([
    viewerOf(supabase, user).then((viewer) => getCycleReport(supabase, viewer, cycleReportId)),
    getPhase(supabase, cycleReportId),
  ]);
  if (!cycleReport || !phase) return null;
  const { works, reviews } = cycleReport.relationship;
  const versions = await listVersions(supabase, phase.id);
  const version = versions.find((v) => v.id === query.get("version")) ?? versions[0] ?? null;
  const rows = version ? await listCases(supabase, version.id) : [];
  // Values are read masked by the classification of the moment, one call per version (the rows hold none).
  const [reported, ...samplesOfVersions] = await Promise.all([
    version ? reportedValues(supabase, version.id) : new Map<string, string | null>(),
    ...[...new Set(rows.map((r) => r.sample_selection_version_id))].map((id) => sampleValues(supabase, id)),
  ]);
  const sampleData = new Map<string, Record<string, unknown>>();
  const cases: TestCaseView[] = rows.map((r) => {
    if (!sampleData.has(r.sample_key)) {
      const data = samplesOfVersions.map((values) => values.get(r.sample_key)).find((d) => d !== undefined);
      sampleData.set(r.sample_key, data ?? {});
    }
    return {
      id: r.id,
      sampleKey: r.sample_key,
      attribute: r.attribute_name,
      reportedValue: reported.get(r.id) ?? null,
      sourceValue: r.source_value,
      expectedValue: r.expected_value,
      result: r.result,
      exception: r.exception_description,
      evidenceCount: Array.isArray(r.evidence) ? r.evidence.length : 0,
      notes: r.test_notes,
      preparedById: r.prepared_by,
      prepared: stampOf(r.preparer as Person | null, r.prepared_at),
      reviewed: r.tester_decision === "approved",
      review: stampOf(r.reviewer as Person | null, r.tester_decided_at),
      reviewCarried: r.review_carried_from_id !== null,
      reviewNotes: r.tester_notes,
      voided: {
        reason: r.review_void_reason,
        by: personName(r.voider as Person | null),
        at: formatTime(r.review_voided_at),
      },
    };
  });
  const attributes = [...new Set(cases.map((c) => c.attribute))].sort();
  const selected = cases.find((c) => c.id === query.get("case")) ?? null;
  let trace: Record<string, unknown> | null = null;
  let evidence: (EvidenceLink & { fileId: string | null })[] = [];
  let candidates: EvidenceCandidate[] = [];
  let rules: RuleOnCase[] = [];
  if (selected) {
    const row = rows.find((r) => r.id === selected.id)!;
    [evidence, candidates, rules] = await Promise.all([
      listEvidence(supabase, selected.id),
      listCandidates(supabase, cycleReportId, row.sample_decision_id, row.attribute_id),
      listRulesOnCase(supabase, row),
    ]);
    const linked = new Set(evidence.map((e) => e.fileId));
    candidates = candidates.filter((c) => !linked.has(c.fileId));
    const { data, error } = await supabase
      .from("test_case_traceability")
      .select("*")
      .eq("test_case_id", selected.id)
      .maybeSingle();
    if (error) fail("traceability query", error);
    trace = data as Record<string, unknown> | null;
  }
  return {
    cycleReport: {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      regulation: cycleReport.regulation,
    },
    works,
    reviews,
    reviewer: phase.reviewer,
    signsOff: phase.reviewer === "report_owner" ? reviews : works,
    me: user.id,
    phase: { id: phase.id, status: phase.status },
    versions,
    version,
    filter: filterOf(query.get("filter")),
    samples: [...sampleData.entries()].map(([key, data]) => ({ key, data })),
    attributes,
    cases,
    progress: progressOf(cases),
    byAttribute: attributes.map((attribute) => ({
      attribute,
      ...progressOf(cases.filter((c) => c.attribute === attribute)),
    })),
    selected,
    trace,
    evidence: evidence.map(({ fileId: _fileId, ...e }) => e),
    candidates,
    rules,
  };
}

async function listEvidence(
  supabase: Client,
  testCaseId: string,
): Promise<(EvidenceLink & { fileId: string | null })[]> {
  const { data, error } = await supabase
    .from("test_case_evidence")
    .select(
      "id, kind, file_name, content_type, size_bytes, location, request_file_id, linked_at, linker:profiles!linked_by(full_name, email)",
    )
    .eq("test_case_id", testCaseId)
    .order("linked_at")
    .order("id");
  if (error) fail("evidence query", error);
  return data.map((e) => ({
    id: e.id,
    kind: e.kind as EvidenceLink["kind"],
    name: e.file_name,
    contentType: e.content_type,
    size: e.size_bytes,
    location: e.location,
    linked: stampOf(e.linker as Person | null, e.linked_at),
    fileId: e.request_file_id,
  }));
}

/**
 * The files of the cycle report's requests for information that the database lets this case link: a request
 * asking for the case's sample and attribute, answered about that item or about the whole request.
 */
async function listCandidates(
  supabase: Client,
  cycleReportId: number,
  sampleId: string,
  attributeId: string,
): Promise<EvidenceCandidate[]> {
  const items = await supabase
    .from("request_items")
    .select("id, request_id, request:requests!inner(title, phase_name)")
    .eq("cycle_report_id", cycleReportId)
    .eq("sample_id", sampleId)
    .eq("attribute_id", attributeId)
    .eq("request.phase_name", "request_info");
  if (items.error) fail("request items query", items.error);
  if (!items.data.length) return [];
  const files = await supabase
    .from("request_files")
    .select("id, file_name, request_id, response:request_responses!inner(item_id)")
    .in(
      "request_id",
      items.data.map((i) => i.request_id),
    )
    .order("uploaded_at");
  if (files.error) fail("request files query", files.error);
  return files.data.flatMap((f) => {
    const itemId = (f.response as { item_id: number | null }).item_id;
    const item = items.data.find((i) => i.request_id === f.request_id && (itemId === null || i.id === itemId));
    if (!item) return [];
    return [{ fileId: f.id, name: f.file_name, request: (item.request as { title: string }).title }];
  });
}

/**
 * The approved rules of the case's profiling version on its attribute, each with its last run's word on the case's
 * sample row: the run's failed-row sample (at most 20 rows) matched on the sample selection's key column.
 */
async function listRulesOnCase(
  supabase: Client,
  row: {
    attribute_id: string;
    profiling_version_id: string | null;
    sample_selection_version_id: string;
    sample_key: string;
  },
): Promise<RuleOnCase[]> {
  if (!row.profiling_version_id) return [];
  const [rules, selection] = await Promise.all([
    supabase
      .from("profiling_rules")
      .select("id, name, rule_type, severity, definition")
      .eq("version_id", row.profiling_version_id)
      .eq("attribute_id", row.attribute_id)
      .eq("item_status", "approved")
      .order("execution_order")
      .order("name"),
    supabase
      .from("sample_selections")
      .select("key_column")
      .eq("version_id", row.sample_selection_version_id)
      .maybeSingle(),
  ]);
  if (rules.error) fail("profiling rules query", rules.error);
  if (selection.error) fail("sample selection query", selection.error);
  if (!rules.data.length) return [];
  const results = await supabase
    .from("profiling_rule_results")
    .select("rule_id, status, failed_count, failed_sample:masked_failed_sample, executed_at")
    .in(
      "rule_id",
      rules.data.map((r) => r.id),
    )
    .order("executed_at", { ascending: false })
    .order("id", { ascending: false });
  if (results.error) fail("profiling results query", results.error);
  const keyColumn = selection.data?.key_column ?? null;
  return rules.data.map((rule) => {
    const last = results.data.find((r) => r.rule_id === rule.id);
    const outcome = lastRunOutcome(
      last ? { status: last.status, failedCount: last.failed_count, failedSample: last.failed_sample } : null,
      keyColumn,
      row.sample_key,
    );
    return {
      id: rule.id,
      name: rule.name,
      type: rule.rule_type,
      severity: rule.severity,
      definition: definitionInWords(rule.definition),
      lastRun: { outcome, failed: last?.failed_count ?? null, at: formatTime(last?.executed_at ?? null) },
    };
  });
}

export { caseStateOf };
