import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAuthService } from "./auth/service.ts";
import type { GatewayContext, Service } from "./context.ts";
import { createFunctionsProxy } from "./functions/proxy.ts";
import { HttpError, sendJson } from "./http.ts";
import { createRestService } from "./rest/service.ts";
import { createStorageService } from "./storage/service.ts";

const corsHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS",
  "access-control-allow-headers":
    "authorization,apikey,content-type,content-profile,accept-profile,prefer,range,range-unit,x-client-info,x-supabase-api-version,accept,x-upsert,x-metadata,cache-control",
  "access-control-expose-headers":
    "content-range,content-location,location,preference-applied,content-disposition,etag,last-modified",
  "access-control-max-age": "3600",
};

/**
 * The auth routes Supabase's gateway (Kong's `auth-v1-open*` services) serves without an API key: the links a
 * user opens from a mailed message or a provider's redirect, which carry none.
 */
const openAuthPaths = new Set(["/auth/v1/verify", "/auth/v1/callback", "/auth/v1/authorize"]);

export interface Gateway {
  port: number;
  close(): Promise<void>;
}

/**
 * The local stand-in for Supabase's API gateway: /rest/v1 (PostgREST), /auth/v1 (GoTrue) and
 * /functions/v1 (edge functions) and /storage/v1 (Storage), checking the `apikey` header the way Supabase's gateway
 * does: on the REST and auth APIs, not on functions (which check the JWT) nor on Storage (which checks the JWT
 * itself, and whose public and signed URLs carry no key).
 */
export async function startGateway(ctx: GatewayContext, port: number, host = "127.0.0.1"): Promise<Gateway> {
  const services: Record<string, Service> = {
    "/rest/v1": createRestService(ctx),
    "/auth/v1": createAuthService(ctx),
    "/functions/v1": createFunctionsProxy(ctx),
    "/storage/v1": createStorageService(ctx),
  };
  const apiKeys = new Set([ctx.anonKey, ctx.serviceRoleKey]);

  const server = http.createServer(async (req, res) => {
    for (const [k, v] of Object.entries(corsHeaders)) res.setHeader(k, v);
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
      if (req.method === "OPTIONS") {
        res.writeHead(200).end();
        return;
      }
      if (url.pathname === "/health") return sendJson(res, 200, { status: "ok" });
      const prefix = Object.keys(services).find((p) => url.pathname === p || url.pathname.startsWith(p + "/"));
      if (!prefix) return sendJson(res, 404, { message: "no Route matched with those values" });
      // Supabase's gateway requires an API key on the REST and auth APIs; functions check the JWT instead.
      if (prefix !== "/functions/v1" && prefix !== "/storage/v1" && !openAuthPaths.has(url.pathname)) {
        const key = headerValue(req.headers.apikey) ?? url.searchParams.get("apikey");
        if (!key) return sendJson(res, 401, { message: "No API key found in request" });
        if (!apiKeys.has(key)) return sendJson(res, 401, { message: "Invalid API key" });
      }
      await services[prefix]!.handle(req, res, url.pathname.slice(prefix.length) || "/", url);
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (error instanceof HttpError) return sendJson(res, error.status, error.body, error.headers);
      console.error("gateway error", error);
      sendJson(res, 500, { code: "PGRST000", message: "Internal gateway error", details: null, hint: null });
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(Object.values(services).map((s) => s.close()));
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
