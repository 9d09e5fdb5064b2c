import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot, type StackConfig } from "./config.ts";
import { log } from "./log.ts";

const functionsDir = path.join(repoRoot, "supabase", "functions");
const denoBin = path.join(repoRoot, "node_modules", ".bin", "deno");

export interface FunctionsRuntime {
  ports: Record<string, number>;
  stop(): Promise<void>;
}

/** Every folder of supabase/functions with an index.ts, except shared code (folders starting with _). */
export function listFunctions(): string[] {
  return fs
    .readdirSync(functionsDir, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && !e.name.startsWith("_") && fs.existsSync(path.join(functionsDir, e.name, "index.ts")),
    )
    .map((e) => e.name)
    .sort();
}

/** Serves each edge function in its own Deno process on its own loopback port, waiting until each answers. */
export async function startFunctions(stack: StackConfig, env: Record<string, string>): Promise<FunctionsRuntime> {
  const names = listFunctions();
  const ports: Record<string, number> = {};
  const children: ChildProcess[] = [];
  await Promise.all(
    names.map(async (name, i) => {
      const port = stack.functionsBasePort + i;
      ports[name] = port;
      const dir = path.join(functionsDir, name);
      const child = spawn(
        denoBin,
        [
          "run",
          "--quiet",
          "--allow-net",
          "--allow-env",
          "--allow-read",
          "--allow-sys",
          `--config=${path.join(dir, "deno.json")}`,
          path.join(repoRoot, "devstack", "serve-function.ts"),
          path.join(dir, "index.ts"),
        ],
        {
          cwd: dir,
          env: { ...process.env, ...env, FUNCTION_PORT: String(port), FUNCTION_NAME: name },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      children.push(child);
      const relay = (data: Buffer) => log("functions", `[${name}] ${data.toString().trimEnd()}`);
      child.stdout!.on("data", relay);
      child.stderr!.on("data", relay);
      await waitForPort(port, child, name);
    }),
  );
  if (names.length) log("functions", `serving ${names.join(", ")}`);
  return {
    ports,
    async stop() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 120_000; // the first start downloads npm packages
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`edge function ${name} exited with code ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`edge function ${name} did not start on port ${port}`);
}
