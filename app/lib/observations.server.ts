import type { SupabaseClient, User } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { formatTime, personName } from "./format";
import { createObservationForm, editObservationForm, moveObservationForm } from "./observation-forms";
import { type ActionResult, changed, dispatchIntent, type Handler, handler, refused, uuid } from "./versions.server";

type Client = SupabaseClient<Database>;

function fail(what: string, error: { message: string }): never {
  throw new Error(`${what} failed: ${error.message}`);
}

export interface ObservationView {
  id: string;
  title: string;
  status: string;
  severity: string;
  category: string;
  condition: string | null;
  criteria: string | null;
  cause: string | null;
  consequence: string | null;
  rootCause: string | null;
  impactedReportLines: string[];
  remediationOwnerId: string | null;
  remediationOwner: string | null;
  dueDate: string | null;
  ownerResponse: string | null;
  remediationPlan: string | null;
  validationEvidence: string | null;
  proposedFrom: string | null;
}

export interface ObservationDetail extends ObservationView {
  evidence: { id: number; kind: string; label: string }[];
  history: { id: number; from: string | null; to: string; actor: string; comment: string; by: string; at: string }[];
  /** The moves the viewer may make now, from observation_transitions. */
  moves: { to: string; label: string; requires: string | null }[];
}

export interface ObservationsPage {
  cycleReport: { id: number; title: string; regulation: string };
  /** The viewer reads the cycle report only as the remediation owner of some of its observations. */
  remediatesOnly: boolean;
  phase: { id: number; status: string } | null;
  works: boolean;
  owns: boolean;
  me: string;
  observations: ObservationView[];
  selected: ObservationDetail | null;
  owners: { id: string; name: string }[];
}

type ObservationRow = Database["public"]["Tables"]["observations"]["Row"] & {
  remediation_owner: { full_name: string | null; email: string } | null;
};

function viewOf(o: ObservationRow): ObservationView {
  return {
    id: o.id,
    title: o.title,
    status: o.status,
    severity: o.severity,
    category: o.category,
    condition: o.condition,
    criteria: o.criteria,
    cause: o.cause,
    consequence: o.consequence,
    rootCause: o.root_cause,
    impactedReportLines: o.impacted_report_lines,
    remediationOwnerId: o.remediation_owner_id,
    remediationOwner: o.remediation_owner ? personName(o.remediation_owner) : null,
    dueDate: o.due_date,
    ownerResponse: o.owner_response,
    remediationPlan: o.remediation_plan,
    validationEvidence: o.validation_evidence,
    proposedFrom: o.proposed_from,
  };
}

export async function loadObservationsPage(
  supabase: Client,
  user: User,
  cycleReportId: number,
  search: URLSearchParams,
): Promise<ObservationsPage | null> {
  const viewer = await viewerOf(supabase, user);
  const cycleReport = await getCycleReport(supabase, viewer, cycleReportId);
  let about: ObservationsPage["cycleReport"];
  if (cycleReport) {
    about = {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      regulation: cycleReport.regulation,
    };
  } else {
    // A remediation owner outside the assignment: the page of the observations they remediate, nothing more.
    const assigned = await supabase.rpc("remediation_assignments");
    if (assigned.error) fail("remediation assignments query", assigned.error);
    const mine = assigned.data.find((a) => a.cycle_report_id === cycleReportId);
    if (!mine) return null;
    about = { id: cycleReportId, title: `${mine.report_name} · ${mine.cycle_name}`, regulation: mine.regulation };
  }
  const phase = cycleReport?.phases.find((p) => p.name === "observation_mgmt");
  const { data, error } = await supabase
    .from("observations")
    .select("*, remediation_owner:profiles!remediation_owner_id(full_name, email)")
    .eq("cycle_report_id", cycleReportId)
    .order("created_at");
  if (error) fail("observations query", error);
  const observations = (data as ObservationRow[]).map(viewOf);
  const works = cycleReport?.relationship.works ?? false;
  const owns = (cycleReport?.relationship.reviews ?? false) && !viewer.isAdmin;
  const owners =
    works || owns
      ? await supabase
          .from("profiles")
          .select("id, full_name, email")
          .in("app_role", ["report_owner", "data_provider"])
          .order("email")
      : { data: [], error: null };
  if (owners.error) fail("owners query", owners.error);
  const chosen = observations.find((o) => o.id === search.get("observation")) ?? null;
  let selected: ObservationDetail | null = null;
  if (chosen) {
    const [evidence, history, transitions] = await Promise.all([
      supabase
        .from("observation_evidence")
        .select(
          "id, kind, test_cases(sample_key, attribute_name, exception_description), profiling_rule_results(failed_count, pass_rate, profiling_rules(name))",
        )
        .eq("observation_id", chosen.id)
        .order("id"),
      supabase
        .from("observation_history")
        .select("id, from_status, to_status, actor, comment, moved_at, mover:profiles!moved_by(full_name, email)")
        .eq("observation_id", chosen.id)
        .order("id"),
      supabase.from("observation_transitions").select("*").eq("from_status", chosen.status),
    ]);
    if (evidence.error) fail("evidence query", evidence.error);
    if (history.error) fail("history query", history.error);
    if (transitions.error) fail("transitions query", transitions.error);
    const mayAct = (actor: string) =>
      actor === "tester" ? works : actor === "report_owner" ? owns : chosen.remediationOwnerId === viewer.id;
    const moves = new Map<string, { to: string; label: string; requires: string | null }>();
    for (const t of transitions.data) {
      if (mayAct(t.actor) && !moves.has(t.to_status))
        moves.set(t.to_status, { to: t.to_status, label: t.label, requires: t.requires });
    }
    selected = {
      ...chosen,
      evidence: evidence.data.map((e) => {
        const tc = e.test_cases as {
          sample_key: string;
          attribute_name: string;
          exception_description: string | null;
        } | null;
        const rr = e.profiling_rule_results as {
          failed_count: number | null;
          pass_rate: number | null;
          profiling_rules: { name: string } | null;
        } | null;
        return {
          id: e.id,
          kind: e.kind,
          label: tc
            ? `Sample ${tc.sample_key} · ${tc.attribute_name}: ${tc.exception_description ?? "failed"}`
            : `Rule ${rr?.profiling_rules?.name ?? ""}: ${rr?.failed_count ?? 0} failed (pass rate ${rr?.pass_rate ?? "?"}%)`,
        };
      }),
      history: history.data.map((h) => ({
        id: h.id,
        from: h.from_status,
        to: h.to_status,
        actor: h.actor.replace("_", " "),
        comment: h.comment,
        by: personName(h.mover as { full_name: string | null; email: string } | null) ?? "the database",
        at: formatTime(h.moved_at) ?? "",
      })),
      moves: [...moves.values()],
    };
  }
  return {
    cycleReport: about,
    remediatesOnly: !cycleReport,
    phase: phase ? { id: phase.id, status: phase.status } : null,
    works,
    owns,
    me: viewer.id,
    observations,
    selected,
    owners: owners.data.map((p) => ({ id: p.id, name: personName(p) ?? p.email })),
  };
}

