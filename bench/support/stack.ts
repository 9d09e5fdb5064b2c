// A throwaway stack for one benchmark run, in a process of its own (as `npm start` runs it), so the
// benchmark's own clients do not share its event loop. Statements are not logged: that would tax every side.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot, testStack } from "../../devstack/config.ts";

export interface BenchStack {
  /** SUPABASE_URL, keys, SUPABASE_DB_URL… as the stack wrote them. */
  env: Record<string, string>;
  /** The stack process (gateway and its children). */
  pid: number;
  /** The stack's folder (its cluster is in pgdata/). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBenchStack(offset: number): Promise<BenchStack> {
  const dataDir = `${testStack.dataDir}-${offset}`;
  const envFile = path.join(dataDir, "env");
  fs.rmSync(envFile, { force: true });
  const stack = spawn(
    path.join(repoRoot, "node_modules", ".bin", "tsx"),
    ["devstack/cli.ts", "up", "--offset", String(offset), "--no-app", "--no-statement-log"],
    { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] },
  );
  // A process killed by a signal keeps exitCode null: it has ended all the same.
  const ended = () => stack.exitCode !== null || stack.signalCode !== null;
  const stop = async () => {
    if (ended()) return;
    stack.kill("SIGTERM");
    await new Promise((r) => stack.once("exit", r));
  };
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(envFile)) {
    if (ended() || Date.now() > deadline) {
      await stop();
      throw new Error("the benchmark stack did not start");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const env = Object.fromEntries(
    fs
      .readFileSync(envFile, "utf8")
      .trim()
      .split("\n")
      .map((line) =>
        line
          .replace(/^export /, "")
          .split(/=(.*)/s)
          .slice(0, 2),
      ),
  ) as Record<string, string>;
  return { env, pid: stack.pid!, dataDir, stop };
}
