// A first start that stopped after the cluster was created but before the Supabase bootstrap (a port in use, Ctrl-C)
// leaves a cluster without Supabase's roles; the next start bootstraps, migrates and seeds it instead of failing on
// a missing role.
import { freePort } from "../support/free-port";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, type StackConfig } from "../../devstack/config.ts";
import {
  ensureCluster,
  isBootstrapped,
  psql,
  removeCluster,
  startCluster,
  stopCluster,
} from "../../devstack/postgres.ts";
import { startDatabase } from "../../devstack/stack.ts";

let stack: StackConfig | undefined;

afterAll(() => {
  if (stack) removeCluster(stack);
});

describe("a first start that did not finish", () => {
  it("is bootstrapped, migrated and seeded by the next start", async () => {
    const port = await freePort();
    stack = {
      name: `unfinished-${port}`,
      dataDir: path.join(repoRoot, ".devstack", `unfinished-${port}`),
      dbPort: port,
      apiPort: 0,
      appPort: 0,
      functionsBasePort: 0,
    };
    // Interrupted right after initdb: the cluster exists, nothing of Supabase's is in it.
    ensureCluster(stack);
    startCluster(stack, {});
    expect(isBootstrapped(stack)).toBe(false);
    stopCluster(stack);

    startDatabase(stack);
    const seeded = psql(stack, {
      sql: "select (select count(*) from pg_roles where rolname = 'supabase_auth_admin') || '/' || (select count(*) > 0 from public.profiles)",
    });
    expect(isBootstrapped(stack)).toBe(true);
    expect(seeded).toContain(" 1/true\n");
  }, 180_000);
});
