import type postgres from "postgres";
import { transaction } from "./transaction.ts";

/**
 * Runs `work` in a transaction on the functions' connection with the signed-in user's identity
 * (request.jwt.claims, as PostgREST sets it), so the database's triggers and checks judge the user's rights
 * with auth.uid() exactly as they do for the REST API.
 */
export async function asUser<T>(
  sql: postgres.Sql,
  userId: string,
  work: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  const claims = JSON.stringify({ sub: userId, role: "authenticated" });
  return await transaction(sql, async (tx) => {
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    return await work(tx);
  });
}
