import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { authenticatorPassword, dbUrl, repoRoot, type StackConfig } from "./config.ts";
import { log } from "./log.ts";

const pgBinDir = "/usr/lib/postgresql/15/bin";
const pgtapControl = "/usr/share/postgresql/15/extension/pgtap.control";
const requiredPackages = ["postgresql-15", "postgresql-15-pgtap", "libtap-parser-sourcehandler-pgtap-perl"];

const isRoot = process.getuid?.() === 0;

function hasPgProve(): boolean {
  return spawnSync("sh", ["-c", "command -v pg_prove"]).status === 0;
}

/** Installs PostgreSQL 15 and pgTAP from Debian when missing (as root), or says exactly what to install. */
export function ensurePostgresInstalled(): void {
  const missing = !fs.existsSync(path.join(pgBinDir, "initdb")) || !fs.existsSync(pgtapControl) || !hasPgProve();
  if (!missing) return;
  const command = `apt-get update && apt-get install -y ${requiredPackages.join(" ")}`;
  if (!isRoot || !fs.existsSync("/usr/bin/apt-get")) {
    throw new Error(`PostgreSQL 15 with pgTAP is required. Install it with:\n  sudo ${command}`);
  }
  log("postgres", `installing ${requiredPackages.join(", ")}`);
  execFileSync("sh", ["-c", command], { stdio: "inherit" });
}

/** Runs a PostgreSQL binary as the `postgres` OS user when we are root: the server refuses to run as root. */
function runPg(bin: string, args: string[], options: { quiet?: boolean } = {}): void {
  const [cmd, fullArgs] = isRoot
    ? ["runuser", ["-u", "postgres", "--", path.join(pgBinDir, bin), ...args]]
    : [path.join(pgBinDir, bin), args];
  execFileSync(cmd, fullArgs, { stdio: options.quiet ? "pipe" : ["ignore", "inherit", "inherit"] });
}

function pgDataDir(stack: StackConfig): string {
  return path.join(stack.dataDir, "pgdata");
}

export function logFile(stack: StackConfig): string {
  return path.join(stack.dataDir, "postgres.log");
}

function chownToPostgres(dir: string): void {
  if (isRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
}

/** Creates the cluster when it does not exist yet. */
export function ensureCluster(stack: StackConfig): void {
  const data = pgDataDir(stack);
  if (fs.existsSync(path.join(data, "PG_VERSION"))) return;
  fs.mkdirSync(data, { recursive: true });
  const pwFile = path.join(stack.dataDir, "pwfile");
  fs.writeFileSync(pwFile, "postgres\n");
  chownToPostgres(stack.dataDir);
  log("postgres", `initdb ${path.relative(repoRoot, data)}`);
  runPg(
    "initdb",
    [
      "-D",
      data,
      "-U",
      "postgres",
      "--pwfile",
      pwFile,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
    ],
    { quiet: true },
  );
  fs.rmSync(pwFile);
}

export function isClusterRunning(stack: StackConfig): boolean {
  const args = ["status", "-D", pgDataDir(stack)];
  const result = isRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", path.join(pgBinDir, "pg_ctl"), ...args])
    : spawnSync(path.join(pgBinDir, "pg_ctl"), args);
  return result.status === 0;
}

export interface ClusterOptions {
  /** Log every statement: the hostile-input tests read the log to prove nothing but parameterized SQL ran. */
  logStatements?: boolean;
}

export function startCluster(stack: StackConfig, options: ClusterOptions = {}): void {
  if (isClusterRunning(stack)) {
    log("postgres", `already running on 127.0.0.1:${stack.dbPort}`);
    return;
  }
  const settings = [
    `-p ${stack.dbPort}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${stack.dataDir}`,
    "-c max_connections=200",
    "-c shared_buffers=256MB",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    ...(options.logStatements ? ["-c log_statement=all", "-c log_min_error_statement=panic"] : []),
  ];
  const args = ["start", "-w", "-t", "60", "-D", pgDataDir(stack), "-l", logFile(stack), "-o", settings.join(" ")];
  // One more try after a failed start: a port or shared memory another process was just releasing is free again.
  for (let attempt = 1; ; attempt++) {
    const logged = fs.existsSync(logFile(stack)) ? fs.statSync(logFile(stack)).size : 0;
    try {
      runPg("pg_ctl", args, { quiet: true });
      break;
    } catch (error) {
      // The server says why it did not start only in its log, which a throwaway stack removes afterwards.
      const written = fs.existsSync(logFile(stack)) ? fs.readFileSync(logFile(stack)).subarray(logged) : "";
      const lines = written.toString().trim().split("\n");
      for (const line of lines.slice(-20)) log("postgres", line);
      if (attempt === 2) throw error;
      log("postgres", "did not start; trying once more");
      spawnSync("sleep", ["2"]);
    }
  }
  log("postgres", `listening on 127.0.0.1:${stack.dbPort}`);
}

export function stopCluster(stack: StackConfig): void {
  if (!isClusterRunning(stack)) return;
  runPg("pg_ctl", ["stop", "-w", "-m", "fast", "-D", pgDataDir(stack)], { quiet: true });
  log("postgres", "stopped");
}

export function removeCluster(stack: StackConfig): void {
  stopCluster(stack);
  fs.rmSync(stack.dataDir, { recursive: true, force: true });
}

/** Runs SQL through psql as postgres, stopping at the first error. */
export function psql(
  stack: StackConfig,
  input: { file?: string; sql?: string; vars?: Record<string, string> },
): string {
  const args = [dbUrl(stack), "-v", "ON_ERROR_STOP=1", "-q", "-X"];
  for (const [k, v] of Object.entries(input.vars ?? {})) args.push("-v", `${k}=${v}`);
  if (input.file) args.push("-f", input.file);
  if (input.sql) args.push("-c", input.sql);
  return execFileSync("psql", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Whether the cluster has had the Supabase bootstrap: a first start stopped before it (a port in use, Ctrl-C) has not. */
export function isBootstrapped(stack: StackConfig): boolean {
  const answer = psql(stack, {
    sql: "select case when exists (select from pg_catalog.pg_roles where rolname = 'supabase_auth_admin') then 'bootstrapped' end",
  });
  return answer.includes("bootstrapped");
}

/** Gives a fresh cluster what Supabase's image has (roles, auth schema, grants, extensions). */
export function applyBootstrap(stack: StackConfig): void {
  psql(stack, {
    file: path.join(repoRoot, "devstack", "bootstrap", "supabase.sql"),
    vars: { authenticator_password: authenticatorPassword, auth_admin_password: authenticatorPassword },
  });
  log("postgres", "Supabase bootstrap applied");
}

/** The later parts of Supabase's auth schema (session limits, audit log); safe to apply on every start. */
export function applyAuthSchemaAdditions(stack: StackConfig): void {
  psql(stack, { file: path.join(repoRoot, "devstack", "bootstrap", "auth-sessions.sql") });
}

/** The `storage` schema Supabase Storage keeps (buckets, objects, name helpers, RLS); safe to apply on every start. */
export function applyStorageSchema(stack: StackConfig): void {
  psql(stack, { file: path.join(repoRoot, "devstack", "bootstrap", "storage.sql") });
}
