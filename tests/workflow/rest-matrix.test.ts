// The row-level security matrix of supabase/tests/database/14-rls-matrix.test.sql and 24-planning-rls-matrix.test.sql,
// seen through the REST API: each table × (anon, the assigned tester, an unassigned tester, the report's owner,
// the owner of another report, an admin) × (select, insert, update, delete), then the version RPCs per role. Each
// cell is one request through supabase-js and checks the answer (rows, or the HTTP status, SQLSTATE and reason of
// the refusal); for writes it also reads the rows concerned as the database operator before and after, so a
// refused or filtered write is seen to change nothing and an allowed one to change exactly the rows it returned.
//
// The cells are about cycle reports of this file's own, built for the demo accounts (tester@ assigned, owner@
// owning the report; tester2@ and owner2@ work on FFIEC 031 only):
// - the matrix cycle report: planning version 1 approved (an upload source, an attribute), version 2 a draft the
//   tester created through the API (copies of both, plus a PDE mapping the tester added); data profiling version 1
//   approved (one rule) and a draft version 2 (its copy); a background job of the profiling version with one rule
//   result; an LLM call for the tester;
// - the lifecycle cycle report, planning started, whose planning versions each RPC cell puts in the state it needs;
// - a cycle report whose tester submitted a version and was then unassigned and made report owner and owner of
//   its report.
import { randomUUID } from "node:crypto";
import type { PostgrestError } from "@supabase/supabase-js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createStartedCycleReport } from "../support/cycle-report-fixture.ts";
import { createFixture, queueJob, type Fixture } from "../profiling/fixture.ts";
import {
  anonClient,
  createCycleReport,
  createUser,
  db,
  serviceClient,
  signIn,
  type Client,
  type TestUser,
} from "./support/fixtures";

type Actor = "anon" | "tester" | "tester2" | "owner" | "owner2" | "admin" | "submitter";

const who: Record<Actor, string> = {
  anon: "anon",
  tester: "the assigned tester",
  tester2: "an unassigned tester",
  owner: "the report's owner",
  owner2: "the owner of another report",
  admin: "an admin",
  submitter: "a report owner who submitted the version",
};

/** `rows`: the request succeeds and returns (for writes: affects) that many rows; otherwise the refusal. */
type Outcome = { rows: number } | { status: number; code: string; reason?: string };

const rows = (n: number): Outcome => ({ rows: n });
const refused = (status: number, code: string, reason?: string): Outcome => ({ status, code, reason });
/** A coded refusal of ours: SQLSTATE PT<status>, the reason in `details`. */
const pt = (status: number, reason: string): Outcome => refused(status, `PT${status}`, reason);
/** Anon has no privilege on any table or function of ours: 42501, which PostgREST answers 401 for anon. */
const ANON = refused(401, "42501");
/** A signed-in user without the table, column or function privilege: 42501, HTTP 403. */
const NO_PRIVILEGE = refused(403, "42501");

/** One outcome per person, in the column order of the pgTAP matrices. */
function by(
  anon: Outcome,
  tester: Outcome,
  tester2: Outcome,
  owner: Outcome,
  owner2: Outcome,
  admin: Outcome,
): Partial<Record<Actor, Outcome>> {
  return { anon, tester, tester2, owner, owner2, admin };
}

/** Nobody signed in may do it at all (no privilege), whatever the row. */
const nobody = () => by(ANON, NO_PRIVILEGE, NO_PRIVILEGE, NO_PRIVILEGE, NO_PRIVILEGE, NO_PRIVILEGE);

/** The assigned tester and admins may; the others see no row to change (RLS), anon has no privilege. */
const testerAndAdminOnly = () => by(ANON, rows(1), rows(0), rows(0), rows(0), rows(1));
/** The assigned tester and admins add items to a draft; the item guard refuses everyone else. */
const testerAndAdminAddItems = () =>
  by(
    ANON,
    rows(1),
    pt(403, "item_edit_requires_tester"),
    pt(403, "item_edit_requires_tester"),
    pt(403, "item_edit_requires_tester"),
    rows(1),
  );

/** Removes a case's victim row again, as the operator. */
const deleteById = (table: string) => async (victim: string) => {
  await db`delete from ${db(`public.${table}`)} where id = ${victim}`;
};

/** Rows as the operator reads them, by id, as JSON. */
type Snapshot = Record<string, unknown>;

interface Answer {
  data: unknown;
  error: PostgrestError | null;
  status: number;
}

interface Case {
  name: string;
  /** Puts the fixture in the state the request needs and returns the id it is about (if any). */
  given?: (actor: Actor) => Promise<string>;
  /** The request, asking for the ids of the rows it returned, inserted, updated or deleted. */
  request: (client: Client, target: string) => PromiseLike<Answer>;
  /** For writes: the rows concerned, read as the operator before and after the request. */
  rows?: (target: string) => Promise<Snapshot>;
  /** For allowed writes: what each row the request returned must look like afterwards. */
  effect?: (row: Record<string, unknown>, actorId: string, id: string) => Promise<void> | void;
  /** Restores the fixture afterwards (removes what an insert added, or a victim a delete left). */
  tidy?: (target: string) => Promise<void>;
  expect: Partial<Record<Actor, Outcome>>;
}

