import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";
import { readTomlScalars } from "../auth/settings.ts";
import { parseConfigSize } from "./names.ts";

/** The `[storage]` settings of supabase/config.toml the local Storage follows. */
export interface StorageSettings {
  /** `file_size_limit`: the largest object any bucket takes (Supabase's default is 50MiB). */
  fileSizeLimit: number;
}

export const defaultFileSizeLimit = 50 * 1024 * 1024;

export function loadStorageSettings(configPath = path.join(repoRoot, "supabase", "config.toml")): StorageSettings {
  const storage = readTomlScalars(readFileSync(configPath, "utf8")).get("storage") ?? {};
  const limit = storage.file_size_limit;
  if (limit === undefined) return { fileSizeLimit: defaultFileSizeLimit };
  const bytes = typeof limit === "boolean" ? null : parseConfigSize(limit);
  if (bytes === null) throw new Error(`[storage] file_size_limit in ${configPath} is not a size: ${String(limit)}`);
  return { fileSizeLimit: bytes };
}
