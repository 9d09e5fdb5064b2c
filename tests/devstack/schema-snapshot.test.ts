// The schema snapshot (supabase/schemas/) is what the migrations produce, and the check that guards it
// notices a stale snapshot: a changed, a missing and an extra file, and an object no migration would create.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { filesOnDisk, generateSnapshot, staleSnapshotFiles, writeSnapshot } from "../../devstack/schema-snapshot.ts";

const dbUrl = process.env.SUPABASE_DB_URL;
if (!dbUrl) throw new Error("SUPABASE_DB_URL is not set: start a stack and source its env file first");
const db = postgres(dbUrl, { max: 1, onnotice: () => {} });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "schema-snapshot-"));

/**
 * Tests in parallel create tables of their own (uploads in source_data, probes in public): compare only the
 * objects the checked-in snapshot has, which the migrations alone shape.
 */
const checkedIn = new Set(filesOnDisk());
const ofTheMigrations = (files: Map<string, string>) => new Map([...files].filter(([name]) => checkedIn.has(name)));
const snapshot = () => ofTheMigrations(generateSnapshot(dbUrl));

afterAll(async () => {
  await db`drop function if exists private.snapshot_probe()`;
  await db`drop table if exists source_data.snapshot_probe`;
  await db.end();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("schema snapshot", () => {
  it("holds one file per object, each function's current code in its own file", () => {
    const files = generateSnapshot(dbUrl);
    const guard = files.get("private/functions/guard_versioned_item.sql");
    expect(guard).toContain("CREATE FUNCTION private.guard_versioned_item() RETURNS trigger");
    expect(files.get("public/tables/phase_definitions.sql")).toContain("CREATE POLICY");
    expect(files.get("auth/triggers.sql")).toContain("private.handle_new_user()");
    expect([...files.values()].join("")).not.toMatch(/\\restrict|Dumped by pg_dump/);
  });

  it("is the same when generated twice", () => {
    expect(snapshot()).toEqual(snapshot());
  });

  it("keeps a table created in source_data, its policy and the policy's comment out of the migrations' files", async () => {
    const before = snapshot();
    await db`create table source_data.snapshot_probe (id integer)`;
    try {
      await db`create policy "Probe policy" on source_data.snapshot_probe for select using (true)`;
      await db`comment on policy "Probe policy" on source_data.snapshot_probe is 'probe'`;
      const files = generateSnapshot(dbUrl);
      expect(files.get("source_data/tables/snapshot_probe.sql")).toContain("COMMENT ON POLICY");
      expect(ofTheMigrations(files)).toEqual(before);
    } finally {
      await db`drop table source_data.snapshot_probe`;
    }
  });

  it("passes when checked in fresh and fails on a changed, missing or extra file", () => {
    const files = snapshot();
    writeSnapshot(files, scratch);
    expect(staleSnapshotFiles(files, scratch)).toEqual([]);

    fs.appendFileSync(path.join(scratch, "public/tables/profiles.sql"), "-- edited by hand\n");
    fs.rmSync(path.join(scratch, "private/functions/is_admin.sql"));
    fs.writeFileSync(path.join(scratch, "private/functions/gone.sql"), "-- left over\n");
    expect(staleSnapshotFiles(files, scratch)).toEqual([
      "private/functions/gone.sql",
      "private/functions/is_admin.sql",
      "public/tables/profiles.sql",
    ]);
  });

  it("fails when the database has an object the snapshot does not", async () => {
    // Within the probe's schema: uploads of tests running meanwhile change what source_data's files hold.
    const ofPrivate = (files: Map<string, string>) =>
      new Map([...files].filter(([name]) => name.startsWith("private/")));
    writeSnapshot(ofPrivate(snapshot()), scratch);
    await db`create function private.snapshot_probe() returns integer language sql as 'select 1'`;
    try {
      const probe = "private/functions/snapshot_probe.sql";
      const files = ofPrivate(
        new Map([...generateSnapshot(dbUrl)].filter(([name]) => checkedIn.has(name) || name === probe)),
      );
      expect(files.get(probe)).toContain("CREATE FUNCTION private.snapshot_probe()");
      expect(staleSnapshotFiles(files, scratch)).toEqual([probe]);
    } finally {
      await db`drop function private.snapshot_probe()`;
    }
  });
});
