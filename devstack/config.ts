import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, resolved from this file so commands work from any directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The JWT secret and API keys that `supabase start` uses by default. They are public demo values:
 * anything signed with them is only trusted by a local stack.
 */
export const demoKeys = {
  jwtSecret: "super-secret-jwt-token-with-at-least-32-characters-long",
  anonKey:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
  serviceRoleKey:
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU",
} as const;

/** One local stack: where its cluster lives and which loopback ports it listens on. */
export interface StackConfig {
  name: string;
  dataDir: string;
  dbPort: number;
  apiPort: number;
  appPort: number;
  /** First port handed to edge functions; each function gets the next free one. */
  functionsBasePort: number;
}

/** The stack `npm start` runs, on Supabase's local port conventions. */
export const devStack: StackConfig = {
  name: "dev",
  dataDir: path.join(repoRoot, ".devstack", "dev"),
  dbPort: 54322,
  apiPort: 54321,
  appPort: 3000,
  functionsBasePort: 54340,
};

/** The throwaway stack `npm test` runs: its own cluster and ports, so it never touches dev data. */
export const testStack: StackConfig = {
  name: "test",
  dataDir: path.join(repoRoot, ".devstack", "test"),
  dbPort: 54332,
  apiPort: 54331,
  appPort: 3100,
  functionsBasePort: 54360,
};

/** The database `npm run db:snapshot` migrates and dumps, then throws away (no services, only its port). */
export const snapshotStack: StackConfig = {
  name: "snapshot",
  dataDir: path.join(repoRoot, ".devstack", "snapshot"),
  dbPort: 54352,
  apiPort: 54351,
  appPort: 3200,
  functionsBasePort: 54380,
};

export function dbUrl(stack: StackConfig, user = "postgres", password = "postgres", database = "postgres"): string {
  return `postgresql://${user}:${password}@127.0.0.1:${stack.dbPort}/${database}`;
}

export function apiUrl(stack: StackConfig): string {
  return `http://127.0.0.1:${stack.apiPort}`;
}

/** Password of the `authenticator` login role the gateway connects as (local only). */
export const authenticatorPassword = "authenticator-local";

/** Password of the `rule_executor` login the edge functions run data-quality rules as (local only). */
export const ruleExecutorPassword = "rule-executor-local";
