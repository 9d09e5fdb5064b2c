// Cost of one tester decision as the version grows: the median time to record a decision (a supabase-js PATCH of
// tester_decision on one planning attribute, through the gateway, as tester@) in a version of 100 attributes and
// in one of 10,000, measured interleaved in one run. Counters are kept incrementally, so the ratio should stay
// near 1 (goal: at most 1.5). Then one bulk decision (public.decide_items, as the workspaces' bulk bars send it) over
// 2,000 attributes of the version of 10,000: its median time (goal: under 1 s), with the version's counters checked
// against a recount after every one.
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { startBenchStack } from "../support/stack.ts";

// BENCH_OFFSET: the stack's port offset (default 750), for machines where that one is taken.
const offset = Number(process.env.BENCH_OFFSET ?? 750);
const samples = Number(process.env.BENCH_DECISIONS ?? 300);
const sizes = [100, 10_000] as const;
const bulkSamples = Number(process.env.BENCH_BULK ?? 15);
const bulkSize = 2_000;

const versionIds = new Map<number, string>();

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
  versionIds.set(size, version!.id);
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

    // One decision on 2,000 of the 10,000 attributes, alternating approved and rejected so every call changes them all.
    const largeVersion = versionIds.get(sizes[1])!;
    const chosen = attributes[1]!.filter((_, i) => i % 5 === 0).slice(0, bulkSize);
    const bulkTimings: number[] = [];
    const sqlTimings: number[] = [];
    let timedOut = 0;
    let countersChecked = 0;
    const [{ id: testerId }] = await sql<
      [{ id: string }]
    >`select id from public.profiles where email = 'tester@example.com'`;
    const claims = JSON.stringify({ sub: testerId, role: "authenticated" });
    for (let i = 0; i < bulkSamples + 2; i++) {
      const args = {
        p_version_id: largeVersion,
        p_item_table: "public.planning_attributes",
        p_item_ids: chosen,
        p_side: "tester",
        p_decision: i % 2 === 0 ? "approved" : "rejected",
        p_notes: `bulk ${i}`,
      };
      const started = performance.now();
      const { data, error } = await tester.rpc("decide_items", args);
      const elapsed = performance.now() - started;
      if (error?.code === "57014") {
        // Past the API's statement timeout (8 s for authenticated): the same call as the tester in SQL, with its
        // commit, says how long the database needs.
        timedOut++;
        const direct = performance.now();
        await sql.begin(async (tx) => {
          await tx`select set_config('request.jwt.claims', ${claims}, true), set_config('role', 'authenticated', true)`;
          await tx`select public.decide_items(${args.p_version_id}, ${args.p_item_table}, ${args.p_item_ids}, ${args.p_side}, ${args.p_decision}, ${args.p_notes})`;
        });
        if (i >= 2) sqlTimings.push(performance.now() - direct);
      } else {
        if (error) throw new Error(error.message);
        if (data !== chosen.length) throw new Error(`decide_items decided ${data} of ${chosen.length}`);
        if (i >= 2) bulkTimings.push(elapsed); // two warm-up calls
      }
      const [counted] = await sql<{ stored: string; recount: string }[]>`
        select (v.item_count, v.tester_decided_count, v.approved_count, v.rejected_count, v.pending_count)::text as stored,
               (select (count(*), count(a.tester_decision), count(*) filter (where a.item_status = 'approved'),
                        count(*) filter (where a.item_status = 'rejected'), count(*) filter (where a.item_status = 'pending'))::text
                  from public.planning_attributes a where a.version_id = v.id) as recount
          from public.artifact_versions v where v.id = ${largeVersion}`;
      if (counted!.stored !== counted!.recount)
        throw new Error(`counters ${counted!.stored} differ from the recount ${counted!.recount}`);
      countersChecked++;
    }
    const bulk = bulkTimings.length ? median(bulkTimings) : NaN;

    console.log(`one tester decision through the REST API (supabase-js PATCH), ${samples} decisions per version`);
    console.log(`version of ${sizes[0].toLocaleString("en")} attributes:    median ${small.toFixed(2)} ms`);
    console.log(`version of ${sizes[1].toLocaleString("en")} attributes: median ${large.toFixed(2)} ms`);
    console.log(`ratio ${(large / small).toFixed(2)} (goal: at most 1.5)`);
    console.log(
      `one bulk decision (rpc decide_items) on ${bulkSize.toLocaleString("en")} of ${sizes[1].toLocaleString("en")} attributes, ${bulkSamples} calls through the API: median ${Number.isNaN(bulk) ? "—" : bulk.toFixed(0)} ms (goal: under 1,000 ms)`,
    );
    if (timedOut) {
      console.log(
        `${timedOut} of ${bulkSamples + 2} bulk calls ran past the API's statement timeout; as the tester in SQL: median ${sqlTimings.length ? median(sqlTimings).toFixed(0) : "—"} ms`,
      );
    }
    console.log(`version counters equal a recount after each of ${countersChecked} bulk decisions`);
    await sql.end();
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
