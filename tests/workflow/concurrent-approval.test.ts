// Two decisions on one submitted version at the same time: exactly one succeeds. The versions are real
// `artifact_versions` rows; their items live in a throwaway item table attached to the planning phase, as
// the lifecycle's pgTAP tests do, so this does not depend on any phase's own item tables.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createCycleReport,
  createUser,
  db,
  signIn,
  type Client,
  type CycleReportFixture,
  type TestUser,
} from "./support/fixtures";

const schema = `test_items_${randomUUID().replaceAll("-", "")}`;
const itemTable = `${schema}.items`;

let fixture: CycleReportFixture;
let testerUser: TestUser;
let tester: Client;
let owners: [Client, Client];

beforeAll(async () => {
  await db.unsafe(`
    create schema ${schema};
    grant usage on schema ${schema} to authenticated;
    create table ${itemTable} (id uuid primary key default gen_random_uuid(), version_id uuid not null, name text not null);
    select private.attach_versioned_items('${itemTable}', 'planning', 0);
  `);
  const [t, o] = await Promise.all([createUser("tester", "tester"), createUser("report_owner", "owner")]);
  testerUser = t;
  fixture = await createCycleReport(o.id, [t.id]);
  // The same owner signed in twice: two sessions, two requests in flight at once.
  [tester, ...owners] = await Promise.all([
    signIn(t.email, t.password),
    signIn(o.email, o.password),
    signIn(o.email, o.password),
  ]);
  const started = await tester.rpc("start_phase", { p_phase_id: fixture.phases.planning! });
  if (started.error) throw started.error;
});

afterAll(async () => {
  // Unregister first, so no version created meanwhile looks for the dropped table.
  await db.begin(async (sql) => {
    await sql.unsafe(`delete from private.versioned_item_tables where table_name = '${itemTable}'::regclass`);
    await sql.unsafe(`drop schema ${schema} cascade`);
  });
  await db.end();
});

/** Runs a statement as the tester, as the REST API would: role `authenticated` and the JWT's claims. */
async function asTester(statement: string, params: string[]): Promise<void> {
  await db.begin(async (sql) => {
    await sql`select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${JSON.stringify({ sub: testerUser.id, role: "authenticated" })}, true)`;
    await sql.unsafe(statement, params);
  });
}

/** A version of the planning phase with tester-approved items, submitted for approval. */
async function submittedVersion(parentId: string | null): Promise<string> {
  const created = await tester.rpc("create_version", {
    p_phase_id: fixture.phases.planning!,
    ...(parentId ? { p_parent_version_id: parentId } : {}),
  });
  if (created.error) throw created.error;
  const versionId = created.data.id;
  if (parentId) {
    await asTester(`update ${itemTable} set tester_decision = 'approved' where version_id = $1`, [versionId]);
  } else {
    await asTester(
      `insert into ${itemTable} (version_id, name, tester_decision)
       select $1, 'item ' || n, 'approved' from generate_series(1, 5) n`,
      [versionId],
    );
  }
  const submitted = await tester.rpc("submit_version", { p_version_id: versionId });
  if (submitted.error) throw submitted.error;
  return versionId;
}

it("two concurrent approvals of one version: exactly one succeeds", async () => {
  const versionId = await submittedVersion(null);
  const results = await Promise.all(owners.map((owner) => owner.rpc("approve_version", { p_version_id: versionId })));

  const succeeded = results.filter((r) => !r.error);
  const refused = results.filter((r) => r.error);
  expect(succeeded).toHaveLength(1);
  expect(succeeded[0]!.data).toMatchObject({ id: versionId, version_status: "approved" });
  expect(refused).toHaveLength(1);
  expect(refused[0]!.status).toBe(409);
  expect(refused[0]!.error).toMatchObject({ code: "PT409", details: "version_not_pending" });

  const registry = await db`select 1 from public.approved_artifacts where version_id = ${versionId}`;
  expect(registry).toHaveLength(1);
});

it("an approval and a rejection at the same time: exactly one decides the version", async () => {
  const [approved] = await db<{ id: string }[]>`
    select id from public.artifact_versions where phase_id = ${fixture.phases.planning!} and version_status = 'approved'`;
  const versionId = await submittedVersion(approved!.id);
  const [approval, rejection] = await Promise.all([
    owners[0].rpc("approve_version", { p_version_id: versionId }),
    owners[1].rpc("reject_version", { p_version_id: versionId, p_reason: "Not this time." }),
  ]);

  expect([approval.error, rejection.error].filter((error) => error === null)).toHaveLength(1);
  const loser = approval.error ?? rejection.error;
  expect(loser).toMatchObject({ code: "PT409", details: "version_not_pending" });

  const [row] = await db<{ version_status: string }[]>`
    select version_status from public.artifact_versions where id = ${versionId}`;
  expect(row?.version_status).toBe(approval.error ? "rejected" : "approved");
});
