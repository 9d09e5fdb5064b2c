// The data-source kind of response, through supabase-js and the real planning-sources function: the data provider
// uploads a CSV as the answer to a data request's item, the tester accepts it, and data profiling runs the
// attribute's rules on that upload rather than on the planning source (whose values differ, so the results tell).
import { randomBytes } from "node:crypto";
import { FunctionsHttpError } from "@supabase/supabase-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createDataRequestCycleReport, type DataRequestFixture } from "../support/request-fixture.ts";
import { requiredEnv } from "../support/env.ts";
import { waitFor } from "../support/wait.ts";

const db = connect();
let f: DataRequestFixture;
let tester: SignedIn;
let owner: SignedIn;
let provider: SignedIn;
let provider2: SignedIn;
let requestIds: Record<string, number>;
let responseId: number;
let sourceId: string;

// The planning source holds two rows for Amount (column c0); the provider's extract holds four, one of them empty.
const extract = "c0,c1,branch\n100.00,1.5,North\n,2.0,South\n250.50,1.1,East\n75.25,0.9,West\n";

beforeAll(async () => {
  f = await createDataRequestCycleReport(db, {
    testerEmail: "tester@example.com",
    ownerEmail: "owner@example.com",
    attributes: ["Amount", "Rate"],
  });
  await db.unsafe(`insert into source_data.upload_req${f.suffix} (c0, c1) values ('1', '2'), ('3', '4')`);
  [tester, owner, provider, provider2] = await Promise.all([
    signIn("tester@example.com"),
    signIn("owner@example.com"),
    signIn("provider@example.com"),
    signIn("provider2@example.com"),
  ]);
  const { data, error } = await tester.client.rpc("create_requests", {
    p_phase_id: Number(f.phases.data_request),
    p_items: Object.values(f.attributes).map((id) => ({ attribute_id: id })),
    p_assignee_id: provider.userId,
    p_due_date: "2030-02-01",
    p_title: "Source data",
    p_instructions: "An extract of the loan tape.",
    p_one_request_per_item: true,
  });
  if (error) throw new Error(error.message);
  requestIds = Object.fromEntries((data as { id: number; title: string }[]).map((r) => [r.title.slice(13), r.id]));
  for (const id of Object.values(requestIds)) {
    const sent = await tester.client.rpc("send_request", { p_request_id: id });
    if (sent.error) throw new Error(sent.error.message);
  }
});

// A database the provider points a response at: a second database of the test cluster, read by its own login.
const suffix = randomBytes(4).toString("hex");
const external = { database: `req_ext_${suffix}`, user: `req_reader_${suffix}`, password: `pw-${suffix}x` };

afterAll(async () => {
  await db.unsafe(`drop database if exists ${external.database} with (force)`);
  await db.unsafe(`drop role if exists ${external.user}`);
  await db.end();
});

/** Uploads a CSV as a response's data source through supabase-js's functions client. */
async function uploadAsResponse(who: SignedIn, response: number, name: string, csv: string, item?: number) {
  const query = new URLSearchParams({ name, ...(item ? { item: String(item) } : {}) });
  const { data, error } = await who.client.functions.invoke(`planning-sources/responses/${response}/uploads?${query}`, {
    body: csv,
    headers: { "Content-Type": "text/csv" },
  });
  if (error instanceof FunctionsHttpError) {
    const answer = error.context as Response;
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  }
  if (error) throw error;
  return { status: 201, body: data as Record<string, unknown> };
}

