import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import {
  awaitingOf,
  relationshipOf,
  type CycleReportCard,
  type PhaseStep,
  type Relationship,
  type Viewer,
} from "./cycle-report-summary";
import { personName, stampOf, type Stamp } from "./format";
import { readAll } from "./read-all.server";
import type { ActivityStatus, CycleReportStatus, PhaseStatus } from "./workflow-status";

type Client = SupabaseClient<Database>;

/** Open versions are the only ones that can still await anyone. */
const openStatuses = ["draft", "pending_approval"] as const;

export async function viewerOf(supabase: Client, user: User): Promise<Viewer> {
  const { data, error } = await supabase.from("profiles").select("app_role").eq("id", user.id).maybeSingle();
  if (error) throw new Error(`profile lookup failed: ${error.message}`);
  return { id: user.id, isAdmin: data?.app_role === "admin" };
}

/** Every cycle report the user may read (row-level security decides which), with its phases in order. */
export async function listCycleReports(supabase: Client, viewer: Viewer): Promise<CycleReportCard[]> {
  // An admin sees every cycle report of every cycle: read in pages.
  const data = await readAll("cycle reports query", (from, to) =>
    supabase
      .from("cycle_reports")
      .select(
        `id, status,
         reports(name, regulation, owner_id),
         test_cycles(name, period_start),
         workflow_phases(id, phase_name, phase_order, status, phase_definitions(display_name)),
         cycle_report_testers(tester_id),
         artifact_versions(version_status, item_count, tester_decided_count, owner_decided_count,
           phase_definitions(owner_item_review))`,
      )
      .order("phase_order", { referencedTable: "workflow_phases" })
      .in("artifact_versions.version_status", openStatuses)
      .order("id")
      .range(from, to),
  );
  const cards = data.map((row) => {
    const relationship = relationshipOf(
      viewer,
      row.reports?.owner_id ?? null,
      row.cycle_report_testers.map((t) => t.tester_id),
    );
    return {
      card: {
        id: row.id,
        reportName: row.reports?.name ?? "",
        regulation: row.reports?.regulation ?? "",
        cycleName: row.test_cycles?.name ?? "",
        status: row.status,
        phases: row.workflow_phases.map(toStep),
        relationship,
        awaiting: awaitingOf(
          relationship,
          row.artifact_versions.map(({ phase_definitions, ...version }) => ({
            ...version,
            owner_item_review: phase_definitions?.owner_item_review ?? false,
          })),
        ),
      } satisfies CycleReportCard,
      periodStart: row.test_cycles?.period_start ?? "",
    };
  });
  // Latest cycle first, then reports by name.
  cards.sort(
    (a, b) => b.periodStart.localeCompare(a.periodStart) || a.card.reportName.localeCompare(b.card.reportName),
  );
  return cards.map(({ card }) => card);
}

function toStep(phase: {
  id: number;
  phase_name: string;
  phase_order: number;
  status: PhaseStatus;
  phase_definitions: { display_name: string } | null;
}): PhaseStep {
  return {
    id: phase.id,
    name: phase.phase_name,
    label: phase.phase_definitions?.display_name ?? phase.phase_name,
    order: phase.phase_order,
    status: phase.status,
  };
}

export type { Stamp } from "./format";

export interface ActivityDetail {
  id: number;
  name: string;
  required: boolean;
  /** What completes the activity by itself (the database's proof, in words), or null for a manual step. */
  provenBy: string | null;
  status: ActivityStatus;
  started: Stamp;
  completed: Stamp;
}

export interface PhaseDetail extends PhaseStep {
  dependsOn: string[];
  /** Why an admin skipped the phase, or last reopened it (workflow_phases.skip_reason / reopen_reason). */
  skipReason: string | null;
  reopenReason: string | null;
  started: Stamp;
  completed: Stamp;
  activities: ActivityDetail[];
}

export interface CycleReportDetail {
  id: number;
  reportName: string;
  regulation: string;
  cycleName: string;
  status: CycleReportStatus;
  owner: string | null;
  testers: string[];
  relationship: Relationship;
  /** Admins may skip a phase that has no approved version and reopen a completed one. */
  canOverride: boolean;
  phases: PhaseDetail[];
}

