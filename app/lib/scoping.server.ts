import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { personName, type Person } from "./format";
import { readGenerationJob, type GenerationJob } from "./generation.server";
import { readAll } from "./read-all.server";
import { isUuid } from "./route-params";
import { decisionFilters, type DecisionFilter } from "./scoping";
import { listVersions, type Decision, type ItemStatus, type VersionView } from "./versions.server";

type Client = SupabaseClient<Database>;
type Level = Database["public"]["Enums"]["risk_level"];

export interface ScopingRecommendation {
  inScope: boolean;
  riskRating: Level | null;
  testingApproach: string | null;
  reason: string | null;
  provider: string | null;
  confidence: number | null;
}

/** One decision as the workspace shows it: the attribute as planning defined it, the scope, the decisions. */
export interface ScopingDecisionRow {
  id: string;
  attributeId: string;
  name: string;
  dataType: string;
  isCde: boolean;
  isPrimaryKey: boolean;
  isMandatory: boolean;
  regulatory: boolean;
  riskScore: number;
  classification: string;
  inScope: boolean;
  riskRating: Level | null;
  testingApproach: string | null;
  rationale: string | null;
  recommendation: ScopingRecommendation | null;
  /** unchanged | changed | added in a copied version; null in a first version. */
  attributeChange: string | null;
  testerDecision: Decision | null;
  testerNotes: string | null;
  testerBy: string | null;
  ownerDecision: Decision | null;
  ownerNotes: string | null;
  ownerBy: string | null;
  status: ItemStatus;
}

/** A decision that differs between two versions (by attribute name), or is only in one of them. */
export interface ScopingChange {
  name: string;
  kind: "added" | "removed" | "changed";
  before: ScopingDecisionRow | null;
  after: ScopingDecisionRow | null;
}

export interface ScopingWorkspace {
  cycleReport: { id: number; title: string; regulation: string };
  works: boolean;
  reviews: boolean;
  phase: { id: number; status: Database["public"]["Enums"]["phase_status"] };
  versions: VersionView[];
  version: VersionView | null;
  filter: DecisionFilter;
  counts: Record<DecisionFilter, number>;
  decisions: ScopingDecisionRow[];
  job: GenerationJob | null;
  comparison: { before: VersionView; after: VersionView; changes: ScopingChange[] } | null;
}

const DECISION_COLUMNS = `id, attribute_id, in_scope, risk_rating, testing_approach, rationale, recommended_in_scope,
  recommended_risk_rating, recommended_testing_approach, recommendation_reason, recommendation_provider,
  recommendation_confidence, attribute_change, tester_decision, tester_notes, report_owner_decision,
  report_owner_notes, item_status,
  tester:profiles!tester_decided_by(full_name, email),
  owner:profiles!report_owner_decided_by(full_name, email),
  planning_attributes(name, data_type, is_cde, is_primary_key, is_mandatory, information_security_classification,
    planning_pde_mappings(risk_score, classification))`;

