import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type postgres from "postgres";
import { instanceId, type Db, type UserRow } from "./users-repo.ts";

/** The actions of GoTrue's audit log that this stack records, with GoTrue's log types. */
const logTypes = { login: "account", logout: "account", token_refreshed: "token", token_revoked: "token" } as const;
export type AuditAction = keyof typeof logTypes;

/**
 * The caller's address as GoTrue's GetIPAddress reads it: the first valid address of X-Forwarded-For
 * (set by the app for the browser it serves, or by a proxy), else the connection's peer.
 */
export function clientAddress(req: IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-for"];
  const list = Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "");
  for (const entry of list.split(",")) {
    const candidate = entry.trim();
    if (isIP(candidate)) return candidate;
  }
  const peer = req.socket.remoteAddress ?? "";
  return peer.startsWith("::ffff:") && isIP(peer.slice(7)) === 4 ? peer.slice(7) : peer;
}

export function userAgent(req: IncomingMessage): string {
  return String(req.headers["user-agent"] ?? "").slice(0, 1000);
}

/** One row of auth.audit_log_entries, with the payload GoTrue's NewAuditLogEntry writes. */
export async function recordAuditEntry(
  sql: Db,
  req: IncomingMessage,
  actor: Pick<UserRow, "id" | "email" | "phone" | "raw_user_meta_data">,
  action: AuditAction,
  traits?: Record<string, unknown>,
): Promise<void> {
  const payload: Record<string, unknown> = {
    actor_id: actor.id,
    actor_via_sso: false,
    actor_username: actor.phone || actor.email || "",
    action,
    log_type: logTypes[action],
  };
  const name = actor.raw_user_meta_data?.full_name;
  if (name !== undefined) payload.actor_name = name;
  if (traits) payload.traits = traits;
  await sql`insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
            values (${instanceId}, gen_random_uuid(), ${sql.json(payload as postgres.JSONValue)}, now(), ${clientAddress(req).slice(0, 64)})`;
}