// Fixture ----------------------------------------------------------------------------------------------------

const f = {
  profiling: undefined as unknown as Fixture,
  cr: 0,
  phases: {} as Record<string, number>,
  v1: "",
  v2: "",
  attribute1: "",
  attribute2: "",
  p1: "",
  job: "",
  rpcCr: 0,
  rpcPlanning: 0,
  submitterCr: 0,
  submitterVersion: "",
};
const clients = {} as Record<Actor, Client>;
const ids = {} as Record<Actor, string>;
const freshUsers: TestUser[] = [];

async function snapshot(query: PromiseLike<{ id: string; row: unknown }[]>): Promise<Snapshot> {
  return Object.fromEntries((await query).map((r) => [r.id, r.row]));
}

/** The data of a fixture request through the API, which must succeed. */
function must<T>(answer: { data: T; error: PostgrestError | null }, what: string): NonNullable<T> {
  if (answer.error || answer.data === null || answer.data === undefined) {
    throw new Error(`${what}: ${answer.error?.message ?? "no data"}`);
  }
  return answer.data;
}

/** The open (draft) data-profiling version of the matrix cycle report, created as the operator if none is open. */
async function profilingDraft(): Promise<string> {
  const [open] = await db<{ id: string }[]>`
    select id from public.artifact_versions where phase_id = ${f.phases.data_profiling!} and version_status = 'draft'`;
  if (open) return open.id;
  const [created] = await db<{ id: string }[]>`select id from public.create_version(${f.phases.data_profiling!})`;
  return created!.id;
}

/** Victims of the delete cells, added as the operator to a draft. */
const victims = {
  planning_data_sources: async () =>
    (
      await db<{ id: string }[]>`
        insert into public.planning_data_sources (version_id, name, source_type, host, database_name, table_name, username)
        values (${f.v2}, ${`victim ${randomUUID()}`}, 'database', 'h', 'd', 't', 'u') returning id`
    )[0]!.id,
  planning_attributes: async () =>
    (
      await db<{ id: string }[]>`
        insert into public.planning_attributes (version_id, name, data_type)
        values (${f.v2}, ${`victim ${randomUUID()}`}, 'text') returning id`
    )[0]!.id,
  planning_pde_mappings: async () =>
    (
      await db<{ id: string }[]>`
        insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code)
        values (${f.v2}, ${f.attribute2}, 'Victim', ${`VIC-${randomUUID()}`}) returning id`
    )[0]!.id,
  profiling_rules: async () =>
    (
      await db<{ id: string }[]>`
        insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
        values (${await profilingDraft()}, ${f.attribute1}, ${`victim ${randomUUID()}`}, 'completeness',
                ${db.json({ kind: "not_null", column: "amount" })}) returning id`
    )[0]!.id,
};

/**
 * Brings the lifecycle cycle report's planning phase to the given state, as the operator, and returns the
 * version: no open version; a draft whose items (one attribute) all have a tester decision; or that draft
 * submitted through the API by `submitter`.
 */
async function planningVersion(state: "none" | "draft" | "pending", submitter: Actor = "tester"): Promise<string> {
  for (const open of await db<{ id: string; version_status: string }[]>`
    select id, version_status from public.artifact_versions
     where phase_id = ${f.rpcPlanning} and version_status in ('draft', 'pending_approval')`) {
    if (open.version_status === "draft") await db`delete from public.artifact_versions where id = ${open.id}`;
    else await db`select public.reject_version(${open.id}, 'Closed by the test before the next cell.')`;
  }
  if (state === "none") return "";
  const [draft] = await db<{ id: string }[]>`select id from public.create_version(${f.rpcPlanning})`;
  const decided = await db`
    update public.planning_attributes set tester_decision = 'approved' where version_id = ${draft!.id} returning id`;
  if (decided.length === 0) {
    await db`insert into public.planning_attributes (version_id, name, data_type, tester_decision)
             values (${draft!.id}, 'Balance', 'decimal', 'approved')`;
  }
  if (state === "pending") {
    must(await clients[submitter].rpc("submit_version", { p_version_id: draft!.id }), "submit_version");
  }
  return draft!.id;
}

const versionRow = (id: string) =>
  snapshot(db`select id::text, to_jsonb(v) as row from public.artifact_versions v where id = ${id}`);

// The cases ---------------------------------------------------------------------------------------------------

