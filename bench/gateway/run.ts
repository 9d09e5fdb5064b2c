// Latency the gateway adds: a filtered select through supabase-js and the gateway, against the same SQL run
// directly with a Postgres driver, 50 concurrent clients each, in one run. The gateway runs in its own
// process (as in `npm start`) so the clients' CPU does not count against it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { repoRoot, testStack } from "../../devstack/config.ts";

const offset = 700;
const concurrency = 50;
const requestsPerClient = Number(process.env.BENCH_REQUESTS_PER_CLIENT ?? 60);
const envFile = path.join(`${testStack.dataDir}-${offset}`, "env");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, once: (i: number) => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const run = async (perClient: number) => {
    const samples: number[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async (_, client) => {
        for (let i = 0; i < perClient; i++) {
          const started = performance.now();
          await once(client * perClient + i);
          samples.push(performance.now() - started);
        }
      }),
    );
    return samples.sort((a, b) => a - b);
  };
  await run(5); // warm connections and caches
  const samples = await run(requestsPerClient);
  const result = { median: percentile(samples, 50), p95: percentile(samples, 95) };
  console.log(
    `${label.padEnd(22)} median ${result.median.toFixed(2)} ms   p95 ${result.p95.toFixed(2)} ms   (${samples.length} requests)`,
  );
  return result;
}

async function main(): Promise<void> {
  fs.rmSync(envFile, { force: true });
  const stack = spawn(
    path.join(repoRoot, "node_modules", ".bin", "tsx"),
    ["devstack/cli.ts", "up", "--offset", String(offset), "--no-app", "--no-statement-log"],
    {
      cwd: repoRoot,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  try {
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(envFile)) {
      if (stack.exitCode !== null || Date.now() > deadline) throw new Error("the benchmark stack did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    const env = Object.fromEntries(
      fs
        .readFileSync(envFile, "utf8")
        .trim()
        .split("\n")
        .map((l) =>
          l
            .replace(/^export /, "")
            .split(/=(.*)/s)
            .slice(0, 2),
        ),
    ) as Record<string, string>;

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

    console.log(`filtered select (10 of 50,000 rows by an indexed column), ${concurrency} concurrent clients`);
    const direct = await measure(
      "direct SQL (postgres)",
      (i) => sql`select id, name, amount from public.bench_items where category = ${i % 500} order by id limit 10`,
    );
    const gateway = await measure("supabase-js → gateway", async (i) => {
      const { error } = await supabase
        .from("bench_items")
        .select("id,name,amount")
        .eq("category", i % 500)
        .order("id")
        .limit(10);
      if (error) throw new Error(error.message);
    });
    console.log(
      `gateway adds: median ${(gateway.median - direct.median).toFixed(2)} ms, p95 ${(gateway.p95 - direct.p95).toFixed(2)} ms (goal: at most 2 ms at the median)`,
    );
    await sql.end();
  } finally {
    stack.kill("SIGTERM");
    await new Promise((r) => stack.once("exit", r));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
