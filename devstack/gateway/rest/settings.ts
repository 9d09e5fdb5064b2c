import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";
import { readTomlScalars } from "../auth/settings.ts";

/** The `[api]` settings of supabase/config.toml that PostgREST's behaviour depends on. */
export interface RestSettings {
  /** `max_rows`: the most rows a read answers, per level of embedding (PostgREST's `db-max-rows`). */
  maxRows: number;
}

/** The Supabase CLI's `[api] max_rows` when config.toml leaves it out (hosted Supabase uses the same). */
export const defaultMaxRows = 1000;

/** PostgREST's settings as `supabase start` derives them from supabase/config.toml (its defaults when absent). */
export function loadRestSettings(configPath = path.join(repoRoot, "supabase", "config.toml")): RestSettings {
  const api = readTomlScalars(readFileSync(configPath, "utf8")).get("api") ?? {};
  const maxRows = api.max_rows;
  return { maxRows: typeof maxRows === "number" && maxRows > 0 ? maxRows : defaultMaxRows };
}