const cases: Case[] = [
  // artifact_versions: created through create_version only; testers and admins edit summaries and delete drafts
  {
    name: "select artifact_versions of the cycle report",
    given: async () => (await profilingDraft(), ""),
    request: (c) => c.from("artifact_versions").select("id").eq("cycle_report_id", f.cr),
    expect: by(ANON, rows(4), rows(0), rows(4), rows(0), rows(4)),
  },
  {
    name: "insert artifact_versions directly",
    request: (c) =>
      c
        .from("artifact_versions")
        .insert({ phase_id: f.phases.scoping! } as never)
        .select("id"),
    rows: () =>
      snapshot(db`select id::text, to_jsonb(v) as row from public.artifact_versions v where cycle_report_id = ${f.cr}`),
    expect: nobody(),
  },
  {
    name: "update artifact_versions (summary, unchanged) of the cycle report",
    given: async () => (await profilingDraft(), ""),
    request: (c) => c.from("artifact_versions").update({ summary: {} }).eq("cycle_report_id", f.cr).select("id"),
    rows: () =>
      snapshot(db`select id::text, to_jsonb(v) as row from public.artifact_versions v where cycle_report_id = ${f.cr}`),
    expect: by(ANON, rows(4), rows(0), rows(0), rows(0), rows(4)),
  },
  {
    name: "delete artifact_versions (the data-profiling draft)",
    given: profilingDraft,
    request: (c, draft) => c.from("artifact_versions").delete().eq("id", draft).select("id"),
    rows: versionRow,
    expect: testerAndAdminOnly(),
  },

  // planning_data_sources: created by the planning-sources function; people rename and decide, delete in drafts
  {
    name: "select planning_data_sources of both planning versions",
    request: (c) => c.from("planning_data_sources").select("id").in("version_id", [f.v1, f.v2]),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "insert planning_data_sources into the draft",
    request: (c) =>
      c
        .from("planning_data_sources")
        .insert({
          version_id: f.v2,
          name: "new source",
          source_type: "database",
          host: "h",
          database_name: "d",
          table_name: "t",
          username: "u",
        } as never)
        .select("id"),
    rows: () => sourcesOf(f.v2),
    tidy: async () => {
      await db`delete from public.planning_data_sources where version_id = ${f.v2} and name = 'new source'`;
    },
    expect: nobody(),
  },
  {
    name: "update planning_data_sources (name, unchanged) of both planning versions",
    request: (c) =>
      c.from("planning_data_sources").update({ name: "Upload" }).in("version_id", [f.v1, f.v2]).select("id"),
    rows: () => sourcesOf(f.v1, f.v2),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "delete planning_data_sources (a source of the draft)",
    given: victims.planning_data_sources,
    request: (c, victim) => c.from("planning_data_sources").delete().eq("id", victim).select("id"),
    rows: (victim) =>
      snapshot(db`select id::text, to_jsonb(s) as row from public.planning_data_sources s where id = ${victim}`),
    tidy: deleteById("planning_data_sources"),
    expect: testerAndAdminOnly(),
  },

  // planning_attributes: readers select; testers and admins insert and delete in drafts; updates by the
  // trigger's column rules (an unchanged name is no edit, so the owner's update passes)
  {
    name: "select planning_attributes of both planning versions",
    request: (c) => c.from("planning_attributes").select("id").in("version_id", [f.v1, f.v2]),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "insert planning_attributes into the draft",
    request: (c) =>
      c.from("planning_attributes").insert({ version_id: f.v2, name: "new attribute", data_type: "text" }).select("id"),
    rows: () => itemsOf("planning_attributes", f.v2),
    tidy: async () => {
      await db`delete from public.planning_attributes where version_id = ${f.v2} and name = 'new attribute'`;
    },
    expect: testerAndAdminAddItems(),
  },
  {
    name: "update planning_attributes (name, unchanged) of the draft",
    request: (c) => c.from("planning_attributes").update({ name: "amount" }).eq("version_id", f.v2).select("id"),
    rows: () => itemsOf("planning_attributes", f.v2),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "delete planning_attributes (an attribute of the draft)",
    given: victims.planning_attributes,
    request: (c, victim) => c.from("planning_attributes").delete().eq("id", victim).select("id"),
    rows: (victim) => itemById("planning_attributes", victim),
    tidy: deleteById("planning_attributes"),
    expect: testerAndAdminOnly(),
  },

  // planning_pde_mappings: the same item rules
  {
    name: "select planning_pde_mappings of both planning versions",
    request: (c) => c.from("planning_pde_mappings").select("id").in("version_id", [f.v1, f.v2]),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "insert planning_pde_mappings into the draft",
    request: (c) =>
      c
        .from("planning_pde_mappings")
        .insert({ version_id: f.v2, attribute_id: f.attribute2, pde_name: "new", pde_code: "NEW" })
        .select("id"),
    rows: () => itemsOf("planning_pde_mappings", f.v2),
    tidy: async () => {
      await db`delete from public.planning_pde_mappings where version_id = ${f.v2} and pde_code = 'NEW'`;
    },
    expect: testerAndAdminAddItems(),
  },
  {
    name: "update planning_pde_mappings (pde_name, unchanged) of the draft",
    request: (c) => c.from("planning_pde_mappings").update({ pde_name: "Amount" }).eq("version_id", f.v2).select("id"),
    rows: () => itemsOf("planning_pde_mappings", f.v2),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "delete planning_pde_mappings (a mapping of the draft)",
    given: victims.planning_pde_mappings,
    request: (c, victim) => c.from("planning_pde_mappings").delete().eq("id", victim).select("id"),
    rows: (victim) => itemById("planning_pde_mappings", victim),
    tidy: deleteById("planning_pde_mappings"),
    expect: testerAndAdminOnly(),
  },

  // planning_version_summaries: read only
  {
    name: "select planning_version_summaries of both planning versions",
    request: (c) => c.from("planning_version_summaries").select("version_id").in("version_id", [f.v1, f.v2]),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "insert planning_version_summaries",
    request: (c) => c.from("planning_version_summaries").insert({ version_id: f.v2 }).select("version_id"),
    rows: () => summariesOf(),
    expect: nobody(),
  },
  {
    name: "update planning_version_summaries (total_attributes, unchanged)",
    request: (c) =>
      c
        .from("planning_version_summaries")
        .update({ total_attributes: 1 })
        .in("version_id", [f.v1, f.v2])
        .select("version_id"),
    rows: () => summariesOf(),
    expect: nobody(),
  },
  {
    name: "delete planning_version_summaries",
    request: (c) => c.from("planning_version_summaries").delete().in("version_id", [f.v1, f.v2]).select("version_id"),
    rows: () => summariesOf(),
    expect: nobody(),
  },

  // profiling_rules: items of the data-profiling phase (owner item review), the same item rules
  {
    name: "select profiling_rules of both data-profiling versions",
    given: profilingDraft,
    request: (c, draft) => c.from("profiling_rules").select("id").in("version_id", [f.p1, draft]),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "insert profiling_rules into the data-profiling draft",
    given: profilingDraft,
    request: (c, draft) =>
      c
        .from("profiling_rules")
        .insert({
          version_id: draft,
          attribute_id: f.attribute1,
          name: "new rule",
          rule_type: "completeness",
          definition: { kind: "not_null", column: "amount" },
        } as never)
        .select("id"),
    rows: (draft) => itemsOf("profiling_rules", draft),
    tidy: async (draft) => {
      await db`delete from public.profiling_rules where version_id = ${draft} and name = 'new rule'`;
    },
    expect: testerAndAdminAddItems(),
  },
  {
    name: "update profiling_rules (name, unchanged) of the data-profiling draft",
    given: profilingDraft,
    request: (c, draft) =>
      c.from("profiling_rules").update({ name: "amount present" }).eq("version_id", draft).select("id"),
    rows: (draft) => itemsOf("profiling_rules", draft),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "delete profiling_rules (a rule of the data-profiling draft)",
    given: victims.profiling_rules,
    request: (c, victim) => c.from("profiling_rules").delete().eq("id", victim).select("id"),
    rows: (victim) => itemById("profiling_rules", victim),
    tidy: deleteById("profiling_rules"),
    expect: testerAndAdminOnly(),
  },

  // profiling_rule_results: written by the worker only; assigned testers and admins mark anomalies
  {
    name: "select profiling_rule_results of the cycle report",
    request: (c) => c.from("profiling_rule_results").select("id").eq("cycle_report_id", f.cr),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "insert profiling_rule_results",
    request: (c) =>
      c
        .from("profiling_rule_results")
        .insert({
          execution_id: f.job,
          rule_id: f.profiling.ruleIds["amount present"]!,
          status: "completed",
          total_count: 1,
          passed_count: 1,
          failed_count: 0,
          pass_rate: 100,
        } as never)
        .select("id"),
    rows: () => resultsOf(),
    expect: nobody(),
  },
  {
    name: "update profiling_rule_results (mark an anomaly, with a note)",
    request: (c) =>
      c
        .from("profiling_rule_results")
        .update({ is_anomaly: true, anomaly_note: `Odd, says ${randomUUID()}` })
        .eq("cycle_report_id", f.cr)
        .select("id"),
    rows: () => resultsOf(),
    effect: (row, actorId) => {
      expect(row).toMatchObject({ is_anomaly: true, anomaly_marked_by: actorId });
    },
    expect: testerAndAdminOnly(),
  },
  {
    name: "delete profiling_rule_results",
    request: (c) => c.from("profiling_rule_results").delete().eq("cycle_report_id", f.cr).select("id"),
    rows: () => resultsOf(),
    expect: nobody(),
  },

  // approved_artifacts: written by the approval trigger only
  {
    name: "select approved_artifacts of the cycle report",
    request: (c) => c.from("approved_artifacts").select("id").eq("cycle_report_id", f.cr),
    expect: by(ANON, rows(2), rows(0), rows(2), rows(0), rows(2)),
  },
  {
    name: "insert approved_artifacts",
    request: (c) =>
      c
        .from("approved_artifacts")
        .insert({
          cycle_report_id: f.cr,
          phase_id: f.phases.planning!,
          phase_name: "planning",
          version_id: f.v2,
          version_number: 2,
          item_count: 0,
          approved_count: 0,
          rejected_count: 0,
          approved_at: new Date().toISOString(),
        } as never)
        .select("id"),
    rows: () => approvalsOf(),
    expect: nobody(),
  },
  {
    name: "update approved_artifacts (summary, unchanged)",
    request: (c) => c.from("approved_artifacts").update({ summary: {} }).eq("cycle_report_id", f.cr).select("id"),
    rows: () => approvalsOf(),
    expect: nobody(),
  },
  {
    name: "delete approved_artifacts",
    request: (c) => c.from("approved_artifacts").delete().eq("cycle_report_id", f.cr).select("id"),
    rows: () => approvalsOf(),
    expect: nobody(),
  },

  // audit_log: your own actions (here: the tester's creation of planning version 2); admins everything; nobody writes
  {
    name: "select audit_log (the assigned tester's creation of the planning draft)",
    request: (c) => c.from("audit_log").select("id").match(testerCreatedDraft()),
    expect: testerAndAdminOnly(),
  },
  {
    name: "insert audit_log",
    request: (c) =>
      c
        .from("audit_log")
        .insert({ actor_role: "x", table_name: "public.artifact_versions", row_id: f.v2, operation: "INSERT" } as never)
        .select("id"),
    rows: () => auditOf(),
    expect: nobody(),
  },
  {
    name: "update audit_log (row_id, unchanged)",
    request: (c) =>
      c
        .from("audit_log")
        .update({ row_id: f.v2 } as never)
        .match(testerCreatedDraft())
        .select("id"),
    rows: () => auditOf(),
    expect: nobody(),
  },
  {
    name: "delete audit_log",
    request: (c) => c.from("audit_log").delete().match(testerCreatedDraft()).select("id"),
    rows: () => auditOf(),
    expect: nobody(),
  },

  // background_jobs: read by those who can read the cycle report; written by the service_role only
  {
    name: "select background_jobs of the cycle report",
    request: (c) => c.from("background_jobs").select("id").eq("cycle_report_id", f.cr),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "insert background_jobs",
    request: (c) =>
      c
        .from("background_jobs")
        .insert({ job_type: "rest-matrix", cycle_report_id: f.cr } as never)
        .select("id"),
    rows: () => jobsOf(),
    expect: nobody(),
  },
  {
    name: "update background_jobs (progress, unchanged)",
    request: (c) => c.from("background_jobs").update({ progress: 0 }).eq("cycle_report_id", f.cr).select("id"),
    rows: () => jobsOf(),
    expect: nobody(),
  },
  {
    name: "delete background_jobs",
    request: (c) => c.from("background_jobs").delete().eq("cycle_report_id", f.cr).select("id"),
    rows: () => jobsOf(),
    expect: nobody(),
  },

  // llm_interactions: likewise
  {
    name: "select llm_interactions of the cycle report",
    request: (c) => c.from("llm_interactions").select("id").eq("cycle_report_id", f.cr),
    expect: by(ANON, rows(1), rows(0), rows(1), rows(0), rows(1)),
  },
  {
    name: "insert llm_interactions",
    request: (c) =>
      c
        .from("llm_interactions")
        .insert({ purpose: "x", provider: "x", model: "x", cycle_report_id: f.cr } as never)
        .select("id"),
    rows: () => llmCallsOf(),
    expect: nobody(),
  },
  {
    name: "update llm_interactions (error, unchanged)",
    request: (c) => c.from("llm_interactions").update({ error: null }).eq("cycle_report_id", f.cr).select("id"),
    rows: () => llmCallsOf(),
    expect: nobody(),
  },
  {
    name: "delete llm_interactions",
    request: (c) => c.from("llm_interactions").delete().eq("cycle_report_id", f.cr).select("id"),
    rows: () => llmCallsOf(),
    expect: nobody(),
  },

  // The version RPCs, on the lifecycle cycle report (docs/database.md, Public API)
  {
    name: "create_version of the planning phase (no version open)",
    given: () => planningVersion("none"),
    request: (c) => c.rpc("create_version", { p_phase_id: f.rpcPlanning }).select("id"),
    rows: () =>
      snapshot(
        db`select id::text, to_jsonb(v) as row from public.artifact_versions v where phase_id = ${f.rpcPlanning}`,
      ),
    effect: (row, actorId) => {
      expect(row).toMatchObject({ version_status: "draft", created_by: actorId });
    },
    expect: by(
      ANON,
      rows(1),
      pt(404, "phase_not_found"),
      pt(403, "version_create_requires_tester"),
      pt(404, "phase_not_found"),
      rows(1),
    ),
  },
  {
    name: "submit_version of a draft with every tester decision",
    given: () => planningVersion("draft"),
    request: (c, version) => c.rpc("submit_version", { p_version_id: version }).select("id"),
    rows: versionRow,
    effect: (row, actorId) => {
      expect(row).toMatchObject({ version_status: "pending_approval", submitted_by: actorId });
    },
    expect: by(
      ANON,
      rows(1),
      pt(404, "version_not_found"),
      pt(403, "submit_requires_tester"),
      pt(404, "version_not_found"),
      rows(1),
    ),
  },
  {
    name: "approve_version of a version the tester submitted",
    given: () => planningVersion("pending"),
    request: (c, version) => c.rpc("approve_version", { p_version_id: version }).select("id"),
    rows: versionRow,
    effect: async (row, actorId, id) => {
      expect(row).toMatchObject({ version_status: "approved", approved_by: actorId });
      const registered = await db`
        select 1 from public.approved_artifacts where version_id = ${id} and is_current and approved_by = ${actorId}`;
      expect(registered, "the approval is registered in approved_artifacts").toHaveLength(1);
    },
    expect: by(
      ANON,
      pt(403, "approve_requires_report_owner"),
      pt(404, "version_not_found"),
      rows(1),
      pt(404, "version_not_found"),
      rows(1),
    ),
  },
  {
    name: "reject_version of a version the tester submitted, with a reason",
    given: () => planningVersion("pending"),
    request: (c, version) =>
      c.rpc("reject_version", { p_version_id: version, p_reason: "Not this time." }).select("id"),
    rows: versionRow,
    effect: (row, actorId) => {
      expect(row).toMatchObject({
        version_status: "rejected",
        rejected_by: actorId,
        rejection_reason: "Not this time.",
      });
    },
    expect: by(
      ANON,
      pt(403, "reject_requires_report_owner"),
      pt(404, "version_not_found"),
      rows(1),
      pt(404, "version_not_found"),
      rows(1),
    ),
  },
  {
    name: "reject_version of a version the tester submitted, without a reason",
    given: () => planningVersion("pending"),
    request: (c, version) => c.rpc("reject_version", { p_version_id: version, p_reason: "  " }).select("id"),
    rows: versionRow,
    expect: by(
      ANON,
      pt(403, "reject_requires_report_owner"),
      pt(404, "version_not_found"),
      pt(400, "rejection_reason_required"),
      pt(404, "version_not_found"),
      pt(400, "rejection_reason_required"),
    ),
  },
  {
    // Segregation of duties: nobody approves what they submitted, except an admin (docs/database.md, Roles).
    name: "approve_version of a version the approver submitted",
    given: async (actor) => (actor === "admin" ? planningVersion("pending", "admin") : f.submitterVersion),
    request: (c, version) => c.rpc("approve_version", { p_version_id: version }).select("id"),
    rows: versionRow,
    effect: (row, actorId) => {
      expect(row).toMatchObject({ version_status: "approved", approved_by: actorId, submitted_by: actorId });
    },
    expect: { submitter: pt(403, "approver_is_submitter"), admin: rows(1) },
  },
];

