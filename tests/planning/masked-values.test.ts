// No value of a masked column leaves the database: a data source's measured values (min, max, examples) are
// neither in planning_data_sources over REST nor in the audit log; data_source_schema gives them back only for
// the columns the current classification allows (decided when read: classifying a column after the upload
// withholds its values at once); and a rule's error result names the SQLSTATE, the rule and the column, never a
// value. Everything is read through supabase-js as the tester and the report owner.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobWorker } from "../../supabase/functions/_shared/jobs/worker.ts";
import { asService } from "../../supabase/functions/_shared/jobs/queue.ts";
import { loadSources } from "../../supabase/functions/_shared/generation/load.ts";
import { profilingHandler } from "../../supabase/functions/profiling/execution.ts";
import { createFixture, queueJob, jobState, waitFor } from "../profiling/fixture.ts";
import { db, draftPlanningVersion, signIn, type SignedIn, upload } from "./support.ts";

const SSNS = ["123-45-6789", "987-65-4321", "555-12-3456"];
const EMAILS = ["ada@example.com", "grace@example.org", "alan@example.net"];
const CSV = `id,ssn,email,amount\n1,${SSNS[0]},${EMAILS[0]},10\n2,${SSNS[1]},${EMAILS[1]},20\n3,${SSNS[2]},${EMAILS[2]},30\n`;

let tester: SignedIn;
let owner: SignedIn;
let versionId: string;
let sourceId: string;

interface Column {
  name: string;
  min?: string | null;
  max?: string | null;
  examples?: string[];
  masked?: boolean;
}

const column = (schema: unknown, name: string) =>
  (schema as { columns: Column[] }).columns.find((c) => c.name === name)!;

async function schemaAs(who: SignedIn): Promise<unknown> {
  const { data, error } = await who.client.rpc("data_source_schema", { p_data_source_id: sourceId });
  expect(error).toBeNull();
  return data;
}

beforeAll(async () => {
  [tester, owner] = await Promise.all([signIn("tester@example.com"), signIn("owner@example.com")]);
  ({ versionId } = await draftPlanningVersion(tester, "masked values"));
  const { status, body } = await upload(tester.token, versionId, "People", CSV);
  expect(status).toBe(201);
  sourceId = body.id as string;
});

afterAll(async () => {
  await db.end();
});

