// Kept population statistics across committed transactions (decision 036): the first draw from a population counts
// its statistics and later draws reuse them; an operator's change committed in its own transaction (a row updated, a
// trigger disabled while a row changes and enabled again) is seen by the next re-performance; a change that was not
// yet committed when a draw ran is not in that draw, and is seen once it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createSamplingFixture, type SamplingFixture } from "../support/sampling-fixture.ts";

const sql = connect();
let f: SamplingFixture;
let tester: Awaited<ReturnType<typeof signIn>>;
let versionId: string;

async function draw(seed: string) {
  const run = await tester.client.rpc("run_sample_selection", {
    p_version_id: versionId,
    p_data_source_id: f.dataSourceId,
    p_key_column: "loan_id",
    p_method: "simple_random",
    p_size: { basis: "tester_set", size: 10, reason: "kept statistics" },
    p_amount_column: "amount",
    p_seed: seed,
  });
  expect(run.error).toBeNull();
  return run.data as { snapshot_version: string; snapshot_computed_at: string; population_amount_sum: number };
}

async function reperform() {
  const result = await tester.client.rpc("reperform_sample_selection", { p_version_id: versionId });
  expect(result.error).toBeNull();
  return result.data as {
    verdict: string;
    population: { changed: string[]; current: { statistics: string; computed_at: string } };
  };
}

beforeAll(async () => {
  f = await createSamplingFixture(sql, { rows: 2000 });
  tester = await signIn(f.testerEmail);
  const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
  expect(created.error).toBeNull();
  versionId = created.data.id;
});

afterAll(async () => {
  await sql.end();
});

describe("kept population statistics", () => {
  it("are counted by the first draw and reused by the next", async () => {
    const first = await draw("first");
    expect(first.snapshot_version).toBe("regtest-snapshot/2 kept statistics");
    const second = await draw("second");
    expect(second.snapshot_computed_at).toBe(first.snapshot_computed_at);
    const result = await reperform();
    expect(result.verdict).toBe("identical");
    expect(result.population.current.statistics).toBe("kept");
  });

  it("are counted again after an operator's committed update, which re-performance then reports", async () => {
    await sql.unsafe(`update source_data.${f.table} set amount = amount + 1 where loan_id = 'L00007'`);
    const result = await reperform();
    expect(result.population.changed).toEqual(["amount_sum"]);
    expect(result.population.current.statistics).toBe("counted");
    await sql.unsafe(`update source_data.${f.table} set amount = amount - 1 where loan_id = 'L00007'`);
    expect((await reperform()).verdict).toBe("identical");
  });

  it("are not trusted after the trigger was disabled and enabled again in transactions of their own", async () => {
    await sql.unsafe(`alter table source_data.${f.table} disable trigger population_statistics_invalidate`);
    await sql.unsafe(`update source_data.${f.table} set amount = amount + 5 where loan_id = 'L00011'`);
    await sql.unsafe(`alter table source_data.${f.table} enable always trigger population_statistics_invalidate`);
    expect((await reperform()).population.changed).toEqual(["amount_sum"]);
    await sql.unsafe(`update source_data.${f.table} set amount = amount - 5 where loan_id = 'L00011'`);
    expect((await reperform()).verdict).toBe("identical");
  });

  it("leave out a change not yet committed when the draw ran, and see it once it is", async () => {
    const writer = connect(1);
    try {
      const reserved = await writer.reserve();
      await reserved.unsafe("begin");
      await reserved.unsafe(`update source_data.${f.table} set amount = amount + 100 where loan_id = 'L00003'`);
      const drawn = await draw("during");
      expect(drawn.population_amount_sum).toBe(
        Number((await sql.unsafe(`select sum(amount) as s from source_data.${f.table}`))[0]!.s),
      );
      await reserved.unsafe("commit");
      reserved.release();
      const result = await reperform();
      expect(result.verdict).toBe("different");
      expect(result.population.changed).toEqual(["amount_sum"]);
    } finally {
      await writer.end();
    }
  });
});
