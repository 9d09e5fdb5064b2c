import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";
import { readTomlScalars } from "../auth/settings.ts";
import type { TxEnd } from "./preferences.ts";

/** The `[api]` settings of supabase/config.toml that PostgREST's behaviour depends on. */
export interface RestSettings {
  /** `max_rows`: the most rows a read answers, per level of embedding (PostgREST's `db-max-rows`). */
  maxRows: number;
  /**
   * PostgREST's `db-tx-end`. Supabase sets no value, so PostgREST's default `commit` applies and
   * `Prefer: tx=rollback` is not applied; PGRST_DB_TX_END (PostgREST's own variable) overrides it locally.
   */
  txEnd: TxEnd;
  /** `[api] schemas` (PostgREST's `db-schemas`): the first is the default, others are chosen by profile headers. */
  schemas: string[];
  /** `[api] extra_search_path`, after the request's schema on the search_path. */
  extraSearchPath: string[];
}

/** A TOML array of strings under `[api]` (`schemas = ["public", "other"]`), or undefined. */
function apiArray(toml: string, key: string): string[] | undefined {
  const api = /^\[api\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1] ?? "";
  const value = new RegExp(`^\\s*${key}\\s*=\\s*\\[([^\\]]*)\\]`, "m").exec(api)?.[1];
  if (value === undefined) return undefined;
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}

/** The Supabase CLI's `[api] max_rows` when config.toml leaves it out (hosted Supabase uses the same). */
export const defaultMaxRows = 1000;

const txEnds: readonly TxEnd[] = ["commit", "commit-allow-override", "rollback", "rollback-allow-override"];

/** PostgREST's settings as `supabase start` derives them from supabase/config.toml (its defaults when absent). */
export function loadRestSettings(
  configPath = path.join(repoRoot, "supabase", "config.toml"),
  env: NodeJS.ProcessEnv = process.env,
): RestSettings {
  const toml = readFileSync(configPath, "utf8");
  const api = readTomlScalars(toml).get("api") ?? {};
  const schemas = apiArray(toml, "schemas");
  const maxRows = api.max_rows;
  const txEnd = env.PGRST_DB_TX_END ?? "commit";
  if (!(txEnds as readonly string[]).includes(txEnd)) {
    throw new Error(`PGRST_DB_TX_END must be one of ${txEnds.join(", ")}, not ${txEnd}`);
  }
  return {
    maxRows: typeof maxRows === "number" && maxRows > 0 ? maxRows : defaultMaxRows,
    txEnd: txEnd as TxEnd,
    // The Supabase CLI's defaults when config.toml leaves them out.
    schemas: schemas && schemas.length > 0 ? schemas : ["public", "graphql_public"],
    extraSearchPath: apiArray(toml, "extra_search_path") ?? ["public", "extensions"],
  };
}