describe("a data source's measured values", () => {
  it("are not in planning_data_sources over REST, for the tester or the owner", async () => {
    for (const who of [tester, owner]) {
      const { data, error } = await who.client
        .from("planning_data_sources")
        .select("schema")
        .eq("id", sourceId)
        .single();
      expect(error).toBeNull();
      const text = JSON.stringify(data);
      expect(text).toContain('"ssn"');
      for (const value of [...SSNS, ...EMAILS]) expect(text).not.toContain(value);
      for (const c of (data!.schema as { columns: Column[] }).columns) {
        expect(Object.keys(c)).not.toContain("examples");
        expect(Object.keys(c)).not.toContain("min");
        expect(Object.keys(c)).not.toContain("max");
      }
    }
  });

  it("are not copied into the audit log", async () => {
    const rows = await db<{ values: string }[]>`
      select coalesce(old_values::text, '') || coalesce(new_values::text, '') as values
        from public.audit_log where table_name = 'public.planning_data_sources' and row_id = ${sourceId}`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) for (const value of [...SSNS, ...EMAILS]) expect(row.values).not.toContain(value);
  });

  it("are kept where no API role but the service_role reads them", async () => {
    for (const who of [tester, owner]) {
      const { error } = await who.client
        .schema("private" as never)
        .from("planning_data_source_values")
        .select("*");
      expect(error).not.toBeNull();
    }
  });

  it("are given back by data_source_schema while the columns are unclassified", async () => {
    for (const who of [tester, owner]) {
      const schema = await schemaAs(who);
      expect([...column(schema, "ssn").examples!].sort()).toEqual([...SSNS].sort());
      expect(column(schema, "amount")).toMatchObject({ min: "10", max: "30" });
      expect(column(schema, "ssn").masked).toBeUndefined();
    }
  });

  it("are withheld as soon as planning classifies the column restricted or a mapping flags personal data", async () => {
    const { data: attributes, error } = await tester.client
      .from("planning_attributes")
      .insert([
        {
          version_id: versionId,
          name: "SSN",
          data_type: "string",
          information_security_classification: "restricted",
          data_source_id: sourceId,
          source_column: "ssn",
        },
        {
          version_id: versionId,
          name: "Email",
          data_type: "string",
          information_security_classification: "internal",
          data_source_id: sourceId,
          source_column: "email",
        },
      ])
      .select("id, name");
    expect(error).toBeNull();
    const email = attributes!.find((a) => a.name === "Email")!;
    const mapped = await tester.client.from("planning_pde_mappings").insert({
      version_id: versionId,
      attribute_id: email.id,
      pde_name: "Contact email",
      pde_code: "EMAIL_1",
      classification: { information_security: "internal", pii_flag: true },
    });
    expect(mapped.error).toBeNull();

    for (const who of [tester, owner]) {
      const schema = await schemaAs(who);
      const text = JSON.stringify(schema);
      for (const value of [...SSNS, ...EMAILS]) expect(text).not.toContain(value);
      expect(column(schema, "ssn")).toMatchObject({ masked: true, min: null, max: null, examples: [] });
      expect(column(schema, "email")).toMatchObject({ masked: true, examples: [] });
      expect(column(schema, "amount")).toMatchObject({ min: "10", max: "30" });
    }
  });

  it("are read whole by the generation function as the service_role, whose privacy rules then apply", async () => {
    const sources = await asService(db, (tx) => loadSources(tx, versionId));
    const schema = sources.get(sourceId)!.schema;
    expect([...column(schema, "ssn").examples!].sort()).toEqual([...SSNS].sort());
  });

  it("are refused to someone who cannot read the source", async () => {
    const other = await signIn("tester2@example.com");
    const { error } = await other.client.rpc("data_source_schema", { p_data_source_id: sourceId });
    expect(error).toMatchObject({ code: "PT404", details: "data_source_not_found" });
  });
});

describe("a rule's error result", () => {
  it("names the SQLSTATE, the rule and the column, never a value, for the tester and the owner", async () => {
    const sql = db;
    const fixture = await createFixture(sql, {
      columns: [
        { name: "id", pgType: "integer" },
        { name: "ssn", pgType: "text", classification: "restricted" },
      ],
      fill: `insert into {table} (id, ssn) values ${SSNS.map((s, i) => `(${i + 1}, '${s}')`).join(", ")}`,
      rules: [
        {
          name: "ssn is a number",
          column: "ssn",
          ruleType: "validity",
          definition: {
            kind: "expression",
            expression: { op: ">", args: [{ cast: "bigint", args: [{ column: "ssn" }] }, { number: "0" }] },
          },
        },
        { name: "id present", column: "id", ruleType: "completeness", definition: { kind: "not_null", column: "id" } },
      ],
    });
    const lane = `profiling.execute.test-masked-${randomBytes(4).toString("hex")}`;
    const worker = new JobWorker(sql, {
      handlers: { [lane]: profilingHandler(sql) },
      name: "masked-values",
      leaseSeconds: 5,
      pollIntervalMs: 100,
      log: () => {},
    });
    worker.start();
    try {
      const jobId = await queueJob(sql, fixture, lane);
      await waitFor(
        () => jobState(sql, jobId),
        (j) => j.status === "completed",
      );
      for (const email of [fixture.testerEmail, fixture.ownerEmail]) {
        const who = await signIn(email);
        const { data, error } = await who.client
          .from("profiling_rule_results")
          .select("rule_id, status, error")
          .eq("execution_id", jobId);
        expect(error).toBeNull();
        const failed = data!.find((r) => r.rule_id === fixture.ruleIds["ssn is a number"])!;
        expect(failed.status).toBe("error");
        expect(failed.error).toBe(
          `The rule failed with SQLSTATE 22P02 invalid_text_representation (rule ${fixture.ruleIds["ssn is a number"]} on column ssn).`,
        );
        for (const value of SSNS) expect(JSON.stringify(data)).not.toContain(value);
        expect(data!.find((r) => r.rule_id === fixture.ruleIds["id present"])!.status).toBe("completed");
      }
    } finally {
      await worker.stop();
    }
  });
});
