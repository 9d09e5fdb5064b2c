// Workflow test fixtures: clients per role through the public API, and cycle reports of their own created
// as the database operator, so that tests in parallel never depend on each other's state.
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import type { Database } from "~/types/database";

export type Client = SupabaseClient<Database>;
type AppRole = Database["public"]["Enums"]["app_role"];

import { signIn as signInAs } from "../../support/auth.ts";
import { requiredEnv } from "../../support/env.ts";

const url = requiredEnv("SUPABASE_URL");
const anonKey = requiredEnv("SUPABASE_ANON_KEY");
const serviceRoleKey = requiredEnv("SUPABASE_SERVICE_ROLE_KEY");

/** The database operator (`postgres`, as in Studio), for fixtures the API does not create. */
export const db = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 4, onnotice: () => {} });

export const seedPassword = "demo-password";

/** A client with no stored session, so clients never share one. */
function newClient(key: string): Client {
  return createClient<Database>(url, key, { auth: { persistSession: false, autoRefreshToken: false } });
}

export const anonClient = () => newClient(anonKey);
export const serviceClient = () => newClient(serviceRoleKey);

export async function signIn(email: string, password = seedPassword): Promise<Client> {
  return (await signInAs(email, password)).client as unknown as Client;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user of this test run only, with the given role. */
export async function createUser(role: AppRole, label: string): Promise<TestUser> {
  const email = `wf-${label}-${randomUUID()}@regtest.test`;
  const password = `pw-${randomUUID()}`;
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { full_name: `${label} ${email.slice(3, 11)}` },
  });
  if (error) throw error;
  if (role !== "tester") await db`update public.profiles set app_role = ${role} where id = ${data.user.id}`;
  return { id: data.user.id, email, password };
}

export interface CycleReportFixture {
  id: number;
  reportName: string;
  cycleName: string;
  /** Phase ids by phase name. */
  phases: Record<string, number>;
}

/** A report of its own in a cycle of its own, owned by `ownerId` and assigned to `testerIds`. */
export async function createCycleReport(ownerId: string, testerIds: string[]): Promise<CycleReportFixture> {
  const suffix = randomUUID().slice(0, 8);
  const reportName = `Test report ${suffix}`;
  const cycleName = `Test cycle ${suffix}`;
  const [row] = await db<{ id: number }[]>`
    with r as (
      insert into public.reports (name, regulation, owner_id) values (${reportName}, 'Test regulation', ${ownerId})
      returning id
    ), c as (
      insert into public.test_cycles (name, period_start, period_end, status)
      values (${cycleName}, '2027-01-01', '2027-03-31', 'active') returning id
    )
    insert into public.cycle_reports (cycle_id, report_id) select c.id, r.id from c, r returning id`;
  const id = Number(row!.id);
  for (const testerId of testerIds) {
    await db`insert into public.cycle_report_testers (cycle_report_id, tester_id) values (${id}, ${testerId})`;
  }
  const phases = await db<{ id: number; phase_name: string }[]>`
    select id, phase_name from public.workflow_phases where cycle_report_id = ${id}`;
  return {
    id,
    reportName,
    cycleName,
    phases: Object.fromEntries(phases.map((p) => [p.phase_name, Number(p.id)])),
  };
}

/**
 * Finishes the open activities of a phase as far as hand work can: the tester completes the manual ones, and
 * those a record would prove but does not (the database refuses ticking them by hand) are skipped by an admin.
 */
export async function completeActivities(client: Client, phaseId: number, admin?: Client): Promise<void> {
  const { data, error } = await client
    .from("workflow_activities")
    .select("id")
    .eq("phase_id", phaseId)
    .in("status", ["not_started", "in_progress"])
    .order("activity_order");
  if (error) throw error;
  for (const activity of data) {
    const result = await client.rpc("complete_activity", { p_activity_id: activity.id });
    if (result.error?.details === "activity_proven_by_data" && admin) {
      const skipped = await admin.rpc("skip_activity", { p_activity_id: activity.id });
      if (skipped.error) throw skipped.error;
    } else if (result.error) throw result.error;
  }
}
