import type { IncomingMessage, ServerResponse } from "node:http";

/** What every part of the gateway needs to know about the stack it serves. */
export interface GatewayContext {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Connection URL for the `authenticator` login role (PostgREST connects as it). */
  authenticatorUrl: string;
  /** Connection URL for `supabase_auth_admin` (GoTrue connects as it). */
  authAdminUrl: string;
  /** Bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Lifetime of access tokens issued by /auth/v1, in seconds. */
  jwtExpirySeconds: number;
  /** Edge function name → loopback port of the Deno process serving it. */
  functionPorts: Record<string, number>;
  /** Public URL of the gateway itself (SUPABASE_URL). */
  publicUrl: string;
  /** The supabase/config.toml whose `[api]` and `[auth]` settings the gateway follows (the repository's by default). */
  configPath?: string;
  /** Where /storage/v1 keeps the bytes of objects (the stack's data directory; `.devstack/storage` by default). */
  storageDir?: string;
}

/** Handles one request whose path starts with the service prefix; `path` is what follows it. */
export type ServiceHandler = (req: IncomingMessage, res: ServerResponse, path: string, url: URL) => Promise<void>;

export interface Service {
  handle: ServiceHandler;
  close(): Promise<void>;
}