// Operator reads behind the API -----------------------------------------------------------------------------

function sourcesOf(...versionIds: string[]): Promise<Snapshot> {
  return snapshot(db`
    select id::text, to_jsonb(s) as row from public.planning_data_sources s where version_id = any(${versionIds})`);
}

/** The rows of a table whose column holds the value. */
function rowsWhere(table: string, column: string, value: string | number): Promise<Snapshot> {
  return snapshot(
    db`select id::text, to_jsonb(t) as row from ${db(`public.${table}`)} t where ${db(column)} = ${value}`,
  );
}

type ItemTable = "planning_attributes" | "planning_pde_mappings" | "profiling_rules";
const itemsOf = (table: ItemTable, versionId: string) => rowsWhere(table, "version_id", versionId);
const itemById = (table: ItemTable, id: string) => rowsWhere(table, "id", id);

function summariesOf(): Promise<Snapshot> {
  return snapshot(db`
    select version_id::text as id, to_jsonb(s) as row from public.planning_version_summaries s
     where version_id in (select id from public.artifact_versions where cycle_report_id = ${f.cr})`);
}

const resultsOf = () => rowsWhere("profiling_rule_results", "cycle_report_id", f.cr);
const approvalsOf = () => rowsWhere("approved_artifacts", "cycle_report_id", f.cr);