const stamp = stampOf;

type ActivityProof = Database["public"]["Enums"]["activity_proof"];

/**
 * What completes an activity by itself, in words, as the database decides it (private.is_provable_activity): a
 * proof, and the phase's item tables exist (the one it names among them). Otherwise a manual step: null.
 */
export function provenBy(
  activity: { proof: ActivityProof | null; proof_item_table: unknown },
  itemTables: string[],
): string | null {
  const table = typeof activity.proof_item_table === "string" ? activity.proof_item_table : null;
  if (!activity.proof || itemTables.length === 0 || (table !== null && !itemTables.includes(table))) return null;
  switch (activity.proof) {
    case "items_exist":
      return table
        ? `the current version has ${table.replace(/^.*\./, "").replaceAll("_", " ")}`
        : "the current version has items";
    case "items_decided":
      return "every item of the current version is decided";
    case "version_submitted":
      return "the current version is submitted";
    case "version_approved":
      return "the current version is approved";
  }
}

/** One cycle report with its phases and activities in order, or null when it is absent or not visible. */
export async function getCycleReport(supabase: Client, viewer: Viewer, id: number): Promise<CycleReportDetail | null> {
  const { data, error } = await supabase
    .from("cycle_reports")
    .select(
      `id, status,
       reports(name, regulation, owner_id, owner:profiles(full_name, email)),
       test_cycles(name),
       cycle_report_testers(tester_id, tester:profiles!tester_id(full_name, email)),
       workflow_phases(id, phase_name, phase_order, status, started_at, completed_at, skip_reason, reopen_reason,
         phase_definitions(display_name, depends_on, item_tables),
         started_by_person:profiles!started_by(full_name, email),
         completed_by_person:profiles!completed_by(full_name, email),
         workflow_activities(id, activity_name, activity_order, is_required, status, started_at, completed_at,
           proof, proof_item_table,
           started_by_person:profiles!started_by(full_name, email),
           completed_by_person:profiles!completed_by(full_name, email)))`,
    )
    .eq("id", id)
    .order("phase_order", { referencedTable: "workflow_phases" })
    .order("activity_order", { referencedTable: "workflow_phases.workflow_activities" })
    .maybeSingle();
  if (error) throw new Error(`cycle report query failed: ${error.message}`);
  if (!data) return null;
  const labels = new Map(
    data.workflow_phases.map((p) => [p.phase_name, p.phase_definitions?.display_name ?? p.phase_name]),
  );
  return {
    id: data.id,
    reportName: data.reports?.name ?? "",
    regulation: data.reports?.regulation ?? "",
    cycleName: data.test_cycles?.name ?? "",
    status: data.status,
    owner: personName(data.reports?.owner ?? null),
    testers: data.cycle_report_testers.map((t) => personName(t.tester)).filter((name) => name !== null),
    relationship: relationshipOf(
      viewer,
      data.reports?.owner_id ?? null,
      data.cycle_report_testers.map((t) => t.tester_id),
    ),
    canOverride: viewer.isAdmin,
    phases: data.workflow_phases.map((phase) => ({
      ...toStep(phase),
      dependsOn: (phase.phase_definitions?.depends_on ?? []).map((name) => labels.get(name) ?? name),
      skipReason: phase.skip_reason,
      reopenReason: phase.reopen_reason,
      started: stamp(phase.started_by_person, phase.started_at),
      completed: stamp(phase.completed_by_person, phase.completed_at),
      activities: phase.workflow_activities.map((activity) => ({
        id: activity.id,
        name: activity.activity_name,
        required: activity.is_required,
        provenBy: provenBy(activity, (phase.phase_definitions?.item_tables ?? []).map(String)),
        status: activity.status,
        started: stamp(activity.started_by_person, activity.started_at),
        completed: stamp(activity.completed_by_person, activity.completed_at),
      })),
    })),
  };
}
