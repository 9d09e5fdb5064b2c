import type { GatewayContext, Service } from "../context.ts";
import { sendJson } from "../http.ts";

export function createFunctionsProxy(_ctx: GatewayContext): Service {
  return {
    async handle(_req, res) {
      sendJson(res, 501, { message: "not implemented" });
    },
    async close() {},
  };
}