function auditOf(): Promise<Snapshot> {
  return snapshot(db`
    select id::text, to_jsonb(a) as row from public.audit_log a
     where table_name = 'public.artifact_versions' and row_id = ${f.v2}`);
}

const jobsOf = () => rowsWhere("background_jobs", "cycle_report_id", f.cr);
const llmCallsOf = () => rowsWhere("llm_interactions", "cycle_report_id", f.cr);

/** The audit_log row recording the tester's creation of planning version 2. */
function testerCreatedDraft() {
  return { actor_id: ids.tester, table_name: "public.artifact_versions", row_id: f.v2, operation: "INSERT" };
}

// Setup and teardown -----------------------------------------------------------------------------------------

beforeAll(async () => {
  const people = {
    tester: "tester@example.com",
    tester2: "tester2@example.com",
    owner: "owner@example.com",
    owner2: "owner2@example.com",
    admin: "admin@example.com",
  } as const;
  for (const [actor, email] of Object.entries(people) as [Actor, string][]) {
    clients[actor] = await signIn(email);
    const [profile] = await db<{ id: string }[]>`select id from public.profiles where email = ${email}`;
    ids[actor] = profile!.id;
  }
  clients.anon = anonClient();

  // The matrix cycle report: planning and data-profiling versions approved, as the operator.
  f.profiling = await createFixture(db, {
    columns: [{ name: "amount", pgType: "numeric" }],
    rules: [
      {
        name: "amount present",
        column: "amount",
        ruleType: "completeness",
        definition: { kind: "not_null", column: "amount" },
      },
    ],
  });
  f.cr = f.profiling.cycleReportId;
  f.p1 = f.profiling.versionId;
  for (const p of await db<{ id: string; phase_name: string }[]>`
    select id, phase_name from public.workflow_phases where cycle_report_id = ${f.cr}`) {
    f.phases[p.phase_name] = Number(p.id);
  }
  const [v1] = await db<{ id: string; attribute: string }[]>`
    select v.id, a.id as attribute from public.artifact_versions v join public.planning_attributes a on a.version_id = v.id
     where v.phase_id = ${f.phases.planning!} and v.version_status = 'approved'`;
  f.v1 = v1!.id;
  f.attribute1 = v1!.attribute;

  // Through the API, as the tester: planning version 2 (copies of the source and the attribute) and a mapping.
  const tester = clients.tester;
  f.v2 = must(await tester.rpc("create_version", { p_phase_id: f.phases.planning! }), "create_version").id;
  f.attribute2 = must(
    await tester.from("planning_attributes").select("id").eq("version_id", f.v2).single(),
    "attribute",
  ).id;
  must(
    await tester
      .from("planning_pde_mappings")
      .insert({ version_id: f.v2, attribute_id: f.attribute2, pde_name: "Amount", pde_code: "AMT" })
      .select("id"),
    "mapping",
  );
  must(await tester.rpc("create_version", { p_phase_id: f.phases.data_profiling! }), "profiling draft");

  // A job of the profiling version (of a type no worker serves), its result, and an LLM call for the tester.
  f.job = await queueJob(db, f.profiling, `profiling.execute.rest-matrix-${randomUUID()}`);
  await db`
    insert into public.profiling_rule_results (execution_id, rule_id, status, total_count, passed_count, failed_count, pass_rate)
    values (${f.job}, ${f.profiling.ruleIds["amount present"]!}, 'completed', 1, 1, 0, 100)`;
  await db`
    insert into public.llm_interactions (purpose, provider, model, cycle_report_id, user_id)
    values ('rest-matrix', 'heuristic', 'rules', ${f.cr}, ${ids.tester})`;

  // The lifecycle cycle report: planning started, no version yet.
  const started = await db.begin((tx) =>
    createStartedCycleReport(tx, {
      reportName: `REST matrix ${randomUUID().slice(0, 8)}`,
      regulation: "Test regulation",
      cycleName: `REST matrix ${randomUUID().slice(0, 8)}`,
      period: ["2032-01-01", "2032-03-31"],
      ownerEmail: people.owner,
      testerEmail: people.tester,
    }),
  );
  f.rpcCr = started.cycleReportId;
  f.rpcPlanning = Number(started.phases.planning);

  // A tester who submits a version through the API, and is then unassigned and made report owner and owner of its
  // report (an assigned tester cannot own the report they test).
  const [submitter, firstOwner] = await Promise.all([
    createUser("tester", "submitter"),
    createUser("report_owner", "owner"),
  ]);
  freshUsers.push(submitter, firstOwner);
  const cr = await createCycleReport(firstOwner.id, [submitter.id]);
  f.submitterCr = cr.id;
  const client = await signIn(submitter.email, submitter.password);
  must(await client.rpc("start_phase", { p_phase_id: cr.phases.planning! }), "start_phase");
  f.submitterVersion = must(
    await client.rpc("create_version", { p_phase_id: cr.phases.planning! }),
    "create_version",
  ).id;
  must(
    await client
      .from("planning_attributes")
      .insert({ version_id: f.submitterVersion, name: "Balance", data_type: "decimal", tester_decision: "approved" })
      .select("id"),
    "attribute",
  );
  must(await client.rpc("submit_version", { p_version_id: f.submitterVersion }), "submit_version");
  await db`delete from public.cycle_report_testers where cycle_report_id = ${cr.id} and tester_id = ${submitter.id}`;
  await db`update public.profiles set app_role = 'report_owner' where id = ${submitter.id}`;
  await db`update public.reports set owner_id = ${submitter.id} where id = (
             select report_id from public.cycle_reports where id = ${cr.id})`;
  clients.submitter = client;
  ids.submitter = submitter.id;
}, 120_000);

