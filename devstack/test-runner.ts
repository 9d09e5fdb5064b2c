import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { dbUrl, repoRoot, type StackConfig } from "./config.ts";
import { buildApp, startApp, type RunningApp } from "./app.ts";
import { denoImportDrift } from "./deno-imports.ts";
import { listFunctions } from "./functions.ts";
import { log } from "./log.ts";
import { logFile, removeCluster } from "./postgres.ts";
import { generateSnapshot, staleSnapshotFiles } from "./schema-snapshot.ts";
import { stackEnv, startDatabase, startServices, type RunningServices } from "./stack.ts";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
const chromium = "/usr/bin/chromium";

interface StepResult {
  name: string;
  passed: number;
  failed: number;
}

/** Runs a command with inherited output, also capturing it, and resolves with its exit code and text. */
function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const relay = (stream: NodeJS.WriteStream) => (data: Buffer) => {
      output += data.toString();
      stream.write(data);
    };
    child.stdout.on("data", relay(process.stdout));
    child.stderr.on("data", relay(process.stderr));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function staticChecks(): Promise<StepResult[]> {
  const functionEntries = listFunctions().flatMap((name) => {
    const dir = path.join("supabase", "functions", name);
    return [["deno check", bin("deno"), ["check", "--quiet", `--config=${dir}/deno.json`, `${dir}/index.ts`]] as const];
  });
  log("test", "deno.json versions");
  const drift = denoImportDrift();
  for (const problem of drift) console.error(`deno.json: ${problem}`);
  const results: StepResult[] = [{ name: "deno.json", passed: drift.length ? 0 : 1, failed: drift.length ? 1 : 0 }];
  for (const [name, cmd, args] of [
    ["typecheck", bin("tsc"), ["--noEmit"]],
    ...functionEntries,
    ["lint", bin("eslint"), ["."]],
    ["format", bin("prettier"), ["--check", "."]],
  ] as const) {
    log("test", `${name} ${name === "deno check" ? args.at(-1) : ""}`);
    const { code } = await run(cmd, [...args]);
    results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 });
  }
  return results;
}

/** The browser tests drive Debian's Chromium; install it as root, or say how. */
function ensureChromium(): void {
  if (fs.existsSync(chromium)) return;
  if (process.getuid?.() !== 0) throw new Error(`Browser tests need Chromium: sudo apt-get install -y chromium`);
  log("test", "installing chromium");
  execFileSync("sh", ["-c", "apt-get update && apt-get install -y chromium"], { stdio: "inherit" });
}

async function pgTap(stack: StackConfig): Promise<StepResult> {
  const dir = path.join(repoRoot, "supabase", "tests", "database");
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".test.sql"))
        .sort()
    : [];
  if (!files.length) return { name: "pgTAP", passed: 0, failed: 0 };
  const url = new URL(dbUrl(stack));
  const { code, output } = await run(
    "pg_prove",
    ["-h", url.hostname, "-p", url.port, "-U", "postgres", "-d", "postgres", ...files.map((f) => path.join(dir, f))],
    { PGPASSWORD: "postgres" },
  );
  const total = Number(/Tests=(\d+)/.exec(output)?.[1] ?? 0);
  const failedTests = [...output.matchAll(/Failed (\d+)\/\d+ subtests/g)].reduce((n, m) => n + Number(m[1]), 0);
  const failed = code === 0 ? 0 : Math.max(failedTests, 1);
  return { name: "pgTAP", passed: total - failedTests, failed };
}

async function vitest(env: Record<string, string>): Promise<StepResult> {
  const report = path.join(repoRoot, ".devstack", "vitest-report.json");
  fs.rmSync(report, { force: true });
  const { code } = await run(
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile=${report}`],
    env,
  );
  if (!fs.existsSync(report)) return { name: "vitest", passed: 0, failed: 1 };
  const summary = JSON.parse(fs.readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number };
  const failed = summary.numFailedTests + (code !== 0 && summary.numFailedTests === 0 ? 1 : 0);
  return { name: "vitest", passed: summary.numPassedTests, failed };
}

/** The checked-in schema snapshot must be what the migrations produce (supabase/schemas/). */
function snapshotCheck(stack: StackConfig): StepResult {
  log("test", "schema snapshot");
  const stale = staleSnapshotFiles(generateSnapshot(dbUrl(stack)));
  if (stale.length) {
    console.error(
      `supabase/schemas/ is stale (${stale.join(", ")}): run \`npm run db:snapshot\` and commit the result.`,
    );
  }
  return { name: "snapshot", passed: stale.length ? 0 : 1, failed: stale.length ? 1 : 0 };
}

/** `npm test`: static checks, then pgTAP and vitest against a fresh stack of the test ports; prints one total. */
export async function runTests(stack: StackConfig): Promise<number> {
  const results: StepResult[] = [];
  let services: RunningServices | undefined;
  let app: RunningApp | undefined;
  try {
    results.push(...(await staticChecks()));
    ensureChromium();
    startDatabase(stack, { fresh: true, logStatements: true, testHelpers: true });
    results.push(snapshotCheck(stack));
    results.push(await pgTap(stack));
    services = await startServices(stack);
    buildApp();
    app = await startApp(stack, stackEnv(stack));
    results.push(
      await vitest({
        ...stackEnv(stack),
        APP_URL: app.url,
        POSTGRES_LOG: logFile(stack),
      }),
    );
  } catch (error) {
    console.error(error);
    results.push({ name: "stack", passed: 0, failed: 1 });
  } finally {
    await app?.stop();
    await services?.stop();
    removeCluster(stack);
  }
  for (const r of results) log("test", `${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
