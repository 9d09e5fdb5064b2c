import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { formatTime, personName, stampOf, type Person, type Stamp } from "./format";
import { readAll } from "./read-all.server";
import { listVersions, type ItemStatus, type Decision, type VersionView } from "./versions.server";

export {
  BACKGROUND_DRAW_ROWS,
  DATABASE_METHODS,
  lineageOf,
  methodLabel,
  samplingMethods,
  type SamplingMethod,
} from "./sampling";

type Client = SupabaseClient<Database>;

function fail(what: string, error: { message: string }): never {
  throw new Error(`${what} failed: ${error.message}`);
}

export interface PopulationSource {
  id: string;
  name: string;
  columns: string[];
  rowCount: number | null;
  /** An upload, drawn in the project database; otherwise a database table, drawn in its own database by a job. */
  isUpload: boolean;
}

export interface Selection {
  dataSourceId: string;
  populationTable: string;
  keyColumn: string;
  amountColumn: string | null;
  filter: unknown[];
  method: string;
  parameters: Record<string, unknown>;
  sampleSize: number;
  sizeBasis: string;
  sizeInputs: Record<string, unknown>;
  seed: string;
  generatorVersion: string;
  excludedKeys: string[];
  rowCount: number;
  amountSum: string | null;
  keyHash: string;
  /** How the snapshot was taken (decision 036); null: drawn before it was recorded (snapshot version 1). */
  snapshotVersion: string | null;
  /** Snapshot version 2: when the kept statistics it came from were counted. */
  snapshotComputedAt: string | null;
  strata: { stratum: string | null; population: number; allocated: number }[];
  drawnKeys: string[];
  run: Stamp;
}

export interface Sample {
  id: string;
  key: string;
  data: Record<string, unknown>;
  source: string;
  recommendedBy: string | null;
  stratum: string | null;
  reason: string | null;
  order: number | null;
  carriedFromVersion: number | null;
  carriedFromDecisionId: string | null;
  replacedByKey: string | null;
  replacementReason: string | null;
  status: ItemStatus;
  testerDecision: Decision | null;
  testerNotes: string | null;
  tester: Stamp;
  ownerDecision: Decision | null;
  ownerNotes: string | null;
  owner: Stamp;
}

export interface Reperformance {
  id: number;
  identical: boolean;
  at: string | null;
  by: string | null;
  result: {
    verdict: string;
    population: { changed: string[]; stored: Record<string, unknown>; current: Record<string, unknown> | null };
    samples: { missing: string[] | null; added: string[] | null; error: string | null; order_differs: boolean };
    version_samples: { drawn_not_in_version: string[] };
  };
}

export interface SampleRequest {
  id: number;
  versionNumber: number;
  key: string;
  reason: string;
  by: string | null;
  fulfilled: boolean;
}

export interface SearchRow {
  sample_key: string;
  sample_data: Record<string, unknown>;
  in_version: boolean;
}

export interface SamplingWorkspace {
  cycleReport: { id: number; title: string; regulation: string };
  works: boolean;
  reviews: boolean;
  phase: { id: number; status: string };
  versions: VersionView[];
  version: VersionView | null;
  selection: Selection | null;
  samples: Sample[];
  sources: PopulationSource[];
  rules: { id: string; name: string }[];
  reperformances: Reperformance[];
  requests: SampleRequest[];
  search: { prefix: string; rows: SearchRow[] } | null;
  calculator: { confidence: number; tolerable: number; expected: number; size: number | null; error: string | null };
  /** The version's latest draw run as a background job (request_sample_selection), if any. */
  drawJob: DrawJob | null;
  /** The version's latest re-performance run as a background job (request_sample_reperformance), if any. */
  reperformJob: DrawJob | null;
}

export interface DrawJob {
  id: string;
  status: string;
  progress: number;
  message: string | null;
  error: string | null;
  createdAt: string;
}

async function getDrawJob(
  supabase: Client,
  versionId: string,
  jobType: "sampling.draw" | "sampling.reperform" = "sampling.draw",
): Promise<DrawJob | null> {
  const { data, error } = await supabase
    .from("background_jobs")
    .select("id, status, progress, progress_message, error, created_at")
    .eq("version_id", versionId)
    .eq("job_type", jobType)
    .order("created_at", { ascending: false })
    .limit(1);
  if (error) fail("draw job", error);
  const job = data?.[0];
  return job
    ? {
        id: job.id,
        status: job.status,
        progress: job.progress,
        message: job.progress_message,
        error: job.error,
        createdAt: job.created_at,
      }
    : null;
}

const stampOfPerson = (by: unknown, at: string | null): Stamp => stampOf(by as Person | null, at);

async function getPhase(supabase: Client, cycleReportId: number) {
  const { data, error } = await supabase
    .from("workflow_phases")
    .select("id, status")
    .eq("cycle_report_id", cycleReportId)
    .eq("phase_name", "sample_selection")
    .maybeSingle();
  if (error) fail("sample-selection phase query", error);
  return data;
}

