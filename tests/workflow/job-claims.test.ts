// Two workers claiming from the queue at the same time, each through its own client and connection, never
// receive the same job (`claim_job` locks with `for update skip locked`).
import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { db, serviceClient, type Client } from "./support/fixtures";

// A job type of this file only, so no other worker or test claims these jobs.
const jobType = `test-claim-${randomUUID()}`;
const jobCount = 60;

afterAll(async () => {
  await db.end();
});

async function drain(client: Client, worker: string): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const { data, error } = await client.rpc("claim_job", {
      p_job_types: [jobType],
      p_worker: worker,
      p_lease_seconds: 60,
    });
    if (error) throw error;
    const job = data?.[0];
    if (!job) return claimed;
    claimed.push(job.id);
    const done = await client.rpc("complete_job", { p_job_id: job.id, p_worker: worker });
    if (done.error) throw done.error;
  }
}

it("two concurrent claimers share the jobs without ever receiving the same one", async () => {
  const service = serviceClient();
  const { data: jobs, error } = await service
    .from("background_jobs")
    .insert(Array.from({ length: jobCount }, (_, n) => ({ job_type: jobType, metadata: { n } })))
    .select("id");
  if (error) throw error;

  const [first, second] = await Promise.all([drain(serviceClient(), "worker-a"), drain(serviceClient(), "worker-b")]);

  const overlap = first.filter((id) => second.includes(id));
  expect(overlap).toEqual([]);
  expect([...first, ...second].sort()).toEqual(jobs.map((job) => job.id).sort());
  // Both really ran side by side rather than one after the other.
  expect(first.length).toBeGreaterThan(0);
  expect(second.length).toBeGreaterThan(0);

  const rows = await db<{ status: string; attempts: number; lease_owner: string | null }[]>`
    select status, attempts, lease_owner from public.background_jobs where job_type = ${jobType}`;
  expect(rows.every((row) => row.status === "completed" && row.attempts === 1)).toBe(true);
});
