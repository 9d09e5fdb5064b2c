// Transactions that survive losing their connection. postgres.js's `begin` rolls back when its callback fails;
// when the callback failed because the connection was lost (a database restart), that ROLLBACK is written to a
// connection whose socket is gone, which throws an uncaught TypeError (`reading 'write'`) from a timer and
// leaves the pooled connection unusable. `transaction` keeps the callback from settling in that case: postgres.js
// then rejects the transaction itself when the connection closes (as it always does), no ROLLBACK is attempted
// (the server already rolled back), and the pool reconnects that connection cleanly for its next query.
import type postgres from "postgres";

/** Errors that say the connection to the database is gone, not that the statement was refused. */
const CONNECTION_LOST = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the server is starting
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);

/** True when `error` (or its cause) says the database connection was lost or cannot be made right now. */
export function isConnectionLost(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_LOST.has(code)) return true;
  }
  return false;
}

/** The project database could not be reached; the work can be resumed once it is back. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";

  constructor(cause: unknown) {
    super(`The database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * What a transaction's (or savepoint's) callback awaits once its connection is lost: a promise that never
 * settles, so postgres.js writes no ROLLBACK to the closed connection and fails the transaction on its close.
 */
export const untilTransactionEnds = new Promise<never>(() => {});

/** `sql.begin(mode, fn)`, except that a lost connection fails the transaction without a ROLLBACK on it. */
export async function transaction<T>(
  sql: postgres.Sql,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
  mode?: string,
): Promise<T> {
  const body = async (tx: postgres.TransactionSql) => {
    try {
      return await fn(tx);
    } catch (error) {
      // postgres.js rejects the transaction when the connection closes; until then, do nothing more on it.
      if (isConnectionLost(error)) return await untilTransactionEnds;
      throw error;
    }
  };
  return (mode ? await sql.begin(mode, body) : await sql.begin(body)) as T;
}
