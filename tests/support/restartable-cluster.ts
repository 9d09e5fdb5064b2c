// A PostgreSQL cluster of a test's own, on a free loopback port, holding a copy of the test stack's database
// (roles, schema and data; uploaded tables without their rows): a test can restart it mid-job without
// disturbing the other test files, which share the stack's cluster.
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import { freePort } from "./free-port";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot, type StackConfig } from "../../devstack/config.ts";
import { ensureCluster, removeCluster } from "../../devstack/postgres.ts";

const run = promisify(execFile);
const pgBin = "/usr/lib/postgresql/15/bin";
const asPostgres = process.getuid?.() === 0;

export interface RestartableCluster {
  url(user?: string, password?: string): string;
  port: number;
  /** Stops the server (fast shutdown: sessions are ended, as a restart ends them), waits `downMs`, starts it. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (fast shutdown). */
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

function pgCtl(args: string[]) {
  return asPostgres
    ? run("runuser", ["-u", "postgres", "--", path.join(pgBin, "pg_ctl"), ...args])
    : run(path.join(pgBin, "pg_ctl"), args);
}

/** Copies the database at `sourceUrl` (a superuser URL) into a new cluster of this test, and starts it. */
export async function startClusterCopy(sourceUrl: string): Promise<RestartableCluster> {
  const port = await freePort();
  const stack: StackConfig = {
    name: `restart-${port}`,
    dataDir: path.join(repoRoot, ".devstack", `restart-${port}`),
    dbPort: port,
    apiPort: 0,
    appPort: 0,
    functionsBasePort: 0,
  };
  ensureCluster(stack);
  const data = path.join(stack.dataDir, "pgdata");
  const log = path.join(stack.dataDir, "postgres.log");
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${stack.dataDir}`,
    "-c max_connections=50",
    "-c fsync=off",
    "-c synchronous_commit=off",
  ].join(" ");
  const start = () => pgCtl(["start", "-w", "-t", "60", "-D", data, "-l", log, "-o", options]);
  await start();
  try {
    return await copyInto(sourceUrl, stack, data, port, start);
  } catch (error) {
    removeCluster(stack);
    throw error;
  }
}

async function copyInto(
  sourceUrl: string,
  stack: StackConfig,
  data: string,
  port: number,
  start: () => Promise<unknown>,
): Promise<RestartableCluster> {
  const url = (user = "postgres", password = "postgres") =>
    `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`;
  // The database is dumped before the roles, so every role it names is in the roles' dump; other test files
  // create and drop roles meanwhile, so a grant to a role dropped in between (and `postgres` already existing)
  // are the only errors let through.
  const dumpFile = path.join(stack.dataDir, "copy.sql");
  const dump = spawnSync("pg_dump", ["--exclude-table-data=source_data.*", "-f", dumpFile, sourceUrl], {
    encoding: "utf8",
  });
  if (dump.status !== 0) throw new Error(`dumping the database failed: ${dump.stderr}`);
  const roles = spawnSync("bash", ["-c", `pg_dumpall --roles-only -d "${sourceUrl}" | psql -q -X "${url()}"`], {
    encoding: "utf8",
  });
  if (roles.status !== 0) throw new Error(`copying roles failed: ${roles.stderr}`);
  const restore = spawnSync("psql", ["-q", "-X", "-f", dumpFile, url()], { encoding: "utf8" });
  const errors = restore.stderr
    .split("\n")
    .filter((line) => /ERROR/.test(line) && !/role "[^"]+" (does not exist|already exists)/.test(line));
  if (restore.status !== 0 || errors.length) throw new Error(`copying the database failed: ${errors.join("\n")}`);
  return {
    url,
    port,
    stop: async () => void (await pgCtl(["stop", "-w", "-m", "fast", "-D", data])),
    start: async () => void (await start()),
    async restart(downMs = 2000) {
      await pgCtl(["stop", "-w", "-m", "fast", "-D", data]);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async remove() {
      if (fs.existsSync(stack.dataDir)) removeCluster(stack);
    },
  };
}
