// The failed-rows export through the gateway: every failing row of a rule's result as CSV (not the 20-row
// sample), masked columns masked, refused to people who may not read the cycle report, and streamed (the first
// rows arrive while the database is still reading the rest).
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInOverHttp } from "../support/app-http.ts";
import { demoPassword, signIn } from "../support/auth.ts";
import { connect, createFixture, type Fixture, waitFor } from "./fixture.ts";

const url = process.env.SUPABASE_URL!;
const anonKey = process.env.SUPABASE_ANON_KEY!;

const ROWS = 200_000;
/** Rows with a negative balance: every 40th. */
const NEGATIVE = ROWS / 40;
/** Rows whose id is above 50,000. */
const LARGE_IDS = ROWS - 50_000;

let sql: postgres.Sql;
let fixture: Fixture;
let testerToken: string;
const resultIds: Record<string, string> = {};

function exportOf(resultId: string, token: string | null): Promise<Response> {
  return fetch(`${url}/functions/v1/profiling/results/${resultId}/failed-rows`, {
    headers: { apikey: anonKey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

/** Sessions running an export's query on the fixture's table (reading, or waiting between cursor fetches). */
async function exportSessions(): Promise<number> {
  const [row] = await sql<{ sessions: number }[]>`
    select count(*)::int as sessions from pg_catalog.pg_stat_activity
     where query like ${`%${fixture.table}%`} and query not like '%pg_stat_activity%'
       and state in ('active', 'idle in transaction')`;
  return row!.sessions;
}

/** Reads until the first data row (after the header line) has arrived: the export's query is running then. */
async function firstRows(reader: ReadableStreamDefaultReader<Uint8Array>, decoder: TextDecoder): Promise<string> {
  let text = "";
  while (text.split("\r\n").length < 3) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

/** RFC 4180 lines of an export whose fields hold no line breaks (true of this data). */
function lines(text: string): string[][] {
  return text
    .split("\r\n")
    .filter((l) => l !== "")
    .map((l) => l.split(","));
}

beforeAll(async () => {
  sql = connect();
  fixture = await createFixture(sql, {
    columns: [
      { name: "id", pgType: "integer" },
      { name: "balance", pgType: "numeric" },
      { name: "ssn", pgType: "text", classification: "restricted" },
      { name: "opened", pgType: "date" },
      { name: "note", pgType: "text" },
    ],
    // A note of 250 characters makes the export of 150,000 rows about 42 MB, more than every buffer between
    // the database and the test (the sockets' included) holds.
    fill: `insert into {table} (id, balance, ssn, opened, note)
      select n, case when n % 40 = 0 then -n else n end, 'SSN-' || lpad(n::text, 6, '0'), date '2030-01-01' + (n % 365),
             rpad('note ' || n, 250, '.')
        from generate_series(1, ${ROWS}) as n`,
    rules: [
      {
        name: "balance not negative",
        column: "balance",
        ruleType: "validity",
        definition: { kind: "range", column: "balance", min: 0 },
      },
      {
        name: "id at most 50000",
        column: "id",
        ruleType: "validity",
        definition: { kind: "range", column: "id", max: 50_000 },
      },
      { name: "id unique", column: "id", ruleType: "uniqueness", definition: { kind: "unique", columns: ["id"] } },
    ],
  });
  await sql.unsafe(`analyze source_data.${fixture.table}`);
  testerToken = (await signIn(fixture.testerEmail)).token;
  const queued = await fetch(`${url}/functions/v1/profiling/versions/${fixture.versionId}/executions`, {
    method: "POST",
    headers: { apikey: anonKey, Authorization: `Bearer ${testerToken}` },
  });
  expect(queued.status).toBe(202);
  const { job_id: jobId } = (await queued.json()) as { job_id: string };
  await waitFor(
    async () => (await sql<{ status: string }[]>`select status from public.background_jobs where id = ${jobId}`)[0]!,
    (j) => j.status === "completed" || j.status === "failed",
    120_000,
  );
  for (const [name, ruleId] of Object.entries(fixture.ruleIds)) {
    const [row] = await sql<{ id: string }[]>`
      select id::text from public.profiling_rule_results where execution_id = ${jobId} and rule_id = ${ruleId}`;
    resultIds[name] = row!.id;
  }
}, 180_000);

afterAll(async () => {
  await sql.end();
});

describe("failed-rows export", () => {
  it("exports every failing row of a rule, exactly the run's failed count, masked columns masked", async () => {
    const [stored] = await sql<{ failed_count: string; samples: number }[]>`
      select failed_count::text, jsonb_array_length(public.masked_failed_sample(r)) as samples
        from public.profiling_rule_results r where id = ${resultIds["balance not negative"]!}`;
    expect(Number(stored!.failed_count)).toBe(NEGATIVE);
    expect(stored!.samples).toBe(20);

    const response = await exportOf(resultIds["balance not negative"]!, testerToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="failed-rows-balance-not-negative-/,
    );
    expect(response.headers.get("x-run-failed-count")).toBe(String(NEGATIVE));
    expect(response.headers.get("x-failed-rows-basis")).toBe("run");
    expect(response.headers.get("x-masked-columns")).toBe("ssn");
    const text = await response.text();
    const [header, ...rows] = lines(text);
    expect(header).toEqual(["id", "balance", "ssn", "opened", "note"]);
    expect(rows).toHaveLength(NEGATIVE);
    expect(new Set(rows.map((r) => r[0])).size).toBe(NEGATIVE);
    for (const [id, balance, ssn, opened, note] of rows) {
      expect(Number(id) % 40).toBe(0);
      expect(balance).toBe(String(-Number(id))); // a negative number is not mistaken for a formula
      expect(ssn).toBe("***");
      expect(opened).toMatch(/^2030-\d{2}-\d{2}$|^2031-\d{2}-\d{2}$/);
      expect(note).toMatch(new RegExp(`^note ${id}\\.+$`));
    }
    expect(text).not.toContain("SSN-");
  });

  it("exports the rows of duplicated keys for a uniqueness rule (none here: an empty file with its header)", async () => {
    const response = await exportOf(resultIds["id unique"]!, testerToken);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("id,balance,ssn,opened,note\r\n");
  });

  it("lets the report owner export and refuses people who may not read the cycle report", async () => {
    const owner = await signIn(fixture.ownerEmail);
    const ownerExport = await exportOf(resultIds["balance not negative"]!, owner.token);
    expect(ownerExport.status).toBe(200);
    await ownerExport.body?.cancel();

    const stranger = await signIn("tester2@example.com"); // assigned to another cycle report only
    const refused = await exportOf(resultIds["balance not negative"]!, stranger.token);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: "result_not_found" });

    expect((await exportOf(resultIds["balance not negative"]!, null)).status).toBe(401);
    const bad = await exportOf("not-a-number", testerToken);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_result_id" });
    const missing = await exportOf("999999999999", testerToken);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "result_not_found" });
  });

  it("streams: the first rows arrive while the database still reads the rest, and a slow reader holds it back", async () => {
    const response = await exportOf(resultIds["id at most 50000"]!, testerToken);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = await firstRows(reader, decoder);
    expect(text.startsWith("id,balance,ssn,opened,note\r\n50001,")).toBe(true);
    // The first bytes are here, and the export's query is still reading the table.
    expect(await exportSessions()).toBe(1);
    // Not reading for a while: the export waits for its reader, its transaction still open on the cursor,
    // instead of reading every row into memory.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await exportSessions()).toBe(1);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    expect(text.length).toBeGreaterThan(40_000_000);
    expect(lines(text)).toHaveLength(LARGE_IDS + 1);
    // The export's transaction ends just after its last bytes are sent.
    await expect.poll(exportSessions, { timeout: 10_000 }).toBe(0);
  }, 90_000);

  it("stops reading the source when the reader goes away", async () => {
    const response = await exportOf(resultIds["id at most 50000"]!, testerToken);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitFor(exportSessions, (sessions) => sessions === 0, 15_000);
  }, 30_000);
});

describe("failed-rows export through the app", () => {
  const appUrl = process.env.APP_URL!;
  const download = (cookie: string, resultId: string, cycleReportId = fixture.cycleReportId) =>
    fetch(`${appUrl}/cycle-reports/${cycleReportId}/profiling/results/${resultId}/failed-rows.csv`, {
      headers: { cookie },
      redirect: "manual",
    });

  it("downloads every failing row, masked, from the profiling workspace's link", async () => {
    const { cookie } = await signInOverHttp(fixture.testerEmail, demoPassword);
    const page = await fetch(`${appUrl}/cycle-reports/${fixture.cycleReportId}/profiling`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const href = `/cycle-reports/${fixture.cycleReportId}/profiling/results/${resultIds["balance not negative"]}/failed-rows.csv`;
    expect(html).toContain(`href="${href}"`);
    expect(html).toContain(
      `aria-label="Export all ${NEGATIVE.toLocaleString("en-US")} failing rows of balance not negative (CSV)"`,
    );

    const response = await download(cookie, resultIds["balance not negative"]!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("x-run-failed-count")).toBe(String(NEGATIVE));
    const text = await response.text();
    const [, ...rows] = lines(text);
    expect(rows).toHaveLength(NEGATIVE);
    expect(rows.every((r) => r[2] === "***")).toBe(true);
    expect(text).not.toContain("SSN-");
  });

  it("answers 404 to a user who may not read the cycle report, and for a result of another cycle report", async () => {
    const stranger = await signInOverHttp("tester2@example.com", demoPassword);
    expect((await download(stranger.cookie, resultIds["balance not negative"]!)).status).toBe(404);
    const tester = await signInOverHttp(fixture.testerEmail, demoPassword);
    expect(
      (await download(tester.cookie, resultIds["balance not negative"]!, fixture.cycleReportId + 100000)).status,
    ).toBe(404);
  });

  it("streams through the app without reading ahead of a slow browser", async () => {
    const { cookie } = await signInOverHttp(fixture.testerEmail, demoPassword);
    const response = await download(cookie, resultIds["id at most 50000"]!);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let bytes = (await firstRows(reader, new TextDecoder())).length;
    expect(await exportSessions()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await exportSessions()).toBe(1);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
    }
    expect(bytes).toBeGreaterThan(40_000_000);
    expect(await exportSessions()).toBe(0);
  }, 90_000);
});