async function listSources(supabase: Client, planningVersionId: string | null): Promise<PopulationSource[]> {
  if (!planningVersionId) return [];
  const { data, error } = await supabase
    .from("planning_data_sources")
    .select("id, name, source_type, schema, row_count")
    .eq("version_id", planningVersionId)
    .eq("item_status", "approved")
    .order("name")
    .order("id");
  if (error) fail("population sources query", error);
  return data.map((s) => ({
    id: s.id,
    name: s.name,
    rowCount: s.row_count,
    isUpload: s.source_type === "file_upload",
    columns: ((s.schema as { columns?: { name: string }[] } | null)?.columns ?? []).map((c) => c.name),
  }));
}

async function getSelection(supabase: Client, versionId: string): Promise<Selection | null> {
  const { data, error } = await supabase
    .from("sample_selections")
    .select("*, runner:profiles!run_by(full_name, email)")
    .eq("version_id", versionId)
    .maybeSingle();
  if (error) fail("selection query", error);
  if (!data) return null;
  return {
    dataSourceId: data.data_source_id,
    populationTable: data.population_table,
    keyColumn: data.key_column,
    amountColumn: data.amount_column,
    filter: data.filter as unknown[],
    method: data.method,
    parameters: data.parameters as Record<string, unknown>,
    sampleSize: data.sample_size,
    sizeBasis: data.size_basis,
    sizeInputs: data.size_inputs as Record<string, unknown>,
    seed: data.seed,
    generatorVersion: data.generator_version,
    excludedKeys: data.excluded_keys,
    rowCount: data.population_row_count,
    amountSum: data.population_amount_sum === null ? null : String(data.population_amount_sum),
    keyHash: data.population_key_hash,
    snapshotVersion: data.snapshot_version,
    snapshotComputedAt: data.snapshot_computed_at,
    strata: data.strata as Selection["strata"],
    drawnKeys: data.drawn_keys,
    run: stampOfPerson(data.runner, data.run_at),
  };
}

/**
 * The values of a version's samples by key, masked by the classification of the moment (the rows hold none):
 * one call for the whole version, read in pages.
 */
export async function sampleValues(supabase: Client, versionId: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await readAll("sample values query", (from, to) =>
    supabase.rpc("version_sample_values", { p_version_id: versionId }).range(from, to),
  );
  return new Map(rows.map((r) => [r.sample_key, r.sample_data as Record<string, unknown>]));
}

/** Every sample of a version in draw order, then by key (a version may hold thousands: read in pages). */
export async function listSamples(supabase: Client, versionId: string, versions: VersionView[]): Promise<Sample[]> {
  const rows = await readAll("samples query", (from, to) =>
    supabase
      .from("sample_decisions")
      .select(
        `id, sample_key, recommendation_source, stratum, selection_reason, selection_order,
         carried_from_version_id, carried_from_decision_id, replaced_by_decision_id, replacement_reason, item_status,
         tester_decision, tester_notes, tester_decided_at, report_owner_decision, report_owner_notes, report_owner_decided_at,
         recommender:profiles!recommended_by(full_name, email),
         tester:profiles!tester_decided_by(full_name, email),
         owner:profiles!report_owner_decided_by(full_name, email)`,
      )
      .eq("version_id", versionId)
      .order("selection_order", { nullsFirst: false })
      .order("sample_key")
      .order("id")
      .range(from, to),
  );
  const keyOf = new Map(rows.map((r) => [r.id, r.sample_key]));
  const values = await sampleValues(supabase, versionId);
  return rows.map((r) => ({
    id: r.id,
    key: r.sample_key,
    data: values.get(r.sample_key) ?? {},
    source: r.recommendation_source,
    recommendedBy: personName(r.recommender as Person | null),
    stratum: r.stratum,
    reason: r.selection_reason,
    order: r.selection_order,
    carriedFromVersion: versions.find((v) => v.id === r.carried_from_version_id)?.number ?? null,
    carriedFromDecisionId: r.carried_from_decision_id,
    replacedByKey: r.replaced_by_decision_id ? (keyOf.get(r.replaced_by_decision_id) ?? null) : null,
    replacementReason: r.replacement_reason,
    status: r.item_status,
    testerDecision: r.tester_decision,
    testerNotes: r.tester_notes,
    tester: stampOfPerson(r.tester, r.tester_decided_at),
    ownerDecision: r.report_owner_decision,
    ownerNotes: r.report_owner_notes,
    owner: stampOfPerson(r.owner, r.report_owner_decided_at),
  }));
}

async function listReperformances(supabase: Client, versionId: string): Promise<Reperformance[]> {
  const { data, error } = await supabase
    .from("sample_reperformances")
    .select("id, identical, performed_at, result, performer:profiles!performed_by(full_name, email)")
    .eq("version_id", versionId)
    .order("performed_at", { ascending: false })
    .order("id", { ascending: false })
    .limit(5);
  if (error) fail("re-performances query", error);
  return data.map((r) => ({
    id: r.id,
    identical: r.identical,
    at: formatTime(r.performed_at),
    by: personName(r.performer as Person | null),
    result: r.result as unknown as Reperformance["result"],
  }));
}

