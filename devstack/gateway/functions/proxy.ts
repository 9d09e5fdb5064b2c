import http from "node:http";
import type { GatewayContext, Service } from "../context.ts";
import { sendJson } from "../http.ts";
import { JwtError, verifyJwt } from "../jwt.ts";

/**
 * /functions/v1/<name>/… → the Deno process serving <name>, with the request streamed through
 * unchanged. Like Supabase's edge runtime with `verify_jwt` on, a valid JWT (the anon key counts)
 * is required before the function sees the request.
 */
export function createFunctionsProxy(ctx: GatewayContext): Service {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return {
    async handle(req, res, path, url) {
      const name = path.split("/")[1] ?? "";
      const port = ctx.functionPorts[name];
      if (!port) return sendJson(res, 404, { code: "NOT_FOUND", message: "Requested function was not found" });

      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
      if (!token)
        return sendJson(res, 401, { code: "UNAUTHORIZED_NO_AUTH_HEADER", message: "Missing authorization header" });
      try {
        verifyJwt(token, ctx.jwtSecret);
      } catch (error) {
        if (error instanceof JwtError)
          return sendJson(res, 401, { code: "UNAUTHORIZED_INVALID_JWT_FORMAT", message: "Invalid JWT" });
        throw error;
      }

      await new Promise<void>((resolve) => {
        const upstream = http.request(
          { host: "127.0.0.1", port, method: req.method, path: path + url.search, headers: req.headers, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            // A client that stops reading a streamed answer (a download cancelled) closes the function's response
            // too, so the function stops producing it, as behind Supabase's gateway.
            res.on("close", () => {
              if (!answer.complete) answer.destroy();
            });
            answer.on("end", resolve);
            answer.on("error", resolve);
          },
        );
        upstream.on("error", () => {
          if (!res.headersSent)
            sendJson(res, 502, { code: "BOOT_ERROR", message: `Function ${name} is not reachable` });
          resolve();
        });
        // A client that goes away mid-request takes the function's request with it, as Supabase's edge
        // runtime does: otherwise the function waits for the rest of the body for ever (an upload's COPY with it).
        req.on("close", () => {
          if (!req.complete) upstream.destroy();
        });
        req.pipe(upstream);
      });
    },
    async close() {
      agent.destroy();
    },
  };
}
