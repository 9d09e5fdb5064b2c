// Latency the gateway adds: a filtered select through supabase-js and the gateway, against the same SQL run
// directly with a Postgres driver, 50 concurrent clients each, in one run. The gateway runs in its own
// process (as in `npm start`); the clients of both sides run in this one.
//
// Two loads: paced (each client sends a request every BENCH_INTERVAL_MS, below what the machine can serve,
// so latency is the time a request takes) and saturated (each client sends its next request as soon as the
// last is answered, so latency is mostly queueing and follows the CPU each request costs). CPU time per
// request of the clients, the gateway and PostgreSQL is read from /proc.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { type BenchStack, startBenchStack } from "../support/stack.ts";

const offset = 700;
const concurrency = 50;
const requestsPerClient = Number(process.env.BENCH_REQUESTS_PER_CLIENT ?? 100);
const intervalMs = Number(process.env.BENCH_INTERVAL_MS ?? 100);

interface Result {
  median: number;
  p95: number;
  perSecond: number;
  cpu: { client: number; gateway: number; postgres: number } | null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU seconds used so far by each process, from /proc (null where there is no /proc). */
function cpuSeconds(): Map<number, number> | null {
  if (!fs.existsSync("/proc/self/stat")) return null;
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

function parentOf(pid: number): number | null {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return null;
  }
}

function descendantOf(pid: number, ancestor: number): boolean {
  for (let p: number | null = pid; p !== null && p > 1; p = parentOf(p)) if (p === ancestor) return true;
  return false;
}

/** CPU seconds of the stack process tree (the gateway) and of PostgreSQL (the postmaster's children). */
function serverCpu(stack: BenchStack): { gateway: number; postgres: number } | null {
  const ticks = cpuSeconds();
  if (!ticks) return null;
  const postmaster = Number(
    fs.readFileSync(path.join(stack.dataDir, "pgdata", "postmaster.pid"), "utf8").split("\n")[0],
  );
  let gateway = 0;
  let pg = 0;
  for (const [pid, seconds] of ticks) {
    if (parentOf(pid) === postmaster) pg += seconds;
    else if (descendantOf(pid, stack.pid)) gateway += seconds;
  }
  return { gateway, postgres: pg };
}

async function measure(
  once: (i: number) => Promise<unknown>,
  perClient: number,
  paced: boolean,
  stack: BenchStack,
): Promise<Result> {
  const samples: number[] = [];
  const serverBefore = serverCpu(stack);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      // Paced clients start spread over one interval and keep their schedule; a late request counts from
      // when it should have been sent.
      let due = started + (paced ? (client * intervalMs) / concurrency : 0);
      for (let i = 0; i < perClient; i++) {
        if (paced) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const sent = paced ? due : performance.now();
        await once(client * perClient + i);
        samples.push(performance.now() - sent);
        due += intervalMs;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverAfter = serverCpu(stack);
  samples.sort((a, b) => a - b);
  const perRequest = (s: number) => (s * 1e6) / samples.length;
  return {
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    perSecond: samples.length / seconds,
    cpu:
      serverBefore && serverAfter
        ? {
            client: (client.user + client.system) / samples.length,
            gateway: perRequest(serverAfter.gateway - serverBefore.gateway),
            postgres: perRequest(serverAfter.postgres - serverBefore.postgres),
          }
        : null,
  };
}

function report(direct: Result, gateway: Result): void {
  const line = (label: string, r: Result) =>
    console.log(
      `  ${label.padEnd(22)} median ${r.median.toFixed(2).padStart(6)} ms   p95 ${r.p95.toFixed(2).padStart(6)} ms   ` +
        `${r.perSecond.toFixed(0).padStart(5)} requests/s` +
        (r.cpu
          ? `   CPU µs/request: clients ${r.cpu.client.toFixed(0)}, gateway ${r.cpu.gateway.toFixed(0)}, postgres ${r.cpu.postgres.toFixed(0)}`
          : ""),
    );
  line("direct SQL (postgres)", direct);
  line("supabase-js → gateway", gateway);
  console.log(
    `  gateway adds: median ${(gateway.median - direct.median).toFixed(2)} ms, p95 ${(gateway.p95 - direct.p95).toFixed(2)} ms`,
  );
}

async function main(): Promise<void> {
  const stack = await startBenchStack(offset);
  try {
    const { env } = stack;

    const sql = postgres(env.SUPABASE_DB_URL!, { max: concurrency });
    await sql`create table public.bench_items (id bigint primary key, category int not null, name text not null, amount numeric not null)`;
    await sql`insert into public.bench_items select i, i % 500, 'item ' || i, i * 1.5 from generate_series(1, 50000) i`;
    await sql`create index on public.bench_items (category)`;
    await sql`analyze public.bench_items`;
    await sql`notify pgrst, 'reload schema'`;

    const supabase = createClient(env.SUPABASE_URL!, env.SUPABASE_SERVICE_ROLE_KEY!, {
      auth: { persistSession: false },
    });
    for (let tries = 0; ; tries++) {
      const { error } = await supabase.from("bench_items").select("id").limit(1);
      if (!error) break;
      if (tries > 100) throw new Error(`the API does not see the benchmark table: ${error.message}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const direct = (i: number) =>
      sql`select id, name, amount from public.bench_items where category = ${i % 500} order by id limit 10`;
    const gateway = async (i: number) => {
      const { error } = await supabase
        .from("bench_items")
        .select("id,name,amount")
        .eq("category", i % 500)
        .order("id")
        .limit(10);
      if (error) throw new Error(error.message);
    };
    // Warm connections, prepared statements and the JIT on both sides.
    for (const once of [direct, gateway]) await measure(once, 20, false, stack);

    console.log(
      `filtered select (10 of 50,000 rows by an indexed column), ${concurrency} concurrent clients, ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    console.log(
      `paced: each client sends a request every ${intervalMs} ms (${((concurrency * 1000) / intervalMs).toFixed(0)} requests/s in all); latency from the scheduled send`,
    );
    report(
      await measure(direct, requestsPerClient, true, stack),
      await measure(gateway, requestsPerClient, true, stack),
    );
    console.log("saturated: each client sends its next request as soon as the last is answered");
    report(
      await measure(direct, requestsPerClient, false, stack),
      await measure(gateway, requestsPerClient, false, stack),
    );
    console.log(`goal: the gateway adds at most 2 ms at the median; load average now ${os.loadavg()[0]!.toFixed(2)}`);
    await sql.end();
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
