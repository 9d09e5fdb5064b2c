// The audit log's hash chain under concurrent writers: many sessions writing audited rows at once still give
// one chain without gaps or forks, which verify_audit_log finds whole; rows are chained at commit, so a long
// transaction does not hold other writers up; under repeatable read, a transaction that would chain onto a head it
// cannot see fails with a serialization error at commit instead of forking the chain.
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
  const [a, b] = await Promise.all([sql.reserve(), sql.reserve()]);
  try {
    await b`begin isolation level repeatable read`;
    await b`select 1 from public.audit_log limit 1`; // takes the snapshot
    await auditedWrite(1001, b);
    await sql.begin((tx) => auditedWrite(1000, tx)); // chained at its commit, after b's snapshot
    // b's row is chained at its commit, onto a head its snapshot does not show: a serialization failure.
    const committed = await b`commit`.then(
      () => null,
      (error: { code?: string }) => error.code,
    );
    expect(committed).toBe("40001");
  } finally {
    a.release();
    b.release();
  }
  expect((await wholeVerdict()).ok).toBe(true);
});

it("chains a long transaction's rows at its commit, so other writers do not wait for it", async () => {
  const long = await sql.reserve();
  try {
    await long`begin`;
    await auditedWrite(2000, long);
    const [own] = await long<{ chain_seq: string | null }[]>`
      select chain_seq::text from public.audit_log
       where table_name = 'public.test_cycles' and new_values ->> 'name' = ${`${tag} 2000`}`;
    expect(own!.chain_seq).toBeNull(); // not chained before its commit
    const started = Date.now();
    await sql.begin((tx) => auditedWrite(2001, tx)); // another writer commits while the long one is open
    expect(Date.now() - started).toBeLessThan(5_000);
    await long`commit`;
  } finally {
    long.release();
  }
  const rows = await sql<{ name: string; chain_seq: string }[]>`
    select new_values ->> 'name' as name, chain_seq::text from public.audit_log
     where table_name = 'public.test_cycles' and new_values ->> 'name' in (${`${tag} 2000`}, ${`${tag} 2001`})
     order by chain_seq`;
  expect(rows.map((r) => r.name)).toEqual([`${tag} 2001`, `${tag} 2000`]);
  expect((await wholeVerdict()).ok).toBe(true);
});
