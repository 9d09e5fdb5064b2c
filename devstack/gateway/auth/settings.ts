import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../config.ts";

/** The `[auth]` settings of supabase/config.toml that GoTrue's behaviour depends on. */
export interface AuthSettings {
  enableSignup: boolean;
  /** `[auth.email] enable_confirmations = false` means sign-ups are confirmed at once. */
  mailerAutoconfirm: boolean;
  minimumPasswordLength: number;
  refreshTokenRotation: boolean;
  refreshTokenReuseIntervalSeconds: number;
  anonymousSignIns: boolean;
  /** `[auth.rate_limit]`: requests per client address per 5 minutes. */
  rateLimits: {
    /** `sign_in_sign_ups`: password sign-ins and sign-ups. */
    signInSignUps: number;
    /** `token_refresh`: refresh token grants. */
    tokenRefresh: number;
  };
}

type TomlScalar = string | number | boolean;

/**
 * Reads the scalar keys of each `[section]` of a config.toml. Arrays and inline tables are skipped:
 * the auth settings used here are all booleans and integers.
 */
export function readTomlScalars(text: string): Map<string, Record<string, TomlScalar>> {
  const sections = new Map<string, Record<string, TomlScalar>>();
  let current: Record<string, TomlScalar> = {};
  sections.set("", current);
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = {};
      sections.set(header[1]!.trim(), current);
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const value = pair[2]!;
    if (value === "true" || value === "false") current[pair[1]!] = value === "true";
    else if (/^-?\d+$/.test(value)) current[pair[1]!] = Number(value);
    else if (/^".*"$/.test(value)) current[pair[1]!] = value.slice(1, -1);
  }
  return sections;
}

/** GoTrue's settings as `supabase start` derives them from supabase/config.toml (its defaults when absent). */
export function loadAuthSettings(configPath = path.join(repoRoot, "supabase", "config.toml")): AuthSettings {
  const sections = readTomlScalars(readFileSync(configPath, "utf8"));
  const auth = sections.get("auth") ?? {};
  const email = sections.get("auth.email") ?? {};
  const limits = sections.get("auth.rate_limit") ?? {};
  const bool = (v: TomlScalar | undefined, fallback: boolean) => (typeof v === "boolean" ? v : fallback);
  const int = (v: TomlScalar | undefined, fallback: number) => (typeof v === "number" ? v : fallback);
  return {
    enableSignup: bool(auth.enable_signup, true),
    mailerAutoconfirm: !bool(email.enable_confirmations, false),
    minimumPasswordLength: int(auth.minimum_password_length, 6),
    refreshTokenRotation: bool(auth.enable_refresh_token_rotation, true),
    refreshTokenReuseIntervalSeconds: int(auth.refresh_token_reuse_interval, 10),
    anonymousSignIns: bool(auth.enable_anonymous_sign_ins, false),
    // The Supabase CLI's defaults when config.toml leaves them out.
    rateLimits: {
      signInSignUps: int(limits.sign_in_sign_ups, 30),
      tokenRefresh: int(limits.token_refresh, 150),
    },
  };
}
