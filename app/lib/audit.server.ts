import type { SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import type { Database } from "~/types/database";

const verdictSchema = z.object({
  ok: z.boolean(),
  rows: z.number(),
  head_seq: z.number(),
  head_hash: z.string().nullable(),
  checked_at: z.string(),
  first_broken: z
    .object({ chain_seq: z.number(), reason: z.string(), message: z.string(), occurred_at: z.string().optional() })
    .nullable(),
  unexplained_version: z.object({ version_id: z.string(), message: z.string() }).nullable(),
  unexplained_status: z
    .object({ table_name: z.string(), row_id: z.string(), message: z.string() })
    .nullable()
    .optional(),
});

export type AuditVerdict = z.infer<typeof verdictSchema>;

/**
 * The audit log's verdict from verify_audit_log (admins only): whether its hash chain is whole, the first broken
 * link, a version (or a phase, request or observation) changed without an audit row, and the chain's head to record outside the database.
 */
export async function verifyAuditLog(supabase: SupabaseClient<Database>): Promise<AuditVerdict> {
  const { data, error } = await supabase.rpc("verify_audit_log");
  if (error) throw new Error(`verify_audit_log: ${error.message}`);
  return verdictSchema.parse(data);
}
