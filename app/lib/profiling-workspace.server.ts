import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import {
  compareResults,
  getGenerationProgress,
  getProfilingPhase,
  listAttributeOptions,
  listResults,
  listRules,
  listRuns,
  listProfilingVersions,
  type AttributeOption,
  type GenerationState,
  type ProfilingPhase,
  type ProfilingRule,
  type ProfilingVersion,
  type RateDelta,
  type Run,
  type RuleResult,
} from "./profiling.server";
import { isUuid } from "./route-params";

export interface ProfilingWorkspace {
  cycleReport: { id: number; title: string; regulation: string };
  /** An assigned tester or admin: tester decisions, rules, submit, runs, anomalies. */
  works: boolean;
  /** The report owner or admin: owner decisions, approve, reject. */
  reviews: boolean;
  phase: ProfilingPhase;
  versions: ProfilingVersion[];
  version: ProfilingVersion | null;
  rules: ProfilingRule[];
  attributes: AttributeOption[];
  runs: Run[];
  run: Run | null;
  results: RuleResult[];
  comparison: { before: Run; after: Run; rows: RateDelta[] } | null;
  /** A rule-generation job started from this page, while its progress and outcome are being looked at. */
  generation: GenerationState | null;
  /** The draft's rule being edited (`edit_rule`), if any. */
  editRuleId: string | null;
  /** Which source each attribute's rules run on: the data request's accepted one, else the planning source. */
  attributeSources: AttributeSource[];
}

export interface AttributeSource {
  attribute: string;
  /** request: accepted by the data request; planning: the attribute's planning source. */
  kind: "request" | "planning";
  name: string | null;
  table: string | null;
  rowCount: number | null;
  requestId: number | null;
}

async function listAttributeSources(supabase: SupabaseClient<Database>, versionId: string): Promise<AttributeSource[]> {
  const { data, error } = await supabase.rpc("profiling_attribute_sources", { p_version_id: versionId });
  if (error) throw new Error(`sources of ${versionId}: ${error.message}`);
  return (data ?? []).map((s) => ({
    attribute: s.attribute_name,
    kind: s.source_kind === "request" ? "request" : "planning",
    name: s.source_name,
    table: s.table_name,
    rowCount: s.row_count,
    requestId: s.request_id,
  }));
}

/**
 * Everything the profiling page shows, chosen by its query: `version` (default the newest), `run` (default
 * the selected version's latest run) and `before`/`after` (two runs to compare) and `generation` (a rule-generation job). Null when the cycle
 * report is absent or not visible.
 */
export async function loadWorkspace(
  supabase: SupabaseClient<Database>,
  user: User,
  cycleReportId: number,
  query: URLSearchParams,
): Promise<ProfilingWorkspace | null> {
  const [cycleReport, phase] = await Promise.all([
    viewerOf(supabase, user).then((viewer) => getCycleReport(supabase, viewer, cycleReportId)),
    getProfilingPhase(supabase, cycleReportId),
  ]);
  if (!cycleReport || !phase) return null;
  const { works, reviews } = cycleReport.relationship;
  const versions = await listProfilingVersions(supabase, phase.id);
  const version = versions.find((v) => v.id === query.get("version")) ?? versions[0] ?? null;
  // The generation job is read before the rules: a job seen as finished then has its rules in the read
  // after it, and a job seen running is polled until it ends and the page reloads.
  const generationId = query.get("generation");
  const generation = isUuid(generationId) ? await getGenerationProgress(supabase, generationId) : null;
  const [rules, attributes, runs, attributeSources] = await Promise.all([
    version ? listRules(supabase, version.id) : [],
    version?.status === "draft" && works && version.basisVersionId
      ? listAttributeOptions(supabase, version.basisVersionId, cycleReportId)
      : [],
    listRuns(supabase, cycleReportId, versions),
    version ? listAttributeSources(supabase, version.id) : [],
  ]);
  const run =
    runs.find((r) => r.id === query.get("run")) ?? runs.find((r) => version && r.versionId === version.id) ?? null;
  const before = runs.find((r) => r.id === query.get("before"));
  const after = runs.find((r) => r.id === query.get("after"));
  const [results, comparison] = await Promise.all([
    run ? listResults(supabase, run.id) : [],
    before && after
      ? Promise.all([listResults(supabase, before.id), listResults(supabase, after.id)]).then(([b, a]) => ({
          before,
          after,
          rows: compareResults(b, a),
        }))
      : null,
  ]);
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
    rules,
    attributes,
    runs,
    run,
    results,
    comparison,
    generation,
    attributeSources,
    editRuleId: rules.some((r) => r.id === query.get("edit_rule")) ? query.get("edit_rule") : null,
  };
}
