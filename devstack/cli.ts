import fs from "node:fs";
import path from "node:path";
import { dbUrl, devStack, repoRoot, snapshotStack, testStack, type StackConfig } from "./config.ts";
import { buildApp, startApp } from "./app.ts";
import { log } from "./log.ts";
import { generateTypes } from "./migrate.ts";
import { removeCluster, stopCluster } from "./postgres.ts";
import { stackEnv, startDatabase, startServices } from "./stack.ts";
import { generateSnapshot, snapshotDir, writeSnapshot } from "./schema-snapshot.ts";
import { runTests } from "./test-runner.ts";

const usage = `usage: npm run devstack -- <command>
  start        start PostgreSQL, the API gateway, edge functions and the app (Ctrl-C stops all)
  stop         stop a PostgreSQL cluster left running
  reset        throw the local database away and re-create it (bootstrap, migrations, seed)
  test         run every test against a throwaway stack of its own
  up           start a throwaway test stack and keep it running (options: --offset N, --no-app, --no-statement-log)
  gen-types    regenerate app/types/database.ts from the local database
  snapshot     regenerate supabase/schemas/ from a throwaway database with every migration applied (option: --offset N)`;

/** Shifts a stack's ports and folder so several throwaway stacks can run side by side. */
function offsetStack(base: StackConfig, offset: number): StackConfig {
  if (!offset) return base;
  return {
    name: `${base.name}-${offset}`,
    dataDir: `${base.dataDir}-${offset}`,
    dbPort: base.dbPort + offset,
    apiPort: base.apiPort + offset,
    appPort: base.appPort + offset,
    functionsBasePort: base.functionsBasePort + offset,
  };
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs until Ctrl-C, then stops everything it started, in reverse order. */
function stopOnSignal(stops: Array<() => Promise<void> | void>): void {
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    log("devstack", "stopping…");
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(error);
      }
    }
    process.exit(0);
  };
  process.on("SIGINT", stopAll);
  process.on("SIGTERM", stopAll);
}

function hasRemoteSupabase(): boolean {
  const url = process.env.SUPABASE_URL;
  return Boolean(url && process.env.SUPABASE_ANON_KEY && !/127\.0\.0\.1|localhost/.test(url));
}

async function start(): Promise<void> {
  if (hasRemoteSupabase()) {
    log("app", `using the Supabase project at ${process.env.SUPABASE_URL}; no local stack started`);
    buildApp();
    const app = await startApp(devStack, {});
    stopOnSignal([app.stop]);
    return;
  }
  const stack = devStack;
  startDatabase(stack);
  const stops: Array<() => Promise<void> | void> = [() => stopCluster(stack)];
  stopOnSignal(stops);
  const services = await startServices(stack);
  stops.push(services.stop);
  buildApp();
  const app = await startApp(stack, stackEnv(stack));
  stops.push(app.stop);
  log("devstack", `ready: app ${app.url}  API ${stackEnv(stack).SUPABASE_URL}  DB ${stackEnv(stack).SUPABASE_DB_URL}`);
  log("devstack", "sign in as tester@example.com / demo-password (see README). Ctrl-C stops everything.");
}

async function up(): Promise<void> {
  const stack = offsetStack(testStack, Number(option("--offset") ?? 0));
  startDatabase(stack, { fresh: true, logStatements: !process.argv.includes("--no-statement-log"), testHelpers: true });
  const stops: Array<() => Promise<void> | void> = [() => removeCluster(stack)];
  stopOnSignal(stops);
  const services = await startServices(stack);
  stops.push(services.stop);
  if (!process.argv.includes("--no-app")) {
    buildApp();
    const app = await startApp(stack, stackEnv(stack));
    stops.push(app.stop);
  }
  const env = {
    ...stackEnv(stack),
    APP_URL: `http://localhost:${stack.appPort}`,
    POSTGRES_LOG: path.join(stack.dataDir, "postgres.log"),
  };
  fs.writeFileSync(
    path.join(stack.dataDir, "env"),
    Object.entries(env)
      .map(([k, v]) => `export ${k}=${v}`)
      .join("\n") + "\n",
  );
  log("devstack", `test stack up; environment in ${path.relative(repoRoot, path.join(stack.dataDir, "env"))}`);
}

async function main(): Promise<void> {
  const command = process.argv[2];
  switch (command) {
    case "start":
      return start();
    case "stop":
      return stopCluster(devStack);
    case "reset":
      startDatabase(devStack, { fresh: true });
      return stopCluster(devStack);
    case "up":
      return up();
    case "test":
      process.exitCode = await runTests(offsetStack(testStack, Number(option("--offset") ?? 0)));
      return;
    case "snapshot": {
      const stack = offsetStack(snapshotStack, Number(option("--offset") ?? 0));
      try {
        startDatabase(stack, { fresh: true });
        writeSnapshot(generateSnapshot(dbUrl(stack)));
      } finally {
        removeCluster(stack);
      }
      return log("devstack", `wrote ${path.relative(repoRoot, snapshotDir)}/`);
    }
    case "gen-types": {
      startDatabase(devStack);
      fs.writeFileSync(path.join(repoRoot, "app", "types", "database.ts"), generateTypes(devStack));
      return log("devstack", "wrote app/types/database.ts");
    }
    default:
      console.log(usage);
      process.exitCode = command ? 1 : 0;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
