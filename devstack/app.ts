import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot, type StackConfig } from "./config.ts";
import { loadSessionLimits } from "./gateway/auth/session-limits.ts";
import { log } from "./log.ts";

const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

export function buildApp(): void {
  log("app", "remix build");
  execFileSync(bin("remix"), ["build"], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
}

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the built Remix app (server.mjs: security headers, origin rule, Remix) on the stack's app port,
 * pointed at the given Supabase URL and keys.
 */
export async function startApp(stack: StackConfig, env: Record<string, string>): Promise<RunningApp> {
  const url = `http://localhost:${stack.appPort}`;
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
      PORT: String(stack.appPort),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      // The app's session cookie lives no longer than the auth server's sessions.
      SESSION_TIMEBOX: process.env.SESSION_TIMEBOX ?? sessionTimeboxSetting(),
      // supabase-js needs a global WebSocket, which Node 20 only has behind this flag.
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --experimental-websocket`.trim(),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const relay = (data: Buffer) => log("app", data.toString().trimEnd());
  child.stdout!.on("data", relay);
  child.stderr!.on("data", relay);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/login`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the app did not answer on ${url}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  log("app", `listening on ${url}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** `[auth.sessions] timebox` of supabase/config.toml, in seconds (the app's default when it sets none). */
function sessionTimeboxSetting(): string {
  const seconds = loadSessionLimits().timeboxSeconds;
  return seconds ? String(seconds) : "12h";
}