/**
 * Removes a cycle report of this file with everything in it, its report, its cycle and the audit rows of all of
 * them. The workflow keeps its history immutable (approved versions, approvals, results, the audit log) even for
 * the operator, so this runs with triggers and foreign-key checks off for its transaction, listing every table
 * that holds rows of a cycle report, and then re-chains the audit log (tests.reseal_audit_log).
 */
async function purge(cycleReportId: number): Promise<void> {
  if (!cycleReportId) return;
  await db.begin(async (sql) => {
    await sql`set local session_replication_role = replica`;
    const cr = String(cycleReportId);
    const [{ report_id, cycle_id }] = await sql<[{ report_id: string; cycle_id: string }]>`
      select report_id::text, cycle_id::text from public.cycle_reports where id = ${cycleReportId}`;
    // Every version it ever had, drafts deleted along the way included (their audit rows name the cycle report).
    const versions = (
      await sql<{ id: string }[]>`
        select id::text from public.artifact_versions where cycle_report_id = ${cycleReportId}
        union
        select row_id from public.audit_log
         where table_name = 'public.artifact_versions' and coalesce(new_values, old_values) ->> 'cycle_report_id' = ${cr}`
    ).map((v) => v.id);
    // The audit rows of every row that ever belonged to it: an insert or a delete records its cycle report or version.
    await sql`
      with touched as (
        select table_name, row_id from public.audit_log
         where coalesce(new_values, old_values) ->> 'cycle_report_id' = ${cr}
            or coalesce(new_values, old_values) ->> 'version_id' = any(${versions})
        union values ('public.cycle_reports', ${cr}), ('public.reports', ${report_id}), ('public.test_cycles', ${cycle_id})
      )
      delete from public.audit_log a using touched t where a.table_name = t.table_name and a.row_id = t.row_id`;
    await sql`delete from public.profiling_rule_results where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.llm_interactions where cycle_report_id = ${cycleReportId}`;
    await sql`delete from private.rule_execution_grants where job_id in (
                select id from public.background_jobs where cycle_report_id = ${cycleReportId} or version_id = any(${versions}))`;
    await sql`delete from public.background_jobs where cycle_report_id = ${cycleReportId} or version_id = any(${versions})`;
    await sql`delete from public.approved_artifacts where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.duty_segregation_overrides where cycle_report_id = ${cycleReportId}`;
    await sql`delete from private.item_tester_deciders where version_id = any(${versions}::uuid[])`;
    for (const table of ["planning_data_source_secrets", "planning_data_source_values"]) {
      await sql`delete from ${sql(`private.${table}`)} where data_source_id in (
                  select id from public.planning_data_sources where version_id = any(${versions}))`;
    }
    for (const table of [
      "profiling_rules",
      "planning_pde_mappings",
      "planning_attributes",
      "planning_data_sources",
      "planning_version_summaries",
    ]) {
      await sql`delete from ${sql(`public.${table}`)} where version_id = any(${versions})`;
    }
    await sql`delete from public.artifact_versions where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.workflow_activities where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.workflow_phases where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.cycle_report_testers where cycle_report_id = ${cycleReportId}`;
    await sql`delete from public.cycle_reports where id = ${cycleReportId}`;
    await sql`delete from public.test_cycles where id = ${cycle_id}`;
    await sql`delete from public.reports where id = ${report_id}`;
    // The audit log is a hash chain: what is left is chained anew, so other tests still find it whole.
    await sql`select tests.reseal_audit_log()`;
  });
}

