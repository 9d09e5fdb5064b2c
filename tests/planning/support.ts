// Planning test support: clients signed in as the demo users, a cycle report of this test run (created as the
// database operator), and calls to the planning-sources edge function through the gateway.
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";

import { requiredEnv } from "../support/env.ts";

import type { SignedIn } from "../support/auth.ts";

export { signIn, type SignedIn } from "../support/auth.ts";

export const url = requiredEnv("SUPABASE_URL");
export const anonKey = requiredEnv("SUPABASE_ANON_KEY");
export const dbUrl = requiredEnv("SUPABASE_DB_URL");

/** The database operator (postgres, as in Studio), for fixtures and for looking behind the API. */
export const db = postgres(dbUrl, { max: 4, onnotice: () => undefined });

/** The service_role through the API, as the edge functions act for the system. */
export function serviceClient(): SupabaseClient {
  return createClient(url, requiredEnv("SUPABASE_SERVICE_ROLE_KEY"), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/** A cycle report of this run: a report owned by owner@, in a cycle of its own, assigned to tester@. Returns its planning phase id. */
export async function createPlanningFixture(
  label: string,
): Promise<{ cycleReportId: number; planningPhaseId: number }> {
  const tag = `${label}-${randomUUID().slice(0, 8)}`;
  const [row] = await db<{ cycle_report_id: number }[]>`
    with report as (
      insert into public.reports (name, regulation, owner_id)
      select ${`Planning test ${tag}`}, 'Test', id from public.profiles where email = 'owner@example.com'
      returning id
    ), cycle as (
      insert into public.test_cycles (name, period_start, period_end) values (${`Cycle ${tag}`}, '2031-01-01', '2031-03-31')
      returning id
    )
    insert into public.cycle_reports (cycle_id, report_id) select cycle.id, report.id from cycle, report
    returning id as cycle_report_id`;
  const cycleReportId = Number(row!.cycle_report_id);
  await db`insert into public.cycle_report_testers (cycle_report_id, tester_id)
           select ${cycleReportId}, id from public.profiles where email = 'tester@example.com'`;
  const [phase] = await db<{ id: number }[]>`
    select id from public.workflow_phases where cycle_report_id = ${cycleReportId} and phase_name = 'planning'`;
  return { cycleReportId, planningPhaseId: Number(phase!.id) };
}

/** A started planning phase of a new fixture and a draft version of it, as tester@. */
export async function draftPlanningVersion(tester: SignedIn, label: string) {
  const fixture = await createPlanningFixture(label);
  const started = await tester.client.rpc("start_phase", { p_phase_id: fixture.planningPhaseId });
  if (started.error) throw new Error(`start_phase: ${started.error.message}`);
  const created = await tester.client.rpc("create_version", { p_phase_id: fixture.planningPhaseId });
  if (created.error) throw new Error(`create_version: ${created.error.message}`);
  return { ...fixture, versionId: (created.data as { id: string }).id };
}

export interface FunctionAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** POST to the planning-sources function through the gateway, as supabase-js's functions client would. */
export async function callSources<T = Record<string, unknown>>(
  token: string | null,
  path: string,
  init: { body?: BodyInit; json?: unknown; contentType?: string; method?: string } = {},
): Promise<FunctionAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  headers["Content-Type"] = init.json !== undefined ? "application/json" : (init.contentType ?? "text/csv");
  const response = await fetch(`${url}/functions/v1/planning-sources${path}`, {
    method: init.method ?? "POST",
    headers,
    body,
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Uploads CSV text (or bytes) as a file data source of a version. */
export function upload(token: string, versionId: string, name: string, csv: string | Uint8Array) {
  const body = typeof csv === "string" ? csv : Buffer.from(csv);
  return callSources(token, `/versions/${versionId}/uploads?name=${encodeURIComponent(name)}`, { body });
}

/**
 * Tables in source_data, or only those loaded from uploads named `name` (the loader writes the name into the
 * table's comment), so checks stay exact while other test files load tables at the same time.
 */
export async function uploadTables(name?: string): Promise<string[]> {
  const rows = await db<{ name: string }[]>`
    select c.relname as name from pg_class c
    where c.relnamespace = 'source_data'::regnamespace and c.relkind = 'r'
      and (${name ?? null}::text is null or obj_description(c.oid, 'pg_class') like 'Uploaded file ' || ${name ?? null}::text || ',%')
    order by 1`;
  return rows.map((r) => r.name);
}
