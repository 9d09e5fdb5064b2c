// Cost of one tester decision as the version grows: the median time to record a decision (a supabase-js PATCH of
// tester_decision on one planning attribute, through the gateway, as tester@) in a version of 100 attributes and
// in one of 10,000, measured interleaved in one run. Counters are kept incrementally, so the ratio should stay
// near 1 (goal: at most 1.5).
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { startBenchStack } from "../support/stack.ts";

const offset = 750;
const samples = Number(process.env.BENCH_DECISIONS ?? 300);
const sizes = [100, 10_000] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A planning version of its own with `size` attributes, on a cycle report assigned to tester@. */
async function versionWithAttributes(sql: postgres.Sql, size: number): Promise<string[]> {
  const [cycleReport] = await sql<{ id: number }[]>`
    with report as (
      insert into public.reports (name, regulation, owner_id)
      select ${`Decision bench ${size}`}, 'Bench', id from public.profiles where email = 'owner@example.com' returning id
    ), cycle as (
      insert into public.test_cycles (name, period_start, period_end)
      values (${`Decision bench ${size}`}, '2032-01-01', '2032-03-31') returning id
    )
    insert into public.cycle_reports (cycle_id, report_id) select cycle.id, report.id from cycle, report returning id`;
  const cycleReportId = cycleReport!.id;
  await sql`insert into public.cycle_report_testers (cycle_report_id, tester_id)
            select ${cycleReportId}, id from public.profiles where email = 'tester@example.com'`;
  const [phase] = await sql<{ id: number }[]>`
    select id from public.workflow_phases where cycle_report_id = ${cycleReportId} and phase_name = 'planning'`;
  await sql`select public.start_phase(${phase!.id})`;
  const [version] = await sql<{ id: string }[]>`select (public.create_version(${phase!.id})).id`;
  const rows = await sql<{ id: string }[]>`
    insert into public.planning_attributes (version_id, name, data_type, is_cde, is_mandatory)
    select ${version!.id}, 'attribute ' || i, 'string', i % 3 = 0, i % 2 = 0 from generate_series(1, ${size}) i
    returning id`;
  await sql`analyze public.planning_attributes`;
  return rows.map((r) => r.id);
}

async function main(): Promise<void> {
  const stack = await startBenchStack(offset);
  try {
    const { env } = stack;
    const sql = postgres(env.SUPABASE_DB_URL!, { max: 2, onnotice: () => undefined });
    const attributes = [];
    for (const size of sizes) attributes.push(await versionWithAttributes(sql, size));

    const tester = createClient(env.SUPABASE_URL!, env.SUPABASE_ANON_KEY!, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const { error: signInError } = await tester.auth.signInWithPassword({
      email: "tester@example.com",
      password: "demo-password",
    });
    if (signInError) throw new Error(`sign-in failed: ${signInError.message}`);

    const decide = async (ids: string[], i: number) => {
      const started = performance.now();
      const { error } = await tester
        .from("planning_attributes")
        .update({ tester_decision: i % 2 === 0 ? "approved" : "rejected", tester_notes: `decision ${i}` })
        .eq("id", ids[(i * 7919) % ids.length]!);
      if (error) throw new Error(error.message);
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) for (const ids of attributes) await decide(ids, i); // warm-up
    const timings: number[][] = sizes.map(() => []);
    for (let i = 0; i < samples; i++) {
      for (const [k, ids] of attributes.entries()) timings[k]!.push(await decide(ids, i + 20));
    }

    const [small, large] = timings.map(median) as [number, number];
    console.log(`one tester decision through the REST API (supabase-js PATCH), ${samples} decisions per version`);
    console.log(`version of ${sizes[0].toLocaleString("en")} attributes:    median ${small.toFixed(2)} ms`);
    console.log(`version of ${sizes[1].toLocaleString("en")} attributes: median ${large.toFixed(2)} ms`);
    console.log(`ratio ${(large / small).toFixed(2)} (goal: at most 1.5)`);
    await sql.end();
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