afterAll(async () => {
  try {
    for (const cr of [f.cr, f.rpcCr, f.submitterCr]) await purge(cr);
    if (f.profiling) await db.unsafe(`drop table if exists source_data.${f.profiling.table}`);
    for (const user of freshUsers) {
      const { error } = await serviceClient().auth.admin.deleteUser(user.id);
      if (error) throw error;
    }
    await db.begin(async (sql) => {
      await sql`set local session_replication_role = replica`;
      await sql`delete from public.audit_log where table_name = 'public.profiles' and row_id = any(${freshUsers.map((u) => u.id)})`;
      await sql`select tests.reseal_audit_log()`;
    });
  } finally {
    await db.end();
  }
}, 60_000);

// One test per case and person --------------------------------------------------------------------------------

function describeOutcome(outcome: Outcome): string {
  if ("rows" in outcome) return `${outcome.rows} row${outcome.rows === 1 ? "" : "s"}`;
  return `${outcome.status} ${outcome.code}${outcome.reason ? ` ${outcome.reason}` : ""}`;
}

for (const c of cases) {
  for (const [actor, outcome] of Object.entries(c.expect) as [Actor, Outcome][]) {
    it(`${c.name} as ${who[actor]}: ${describeOutcome(outcome)}`, async () => {
      const target = c.given ? await c.given(actor) : "";
      try {
        const before = await c.rows?.(target);
        const { data, error, status } = await c.request(clients[actor], target);
        const after = await c.rows?.(target);
        const returned = (data === null ? [] : Array.isArray(data) ? data : [data]) as Record<string, unknown>[];
        const returnedIds = returned.map((row) => String(row.id ?? row.version_id));

        if ("rows" in outcome) {
          expect(error, "no refusal").toBeNull();
          expect(status).toBeLessThan(300);
          expect(returnedIds).toHaveLength(outcome.rows);
          if (before && after) {
            // Exactly the rows returned changed (an unchanged value still moves updated_at); nothing else did.
            for (const id of returnedIds) {
              expect(after[id], `row ${id} as the operator reads it`).not.toEqual(before[id]);
              if (after[id] !== undefined) await c.effect?.(after[id] as Record<string, unknown>, ids[actor], id);
            }
            const untouched = (snap: Snapshot) =>
              Object.fromEntries(Object.entries(snap).filter(([id]) => !returnedIds.includes(id)));
            expect(untouched(after)).toEqual(untouched(before));
          }
        } else {
          expect({ status, code: error?.code, ...(outcome.reason ? { reason: error?.details } : {}) }).toEqual({
            status: outcome.status,
            code: outcome.code,
            ...(outcome.reason ? { reason: outcome.reason } : {}),
          });
          expect(returnedIds).toEqual([]);
          if (before && after) expect(after, "nothing changed, as the operator reads it").toEqual(before);
        }
      } finally {
        await c.tidy?.(target);
      }
    });
  }
}
