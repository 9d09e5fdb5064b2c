import postgres, { type Sql, type TransactionSql } from "postgres";
import { isPgServerError } from "../rest/errors.ts";
import { errors } from "./errors.ts";

/** Who a request acts as: the role and claims of its JWT, as PostgREST and Supabase Storage apply them. */
export interface Caller {
  role: string;
  claims: Record<string, unknown>;
  /** The `sub` claim when it is a user id (owner of what the caller creates), else null. */
  owner: string | null;
}

/** Storage's "superuser": the service role, which bypasses RLS, for what Storage itself does without a caller. */
export const serviceCaller: Caller = { role: "service_role", claims: { role: "service_role" }, owner: null };

export type Tx = TransactionSql<Record<string, never>>;

/** Per-role statement timeouts, as Supabase sets them (anon 3 s, authenticated 8 s). */
const timeouts: Record<string, string> = { anon: "3s", authenticated: "8s", service_role: "8s" };

/**
 * Runs each Storage operation in one transaction on an `authenticator` connection, as the caller's role with
 * `request.jwt.claims` set, so the policies on storage.objects and storage.buckets decide.
 */
export class StorageDb {
  private readonly sql: Sql<Record<string, never>>;

  constructor(url: string, poolSize = 10) {
    this.sql = postgres(url, {
      max: poolSize,
      idle_timeout: 60,
      onnotice: () => {},
      connection: { application_name: "devstack-storage" },
    });
  }

  async as<T>(caller: Caller, work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return (await this.sql.begin(async (tx) => {
        await tx`select set_config('role', ${caller.role}, true),
                        set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true),
                        set_config('request.jwt.claim.sub', ${typeof caller.claims.sub === "string" ? caller.claims.sub : ""}, true),
                        set_config('statement_timeout', ${timeouts[caller.role] ?? "8s"}, true)`;
        return work(tx as unknown as Tx);
      })) as T;
    } catch (error) {
      throw fromDatabaseError(error);
    }
  }

  close(): Promise<void> {
    return this.sql.end({ timeout: 1 });
  }
}

/** Storage's answers to what PostgreSQL refuses; other errors pass through unchanged. */
export function fromDatabaseError(error: unknown): unknown {
  if (isPgServerError(error)) {
    switch (error.code) {
      case "42501":
        return errors.accessDenied(error.message);
      case "23505":
        return errors.keyAlreadyExists();
      case "23503":
        return errors.noSuchBucket();
      case "57014":
        return errors.databaseTimeout();
      case "22P02":
      case "22021":
      case "22023":
      case "22P05":
        return errors.invalidRequest(error.message);
    }
    return error;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^(CONNECT|E[A-Z]+$)/.test(code)) return errors.databaseUnavailable();
  return error;
}
