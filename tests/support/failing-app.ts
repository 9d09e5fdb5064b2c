// A second instance of the built app (server.mjs) whose Supabase API fails: /auth/v1 is passed on to the stack's
// gateway, so users sign in, but every /rest/v1 call answers 503. Its pages then fail in their loaders, which is
// how a test sees the app's own error page (500) without breaking the stack other tests share.
import { spawn } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { requiredEnv } from "./env";
import { freePort } from "./free-port";

export interface FailingApp {
  url: string;
  stop(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

/** `env` is added to the second app's environment (e.g. `TRUST_PROXY`, which the stack's app runs without). */
export async function startAppWithFailingApi(env: Record<string, string> = {}): Promise<FailingApp> {
  const gateway = new URL(requiredEnv("SUPABASE_URL"));
  const api = createServer((req, res) => {
    if (!req.url?.startsWith("/auth/v1/")) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "PGRST001", message: "Database client error. Retrying the connection." }));
      return;
    }
    const upstream = request(
      { host: gateway.hostname, port: gateway.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const apiPort = await listen(api);
  const port = await freePort();
  const root = path.join(import.meta.dirname, "..", "..");
  const app = spawn(process.execPath, ["server.mjs"], {
    cwd: root,
    env: {
      ...process.env,
      SUPABASE_URL: `http://127.0.0.1:${apiPort}`,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --experimental-websocket`.trim(),
      ...env,
    },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (app.exitCode === null) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      app.kill("SIGTERM");
      await exited;
    }
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the second app exited with code ${app.exitCode}`);
    try {
      await fetch(`${url}/login`, { signal: AbortSignal.timeout(2000) });
      return { url, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the second app did not answer on ${url}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