async function uploadTableCount(): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from pg_tables where schemaname = 'source_data' and tablename like 'upload_%'`;
  return row!.n;
}

describe("a CSV as the response to a data request", () => {
  it("is uploaded by the assignee through the function and recorded for the request's item", async () => {
    const response = await provider.client
      .from("request_responses")
      .insert({ request_id: requestIds.Amount, body: "The extract of the loan tape." })
      .select("id")
      .single();
    expect(response.error).toBeNull();
    responseId = response.data!.id as number;

    const { status, body } = await uploadAsResponse(provider, responseId, "Loan tape extract", extract);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      response_id: responseId,
      request_id: requestIds.Amount,
      attribute_name: "Amount",
      name: "Loan tape extract",
      source_type: "file_upload",
      status: "ready",
      row_count: 4,
    });
    sourceId = body.id as string;
    const columns = (body.schema as { columns: Record<string, unknown>[] }).columns;
    expect(columns.map((c) => c.name)).toEqual(["c0", "c1", "branch"]);
    for (const c of columns) expect(Object.keys(c)).not.toContain("examples");
    const rows = await db.unsafe(`select c0 from source_data.${body.table_name as string} order by c1`);
    expect(rows.map((r) => r.c0)).toEqual(["75.25", "250.50", "100.00", null]);
  });

  it("is shown to the provider and the report's tester and owner, never to another provider", async () => {
    for (const who of [provider, tester, owner]) {
      const { data, error } = await who.client
        .from("request_data_sources")
        .select("id, name, row_count, schema, accepted_at")
        .eq("request_id", requestIds.Amount!);
      expect(error).toBeNull();
      expect(data).toEqual([expect.objectContaining({ id: sourceId, row_count: 4, accepted_at: null })]);
    }
    const { data } = await provider2.client.from("request_data_sources").select("id");
    expect(data).toEqual([]);
  });

  it("refuses anyone but the response's author, leaving no table behind", async () => {
    const before = await uploadTableCount();
    const stranger = await uploadAsResponse(provider2, responseId, "Other", extract);
    expect(stranger).toMatchObject({ status: 404, body: { code: "response_not_found" } });
    const byTester = await uploadAsResponse(tester, responseId, "Other", extract);
    expect(byTester).toMatchObject({ status: 403, body: { code: "respond_requires_assignee" } });
    expect(await uploadTableCount()).toBe(before);
  });

  it("refuses an item of another request and a bad file with their reasons, leaving nothing behind", async () => {
    const before = await uploadTableCount();
    const [item] = await db<
      { id: number }[]
    >`select id from public.request_items where request_id = ${requestIds.Rate!}`;
    const other = await uploadAsResponse(provider, responseId, "Other", extract, Number(item!.id));
    expect(other).toMatchObject({ status: 400, body: { code: "item_not_in_request" } });
    const ragged = await uploadAsResponse(provider, responseId, "Ragged", "c0,c1\n1,2\n3\n");
    expect(ragged).toMatchObject({ status: 400, body: { code: "ragged_row", line: 3 } });
    expect(await uploadTableCount()).toBe(before);
    const [{ n }] =
      (await db`select count(*)::int as n from public.request_data_sources where request_id = ${requestIds.Amount!}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(1);
  });

  it("is accepted with its request", async () => {
    const responded = await provider.client.rpc("respond_to_request", { p_request_id: requestIds.Amount });
    expect(responded.error).toBeNull();
    const accepted = await tester.client.rpc("accept_request", { p_request_id: requestIds.Amount });
    expect(accepted.error).toBeNull();
    const { data } = await tester.client
      .from("request_data_sources")
      .select("accepted_at, accepted_by")
      .eq("id", sourceId)
      .single();
    expect(data!.accepted_by).toBe(tester.userId);
    expect(data!.accepted_at).not.toBeNull();
  });
});

