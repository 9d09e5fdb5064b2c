// Every table an external tool writes returns the new row to a caller allowed to insert it: each writable table,
// inserted through supabase-js with `.select()` (Prefer: return=representation), as each role allowed to insert.
// (phase_definitions and activity_definitions are left to supabase/tests/database/54-return-representation.test.sql,
// where a transaction keeps a new phase from reaching the cycle reports other test files create meanwhile.)
import { randomUUID } from "node:crypto";
import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createFixture, type Fixture } from "../profiling/fixture.ts";
import { db, signIn, type Client } from "./support/fixtures";

type Role = "admin" | "tester";

interface Case {
  table: string;
  roles: Role[];
  /** The row to insert (unique per call), and the columns the returned row must echo. */
  row: (role: Role) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

const sql = connect();
let f: Fixture;
let planningDraft = "";
let profilingDraft = "";
let attributeId = "";
let ownerId = "";
let testerId = "";
const clients = {} as Record<Role, Client>;
const inserted: { table: string; id: unknown }[] = [];
const tag = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  f = await createFixture(sql, {
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
  const phases = await db<{ id: number; phase_name: string }[]>`
    select id, phase_name from public.workflow_phases where cycle_report_id = ${f.cycleReportId}`;
  const phase = (name: string) => phases.find((p) => p.phase_name === name)!.id;
  [{ id: planningDraft }] = await db<[{ id: string }]>`select id from public.create_version(${phase("planning")})`;
  [{ id: profilingDraft }] = await db<
    [{ id: string }]
  >`select id from public.create_version(${phase("data_profiling")})`;
  [{ id: attributeId }] = await db<[{ id: string }]>`
    select id from public.planning_attributes where version_id = ${f.planningVersionId} and name = 'amount'`;
  [{ id: ownerId }] = await db<[{ id: string }]>`select id from public.profiles where email = 'owner2@example.com'`;
  [{ id: testerId }] = await db<[{ id: string }]>`select id from public.profiles where email = 'tester2@example.com'`;
  [clients.admin, clients.tester] = await Promise.all([signIn("admin@example.com"), signIn(f.testerEmail)]);
}, 120_000);

afterAll(async () => {
  for (const { table, id } of inserted.reverse()) {
    if (
      ["planning_attributes", "planning_pde_mappings", "profiling_rules", "planning_auto_approval_rules"].includes(
        table,
      )
    )
      await db`delete from ${db(`public.${table}`)} where id = ${id as string}`;
  }
  await Promise.all([db.end(), sql.end()]);
});

let lastReport = 0;
let lastCycle = 0;
let lastCycleReport = 0;

const cases: Case[] = [
  {
    table: "reports",
    roles: ["admin"],
    row: () => ({ name: `Returned report ${tag()}`, regulation: "Reg R", owner_id: ownerId }),
  },
  {
    table: "test_cycles",
    roles: ["admin"],
    row: () => ({ name: `Returned cycle ${tag()}`, period_start: "2031-01-01", period_end: "2031-03-31" }),
  },
  { table: "cycle_reports", roles: ["admin"], row: () => ({ cycle_id: lastCycle, report_id: lastReport }) },
  {
    table: "cycle_report_testers",
    roles: ["admin"],
    row: () => ({ cycle_report_id: lastCycleReport, tester_id: testerId }),
  },
  {
    table: "planning_auto_approval_rules",
    roles: ["admin"],
    row: () => ({ name: `returned rule ${tag()}`, is_enabled: false }),
  },
  {
    table: "planning_attributes",
    roles: ["tester", "admin"],
    row: () => ({ version_id: planningDraft, name: `returned ${tag()}`, data_type: "text" }),
  },
  {
    table: "planning_pde_mappings",
    roles: ["tester", "admin"],
    row: async () => {
      const [{ id }] = await db<[{ id: string }]>`
        select id from public.planning_attributes where version_id = ${planningDraft} and name = 'amount'`;
      const code = `RET_${tag()}`;
      return { version_id: planningDraft, attribute_id: id, pde_name: code, pde_code: code };
    },
  },
  {
    table: "profiling_rules",
    roles: ["tester", "admin"],
    row: () => ({
      version_id: profilingDraft,
      attribute_id: attributeId,
      name: `returned ${tag()}`,
      rule_type: "completeness",
      definition: { kind: "not_null", column: "amount" },
    }),
  },
];

describe("inserts return the new row (Prefer: return=representation)", () => {
  for (const c of cases) {
    for (const role of c.roles) {
      it(`${c.table}, as ${role === "admin" ? "an admin" : "the assigned tester"}`, async () => {
        const row = await c.row(role);
        // Untyped: the table is a case of the list.
        const client = clients[role] as unknown as SupabaseClient;
        const { data, error, status } = await client.from(c.table).insert(row).select();
        expect(error).toBeNull();
        expect(status).toBe(201);
        expect(data).toHaveLength(1);
        const returned = data![0] as Record<string, unknown>;
        expect(returned).toMatchObject(row);
        if (c.table === "reports") lastReport = Number(returned.id);
        if (c.table === "test_cycles") lastCycle = Number(returned.id);
        if (c.table === "cycle_reports") lastCycleReport = Number(returned.id);
        inserted.push({ table: c.table, id: returned.id });
      });
    }
  }
});
