// The audit log's hash chain under concurrent writers: many sessions writing audited rows at once still give
// one chain without gaps or forks, which verify_audit_log finds whole; under repeatable read, a transaction that
// would chain onto a head it cannot see fails with a serialization error instead of forking the chain.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, expect, it } from "vitest";

const url = process.env.SUPABASE_DB_URL;
if (!url) throw new Error("SUPABASE_DB_URL is not set; source the devstack env file first");
const sql = postgres(url, { max: 10, onnotice: () => undefined });
const tag = `chain-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await sql.end();
});

/**
 * verify_audit_log's verdict, once it finds the log whole: the browser test of the audit trail rewrites a row for
 * a moment, so a verdict read then is retried (for at most ten seconds).
 */
async function wholeVerdict(): Promise<{ ok: boolean; first_broken: unknown }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await sql<{ verdict: { ok: boolean; first_broken: unknown } }[]>`
      select public.verify_audit_log() as verdict`;
    if (row!.verdict.ok || Date.now() > deadline) return row!.verdict;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One audited write in its own transaction: a test cycle (its insert is audited). */
async function auditedWrite(n: number, tx: postgres.Sql | postgres.TransactionSql = sql) {
  await tx`insert into public.test_cycles (name, period_start, period_end)
           values (${`${tag} ${n}`}, '2032-01-01', '2032-03-31')`;
}

it("keeps one chain without gaps when eight sessions write at once", async () => {
  const [head] = await sql<{ before: string }[]>`select max(chain_seq)::text as before from public.audit_log`;
  const before = head!.before;
  await Promise.all(
    Array.from({ length: 8 }, async (_, session) => {
      for (let i = 0; i < 25; i++) await auditedWrite(session * 100 + i);
    }),
  );
  const rows = await sql<{ chain_seq: string; linked: boolean }[]>`
    select a.chain_seq::text as chain_seq, a.prev_hash is not distinct from lag(a.row_hash) over (order by a.chain_seq) as linked
      from public.audit_log a where a.chain_seq > ${before}::bigint order by a.chain_seq`;
  const mine = await sql<{ n: number }[]>`
    select count(*)::int as n from public.audit_log
     where table_name = 'public.test_cycles' and new_values ->> 'name' like ${tag + " %"}`;
  expect(mine[0]!.n).toBe(200);
  const seqs = rows.map((r) => Number(r.chain_seq));
  expect(seqs).toEqual(seqs.map((_, i) => Number(before) + 1 + i));
  expect(rows.slice(1).every((r) => r.linked)).toBe(true);
  expect(await wholeVerdict()).toMatchObject({ ok: true, first_broken: null });
});

it("refuses, under repeatable read, to chain onto a head the transaction cannot see", async () => {
  const first = sql.reserve();
  const second = sql.reserve();
  const [a, b] = await Promise.all([first, second]);
  try {
    await b`begin isolation level repeatable read`;
    await b`select 1 from public.audit_log limit 1`; // takes the snapshot
    await a`begin`;
    await auditedWrite(1000, a);
    const blocked = auditedWrite(1001, b).then(
      () => null,
      (error: { code?: string }) => error.code,
    );
    await new Promise((r) => setTimeout(r, 200));
    await a`commit`;
    expect(await blocked).toBe("40001");
    await b`rollback`;
  } finally {
    a.release();
    b.release();
  }
  expect((await wholeVerdict()).ok).toBe(true);
});
