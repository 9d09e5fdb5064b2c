import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { dbUrl, repoRoot, type StackConfig } from "./config.ts";
import { log } from "./log.ts";
import { psql } from "./postgres.ts";

const supabaseCli = path.join(repoRoot, "node_modules", ".bin", "supabase");

/** Applies supabase/migrations with the real Supabase CLI, and the seed when asked (a new database). */
export function pushMigrations(stack: StackConfig, options: { seed: boolean }): void {
  const args = ["db", "push", `--db-url=${dbUrl(stack)}`, "--yes", ...(options.seed ? ["--include-seed"] : [])];
  log("migrate", `supabase ${args.join(" ").replace(/postgres:postgres@/, "postgres:***@")}`);
  const result = spawnSync(supabaseCli, args, {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, PGSSLMODE: "disable", DO_NOT_TRACK: "1", SUPABASE_TELEMETRY_DISABLED: "1" },
  });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`supabase db push failed:\n${output.trim()}`);
  for (const line of output.split("\n")) {
    if (/^(Applying|Seeding|Remote database is up to date)/.test(line)) log("migrate", line);
  }
}

/** Loads pgTAP and the repository's test helpers (supabase/tests/helpers/*.sql) into a test database. */
export function loadTestHelpers(stack: StackConfig): void {
  psql(stack, { sql: "create extension if not exists pgtap with schema extensions" });
  // Tests assert while acting as an API role, so those roles must be able to call pgTAP.
  psql(stack, { sql: "grant execute on all functions in schema extensions to anon, authenticated, service_role" });
  const dir = path.join(repoRoot, "supabase", "tests", "helpers");
  if (!fs.existsSync(dir)) return;
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    psql(stack, { file: path.join(dir, file) });
  }
  log("migrate", "pgTAP and test helpers loaded");
}

/**
 * Generates TypeScript types for the public schema with the Supabase CLI. The pinned CLI (2.x, whose binaries
 * the registry has for every platform) generates types only through Docker; CLI 3 does it natively, so this
 * developer command runs CLI 3 through npx (docs/decisions/017-clean-install.md).
 */
export function generateTypes(stack: StackConfig): string {
  const args = [
    "--yes",
    "supabase@3.1.0",
    "gen",
    "types",
    "typescript",
    `--remote=${dbUrl(stack)}`,
    "--schema",
    "public",
  ];
  return execFileSync("npx", args, {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, PGSSLMODE: "disable", DO_NOT_TRACK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