async function listRequests(
  supabase: Client,
  cycleReportId: number,
  versions: VersionView[],
): Promise<SampleRequest[]> {
  const { data, error } = await supabase
    .from("sample_requests")
    .select(
      "id, version_id, sample_key, reason, fulfilled_decision_id, requester:profiles!requested_by(full_name, email)",
    )
    .eq("cycle_report_id", cycleReportId)
    .order("requested_at")
    .order("id")
    .limit(1000);
  if (error) fail("sample requests query", error);
  return data.map((r) => ({
    id: r.id,
    versionNumber: versions.find((v) => v.id === r.version_id)?.number ?? 0,
    key: r.sample_key,
    reason: r.reason,
    by: personName(r.requester as Person | null),
    fulfilled: r.fulfilled_decision_id !== null,
  }));
}

async function listTargetRules(supabase: Client, cycleReportId: number): Promise<{ id: string; name: string }[]> {
  const { data: versions, error } = await supabase
    .from("artifact_versions")
    .select("id")
    .eq("cycle_report_id", cycleReportId)
    .eq("phase_name", "data_profiling")
    .eq("version_status", "approved");
  if (error) fail("approved profiling version query", error);
  if (!versions.length) return [];
  const rules = await supabase
    .from("profiling_rules")
    .select("id, name")
    .eq("version_id", versions[0]!.id)
    .eq("item_status", "approved")
    .order("name")
    .order("id");
  if (rules.error) fail("profiling rules query", rules.error);
  return rules.data;
}

const numberOr = (value: string | null, fallback: number) => {
  const n = Number(value);
  return value !== null && value !== "" && Number.isFinite(n) ? n : fallback;
};

async function calculate(supabase: Client, query: URLSearchParams): Promise<SamplingWorkspace["calculator"]> {
  const confidence = numberOr(query.get("confidence"), 95);
  const tolerable = numberOr(query.get("tolerable"), 5);
  const expected = numberOr(query.get("expected"), 0);
  const { data, error } = await supabase.rpc("attribute_sample_size", {
    p_confidence: confidence / 100,
    p_tolerable_rate: tolerable / 100,
    p_expected_deviations: expected,
  });
  return { confidence, tolerable, expected, size: error ? null : data, error: error ? error.message : null };
}

/**
 * Everything the sample-selection page shows, chosen by its query: `version` (default the newest), `search`
 * (a key prefix to search the population with) and the calculator's `confidence`, `tolerable`, `expected`
 * (percent, percent, count). Null when the cycle report is absent or not visible.
 */
export async function loadSamplingWorkspace(
  supabase: Client,
  user: User,
  cycleReportId: number,
  query: URLSearchParams,
): Promise<SamplingWorkspace | null> {
  const [cycleReport, phase] = await Promise.all([
    viewerOf(supabase, user).then((viewer) => getCycleReport(supabase, viewer, cycleReportId)),
    getPhase(supabase, cycleReportId),
  ]);
  if (!cycleReport || !phase) return null;
  const { works, reviews } = cycleReport.relationship;
  const versions = await listVersions(supabase, phase.id);
  const version = versions.find((v) => v.id === query.get("version")) ?? versions[0] ?? null;
  const [selection, samples, sources, rules, reperformances, requests, calculator, drawJob, reperformJob] =
    await Promise.all([
      version ? getSelection(supabase, version.id) : null,
      version ? listSamples(supabase, version.id, versions) : [],
      listSources(supabase, version?.basisVersionId ?? null),
      listTargetRules(supabase, cycleReportId),
      version ? listReperformances(supabase, version.id) : [],
      listRequests(supabase, cycleReportId, versions),
      calculate(supabase, query),
      version ? getDrawJob(supabase, version.id) : null,
      version ? getDrawJob(supabase, version.id, "sampling.reperform") : null,
    ]);
  const prefix = query.get("search");
  let search: SamplingWorkspace["search"] = null;
  const fromDatabase = sources.some((s) => s.id === selection?.dataSourceId && !s.isUpload);
  // A database population is not searched from here (the API cannot reach it).
  if (version && selection && prefix !== null && !fromDatabase) {
    const { data, error } = await supabase.rpc("search_sample_population", {
      p_version_id: version.id,
      p_key_prefix: prefix,
      p_limit: 20,
    });
    if (error) fail("population search", error);
    search = { prefix, rows: (data ?? []) as SearchRow[] };
  }
  return {
    cycleReport: {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      regulation: cycleReport.regulation,
    },
    works,
    reviews,
    phase,
    versions,
    version,
    selection,
    samples,
    sources,
    rules,
    reperformances,
    requests,
    search,
    calculator,
    drawJob,
    reperformJob,
  };
}