const handlers: Record<string, Handler> = {
  propose: handler(z.object({ cycle_report_id: z.coerce.number().int().positive() }), async (supabase, f) => {
    const { data, error, status } = await supabase.rpc("propose_observations", {
      p_cycle_report_id: f.cycle_report_id,
    });
    if (error) return refused("propose", error, status);
    const first = (data as { id: string }[])[0];
    return { ok: true, search: first ? { observation: first.id } : {} };
  }),
  create: handler(
    createObservationForm,
    async (supabase, f) => {
      const { data, error, status } = await supabase
        .from("observations")
        .insert({
          cycle_report_id: f.cycle_report_id,
          title: f.title,
          severity: f.severity,
          category: f.category,
          condition: f.condition,
        })
        .select("id");
      if (error) return refused("create", error, status);
      return { ok: true, search: { observation: data[0]!.id } };
    },
    { sayFields: true },
  ),
  edit: handler(
    editObservationForm,
    async (supabase, f) =>
      changed(
        "edit",
        supabase
          .from("observations")
          .update({ [f.field]: f.value } as Database["public"]["Tables"]["observations"]["Update"])
          .eq("id", f.observation_id)
          .select("id"),
        { observation: f.observation_id },
      ),
    { sayFields: true },
  ),
  move: handler(
    moveObservationForm,
    async (supabase, f) => {
      const { error, status } = await supabase.rpc("move_observation", {
        p_observation_id: f.observation_id,
        p_to_status: f.to_status,
        p_comment: f.comment,
      });
      if (error) return refused("move", error, status);
      return { ok: true, search: { observation: f.observation_id } };
    },
    { sayFields: true },
  ),
  remove: handler(z.object({ observation_id: uuid }), async (supabase, f) =>
    changed("remove", supabase.from("observations").delete().eq("id", f.observation_id).select("id"), {}),
  ),
};

export function runObservationAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}

export interface RemediationAssignment {
  observationId: string;
  cycleReportId: number;
  about: string;
  title: string;
  severity: string;
  status: string;
  dueDate: string | null;
  overdue: boolean;
}

/** The observations the user is the remediation owner of (remediation_assignments), open ones first by due date. */
export async function listRemediationAssignments(supabase: Client): Promise<RemediationAssignment[]> {
  const { data, error } = await supabase.rpc("remediation_assignments");
  if (error) fail("remediation assignments query", error);
  const today = new Date().toISOString().slice(0, 10);
  return data.map((a) => ({
    observationId: a.observation_id,
    cycleReportId: a.cycle_report_id,
    about: `${a.report_name} · ${a.cycle_name}`,
    title: a.title,
    severity: a.severity,
    status: a.status,
    dueDate: a.due_date,
    overdue: !!a.due_date && a.due_date < today && !["validated", "closed"].includes(a.status),
  }));
}