/** Every decision of a scoping version with its attribute, by attribute name. */
export async function listScopingDecisions(supabase: Client, versionId: string): Promise<ScopingDecisionRow[]> {
  const data = await readAll("scoping decisions query", (from, to) =>
    supabase.from("scoping_decisions").select(DECISION_COLUMNS).eq("version_id", versionId).order("id").range(from, to),
  );
  return data
    .map((d) => {
      const a = d.planning_attributes;
      const mappings = a?.planning_pde_mappings ?? [];
      return {
        id: d.id,
        attributeId: d.attribute_id,
        name: a?.name ?? "",
        dataType: a?.data_type ?? "",
        isCde: a?.is_cde ?? false,
        isPrimaryKey: a?.is_primary_key ?? false,
        isMandatory: a?.is_mandatory ?? false,
        regulatory: mappings.some(
          (m) => (m.classification as { regulatory_flag?: unknown } | null)?.regulatory_flag === true,
        ),
        riskScore: Math.max(0, ...mappings.map((m) => m.risk_score)),
        classification: a?.information_security_classification ?? "",
        inScope: d.in_scope,
        riskRating: d.risk_rating,
        testingApproach: d.testing_approach,
        rationale: d.rationale,
        recommendation:
          d.recommended_in_scope === null
            ? null
            : {
                inScope: d.recommended_in_scope,
                riskRating: d.recommended_risk_rating,
                testingApproach: d.recommended_testing_approach,
                reason: d.recommendation_reason,
                provider: d.recommendation_provider,
                confidence: d.recommendation_confidence,
              },
        attributeChange: d.attribute_change,
        testerDecision: d.tester_decision,
        testerNotes: d.tester_notes,
        testerBy: personName(d.tester as Person | null),
        ownerDecision: d.report_owner_decision,
        ownerNotes: d.report_owner_notes,
        ownerBy: personName(d.owner as Person | null),
        status: d.item_status,
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
}

const matches: Record<DecisionFilter, (d: ScopingDecisionRow) => boolean> = {
  all: () => true,
  undecided: (d) => d.testerDecision === null,
  awaiting_owner: (d) => d.testerDecision !== null && d.ownerDecision === null,
  approved: (d) => d.status === "approved",
  rejected: (d) => d.status === "rejected",
  in_scope: (d) => d.inScope,
  out_of_scope: (d) => !d.inScope,
};

const filterOf = (value: string | null): DecisionFilter =>
  value !== null && Object.hasOwn(decisionFilters, value) ? (value as DecisionFilter) : "all";

/** What a decision says, for comparing two versions. */
const said = (d: ScopingDecisionRow) =>
  JSON.stringify([d.inScope, d.riskRating, d.testingApproach, d.rationale, d.status]);

export function compareDecisions(before: ScopingDecisionRow[], after: ScopingDecisionRow[]): ScopingChange[] {
  const old = new Map(before.map((d) => [d.name, d]));
  const changes: ScopingChange[] = [];
  for (const d of after) {
    const b = old.get(d.name);
    old.delete(d.name);
    if (!b) changes.push({ name: d.name, kind: "added", before: null, after: d });
    else if (said(b) !== said(d)) changes.push({ name: d.name, kind: "changed", before: b, after: d });
  }
  for (const b of old.values()) changes.push({ name: b.name, kind: "removed", before: b, after: null });
  return changes.sort((x, y) => x.name.localeCompare(y.name));
}

/**
 * Everything the scoping page shows, chosen by its query: `version` (default the newest), `state` (a decision
 * filter), `job` (a recommendation job started from the page), and `from`/`to` (two versions to compare; `to` is
 * then the version shown). Null when the cycle report is absent or not visible.
 */
export async function loadScopingWorkspace(
  supabase: Client,
  user: User,
  cycleReportId: number,
  query: URLSearchParams,
): Promise<ScopingWorkspace | null> {
  const cycleReport = await getCycleReport(supabase, await viewerOf(supabase, user), cycleReportId);
  const phase = cycleReport?.phases.find((p) => p.name === "scoping");
  if (!cycleReport || !phase) return null;
  const versions = await listVersions(supabase, phase.id);
  const wanted = query.get("to") ?? query.get("version");
  const version = versions.find((v) => v.id === wanted) ?? versions[0] ?? null;
  // The job is read before the decisions: a job seen as finished then has its recommendations in the read after it.
  const jobId = query.get("job");
  const job = isUuid(jobId) ? await readGenerationJob(supabase, jobId) : null;
  const all = version ? await listScopingDecisions(supabase, version.id) : [];
  const filter = filterOf(query.get("state"));
  const counts = Object.fromEntries(
    Object.keys(decisionFilters).map((f) => [f, all.filter(matches[f as DecisionFilter]).length]),
  ) as Record<DecisionFilter, number>;
  const from = versions.find((v) => v.id === query.get("from"));
  const comparison =
    from && version && from.id !== version.id
      ? { before: from, after: version, changes: compareDecisions(await listScopingDecisions(supabase, from.id), all) }
      : null;
  return {
    cycleReport: {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      regulation: cycleReport.regulation,
    },
    works: cycleReport.relationship.works,
    reviews: cycleReport.relationship.reviews,
    phase: { id: phase.id, status: phase.status },
    versions,
    version,
    filter,
    counts,
    decisions: all.filter(matches[filter]),
    job,
    comparison,
  };
}
