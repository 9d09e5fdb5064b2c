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

/**
 * True when `error` says a database connection was lost or cannot be made right now: a postgres.js connection
 * error, a socket error, or the server's shutdown and connection-failure SQLSTATEs. Only the error itself is
 * read (and the cause of a DatabaseUnavailableError): a failed HTTP call whose cause is ECONNREFUSED is no
 * database outage.
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_LOST.has(code);
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

/** How long a callback that saw a lost connection waits for postgres.js to report the connection closed. */
const CLOSE_GRACE_MS = 2000;

/**
 * `sql.begin(mode, fn)`, except that a lost connection fails the transaction without a ROLLBACK on it. A
 * connection error whose connection does not close (it came from another pool) is rethrown after a short grace,
 * and the transaction then rolls back as usual.
 */
export async function transaction<T>(
  sql: postgres.Sql,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
  mode?: string,
): Promise<T> {
  let ended = false;
  let markEnded!: () => void;
  const whenEnded = new Promise<void>((resolve) => (markEnded = resolve));
  const body = async (tx: postgres.TransactionSql) => {
    try {
      return await fn(tx);
    } catch (error) {
      if (isConnectionLost(error)) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([whenEnded, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
        clearTimeout(timer);
        // postgres.js already failed the transaction on the connection's close: write nothing more to it.
        if (ended) return await untilTransactionEnds;
      }
      throw error;
    }
  };
  const begun = (mode ? sql.begin(mode, body) : sql.begin(body)) as Promise<T>;
  const end = () => {
    ended = true;
    markEnded();
  };
  begun.then(end, end);
  return await begun;
}
