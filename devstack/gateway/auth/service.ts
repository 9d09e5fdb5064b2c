import type { GatewayContext, Service } from "../context.ts";
import { sendJson } from "../http.ts";

/** GoTrue stand-in (being built). */
export function createAuthService(_ctx: GatewayContext): Service {
  return {
    async handle(_req, res) {
      sendJson(res, 501, { message: "not implemented" });
    },
    async close() {},
  };
}