describe("a database table as the response to a data request", () => {
  const cluster = new URL(requiredEnv("SUPABASE_DB_URL"));
  const connection = (overrides: Record<string, unknown> = {}) => ({
    name: "Rates in core banking",
    host: cluster.hostname,
    port: Number(cluster.port),
    database: external.database,
    schema: "finance",
    table: "rates",
    user: external.user,
    password: external.password,
    ...overrides,
  });
  let rateResponse: number;
  let rateSource: string;

  beforeAll(async () => {
    await db.unsafe(`create database ${external.database}`);
    await db.unsafe(`create role ${external.user} login password '${external.password}'`);
    const url = new URL(requiredEnv("SUPABASE_DB_URL"));
    url.pathname = `/${external.database}`;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
    await sql.unsafe(`
      create schema finance;
      create table finance.rates (id bigint primary key, c1 numeric(6,3));
      insert into finance.rates select i, i / 10.0 from generate_series(1, 12) i;
      grant usage on schema finance to ${external.user};
      grant select on finance.rates to ${external.user};`);
    await sql.end();
    const response = await provider.client
      .from("request_responses")
      .insert({ request_id: requestIds.Rate, body: "Read it from our database." })
      .select("id")
      .single();
    if (response.error) throw new Error(response.error.message);
    rateResponse = response.data.id as number;
  });

  async function call(who: SignedIn, path: string, body?: Record<string, unknown>) {
    const { data, error } = await who.client.functions.invoke(`planning-sources${path}`, {
      method: "POST",
      ...(body === undefined ? {} : { body }),
    });
    if (error instanceof FunctionsHttpError) {
      const answer = error.context as Response;
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    }
    if (error) throw error;
    return { status: 200, body: data as Record<string, unknown> };
  }

  it("refuses a host outside the policy before anything is stored", async () => {
    const refused = await call(
      provider,
      `/responses/${rateResponse}/databases`,
      connection({ host: "169.254.169.254" }),
    );
    expect(refused).toMatchObject({ status: 422, body: { code: "host_not_allowed" } });
    const { data } = await provider.client.from("request_data_sources").select("id").eq("request_id", requestIds.Rate!);
    expect(data).toEqual([]);
  });

  it("is recorded untested, its password kept where nobody signed in reads it", async () => {
    const added = await call(provider, `/responses/${rateResponse}/databases`, connection());
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ source_type: "database", status: "pending", attribute_name: "Rate" });
    expect(JSON.stringify(added.body)).not.toContain(external.password);
    rateSource = added.body.id as string;
    const { data } = await tester.client.from("request_data_sources").select("*").eq("id", rateSource).single();
    expect(JSON.stringify(data)).not.toContain(external.password);
  });

  it("is tested by its provider only, which reads the table's columns and rows", async () => {
    const byStranger = await call(provider2, `/response-sources/${rateSource}/test`);
    expect(byStranger).toMatchObject({ status: 404, body: { code: "data_source_not_found" } });
    const byTester = await call(tester, `/response-sources/${rateSource}/test`);
    expect(byTester).toMatchObject({ status: 403, body: { code: "respond_requires_assignee" } });
    const tested = await call(provider, `/response-sources/${rateSource}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ status: "ready", row_count: 12 });
    const columns = (tested.body.schema as { columns: { name: string }[] }).columns.map((c) => c.name);
    expect(columns).toEqual(["id", "c1"]);
  });
});

describe("data profiling on the accepted source", () => {
  it("runs the attribute's rules on the provider's upload, and the other attribute's on planning's", async () => {
    const closed = await tester.client.rpc("close_request", {
      p_request_id: requestIds.Rate,
      p_reason: "Planning's source is enough for the rate.",
    });
    expect(closed.error).toBeNull();
    const versionId = await db.begin(async (tx) => {
      await tx`select tests.finish_activities(${f.phases.data_request!})`;
      await tx`select public.complete_phase(${f.phases.data_request!})`;
      await tx`select public.start_phase(${f.phases.data_profiling!})`;
      const [version] = await tx<{ id: string }[]>`select id from public.create_version(${f.phases.data_profiling!})`;
      await tx`
        insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
        values (${version!.id}, ${f.attributes.Amount!}, 'Amount given', 'completeness', ${tx.json({ kind: "not_null", column: "c0" })}, 'approved'),
               (${version!.id}, ${f.attributes.Rate!}, 'Rate given', 'completeness', ${tx.json({ kind: "not_null", column: "c1" })}, 'approved')`;
      await tx`select public.submit_version(${version!.id})`;
      await tx`update public.profiling_rules set report_owner_decision = 'approved' where version_id = ${version!.id}`;
      await tx`select public.approve_version(${version!.id})`;
      return version!.id;
    });

    const sources = await owner.client.rpc("profiling_attribute_sources", { p_version_id: versionId });
    expect(sources.error).toBeNull();
    expect(
      (sources.data as Record<string, unknown>[]).map((s) => [
        s.attribute_name,
        s.source_kind,
        s.source_name,
        s.row_count,
      ]),
    ).toEqual([
      ["Amount", "request", "Loan tape extract", 4],
      ["Rate", "planning", "Upload", 0],
    ]);

    const queued = await tester.client.rpc("request_profiling_execution", { p_version_id: versionId });
    expect(queued.error).toBeNull();
    const jobId = (queued.data as { id: string }).id;
    const job = await waitFor(
      async () => (await tester.client.from("background_jobs").select("status, error").eq("id", jobId).single()).data!,
      (j) => j.status === "completed" || j.status === "failed",
      60_000,
      250,
    );
    expect(job).toMatchObject({ status: "completed" });
    const { data: results } = await tester.client
      .from("profiling_rule_results")
      .select("status, total_count, failed_count, request_data_source_id, failed_rows_query, profiling_rules(name)")
      .eq("execution_id", jobId);
    const byRule = Object.fromEntries(
      (results as unknown as { profiling_rules: { name: string }; failed_rows_query: string }[]).map((r) => [
        r.profiling_rules.name,
        r,
      ]),
    );
    expect(byRule["Amount given"]).toMatchObject({
      status: "completed",
      total_count: 4,
      failed_count: 1,
      request_data_source_id: sourceId,
    });
    expect(byRule["Rate given"]).toMatchObject({
      status: "completed",
      total_count: 2,
      failed_count: 0,
      request_data_source_id: null,
    });
    expect(byRule["Rate given"]!.failed_rows_query).toContain(`upload_req${f.suffix}`);
  });
});
