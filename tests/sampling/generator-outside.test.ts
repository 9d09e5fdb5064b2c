// Generator version 2 re-performed outside the database: a TypeScript implementation of the documented rank
// (supabase/functions/_shared/sampling/rank.ts) gives PostgreSQL's hashtextextended for keys of every length from 0
// to 40 bytes (ASCII and multi-byte UTF-8) and many seeds, the known answer of pgTAP file 75, and the same samples
// and key hash as run_sample_selection on a population of the database (snapshot version 2: the seed-independent
// sum of hashtextextended(key, 0); version 1: the sum of the ranks).
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  hashBytesExtended,
  keyFingerprint,
  keyHash,
  rank,
  seed64,
  simpleRandom,
} from "../../supabase/functions/_shared/sampling/rank.ts";
import { signIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createSamplingFixture } from "../support/sampling-fixture.ts";

const sql = connect();

afterAll(async () => {
  await sql.end();
});

describe("generator version 2 outside the database", () => {
  it("computes hashtextextended(key, seed64) as PostgreSQL does", async () => {
    const alphabet = "abcXYZ019-_ é€漢";
    const keys = Array.from({ length: 400 }, (_, i) =>
      Array.from({ length: i % 41 }, (_, j) => alphabet[(i * 7 + j * 13) % alphabet.length]).join(""),
    );
    const seeds = ["kat", "examiner", randomBytes(16).toString("hex"), ""].concat(
      Array.from({ length: 6 }, () => randomBytes(8).toString("base64")),
    );
    const pairs = keys.map((key, i) => ({ key, seed: seeds[i % seeds.length]! }));
    const rows = await sql<{ i: number; r: string; s: string }[]>`
      select (x.o - 1)::int as i,
             hashtextextended((x.p ->> 'key') collate "C", private.sample_seed64(x.p ->> 'seed'))::text as r,
             private.sample_seed64(x.p ->> 'seed')::text as s
        from jsonb_array_elements(${sql.json(pairs)}) with ordinality as x(p, o)`;
    for (const row of rows) {
      expect(seed64(pairs[row.i]!.seed).toString()).toBe(row.s);
      expect(rank(pairs[row.i]!.key, pairs[row.i]!.seed).toString(), JSON.stringify(pairs[row.i])).toBe(row.r);
    }
  });

  it("gives the known answers the database checks before every draw", () => {
    expect(hashBytesExtended(new TextEncoder().encode("regtest-sampling/2"), 1n)).toBe(-2327681769591252302n);
    const keys = Array.from({ length: 20 }, (_, i) => `K${String(i + 1).padStart(2, "0")}`);
    expect(simpleRandom(keys, 5, "kat")).toEqual(["K13", "K17", "K02", "K18", "K16"]);
    expect(rank("K01", "kat")).toBe(1209192892653304119n);
  });

  it("re-performs a selection of the database: the same samples and key hash", async () => {
    const f = await createSamplingFixture(sql, { rows: 3000 });
    const tester = await signIn(f.testerEmail);
    const created = await tester.client.rpc("create_version", { p_phase_id: f.phaseId });
    expect(created.error).toBeNull();
    const run = await tester.client.rpc("run_sample_selection", {
      p_version_id: created.data.id,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "calculator", confidence: 0.95, tolerable_rate: 0.05, expected_deviations: 0 },
      p_amount_column: "amount",
      p_seed: "outside",
    });
    expect(run.error).toBeNull();
    const keys = (await sql<{ loan_id: string }[]>`select loan_id from ${sql("source_data." + f.table)}`).map(
      (r) => r.loan_id,
    );
    expect(run.data.generator_version).toBe("regtest-sampling/2 hashtextextended");
    expect(run.data.drawn_keys).toEqual(simpleRandom(keys, 59, "outside"));
    expect(run.data.snapshot_version).toBe("regtest-snapshot/2 kept statistics");
    expect(run.data.population_key_hash).toBe(keyFingerprint(keys));
    const v1 = await tester.client.rpc("run_sample_selection", {
      p_version_id: created.data.id,
      p_data_source_id: f.dataSourceId,
      p_key_column: "loan_id",
      p_method: "simple_random",
      p_size: { basis: "calculator", confidence: 0.95, tolerable_rate: 0.05, expected_deviations: 0 },
      p_parameters: { snapshot: "regtest-snapshot/1 counted in the draw" },
      p_amount_column: "amount",
      p_seed: "outside",
    });
    expect(v1.error).toBeNull();
    expect(v1.data.drawn_keys).toEqual(run.data.drawn_keys);
    expect(v1.data.population_key_hash).toBe(keyHash(keys, "outside"));
  });
});
