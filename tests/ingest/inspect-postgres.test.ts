import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InspectError,
  inspectPostgresTable,
  type PostgresTableSource,
} from "../../supabase/functions/_shared/sources/postgres.ts";
import { connect } from "./helpers.ts";

const admin = connect();
const suffix = randomBytes(4).toString("hex");
const database = `ext_source_${suffix}`;
const reader = `ext_reader_${suffix}`;
const password = `pw-${randomBytes(8).toString("hex")}`;
const url = new URL(process.env.SUPABASE_DB_URL ?? "postgresql://localhost/postgres");
let external: postgres.Sql;

/** The source as a tester would enter it: the external database, read with the reader role's credentials. */
function source(overrides: Partial<PostgresTableSource> = {}): PostgresTableSource {
  return {
    host: url.hostname,
    port: Number(url.port),
    database,
    schema: "finance",
    table: "loans",
    user: reader,
    password,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => {
      throw new Error("the inspection succeeded");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InspectError);
  return (error as InspectError).toJSON();
}

beforeAll(async () => {
  await admin.unsafe(`create database ${database}`);
  await admin.unsafe(`create role ${reader} login password '${password}'`);
  const externalUrl = new URL(url);
  externalUrl.pathname = `/${database}`;
  external = postgres(externalUrl.toString(), { max: 1, onnotice: () => undefined });
  await external
    .unsafe(
      `
    create schema finance;
    create table finance.loans (
      id bigint primary key, customer text not null, amount numeric(15,2), rate double precision,
      opened date, updated timestamptz, active boolean, ref uuid, meta jsonb, tags text[], code varchar(8)
    );
    insert into finance.loans
    select i, 'customer ' || (i % 10), case when i % 5 = 0 then null else i * 10.25 end, i / 100.0,
           date '2024-01-01' + i, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour', i % 2 = 0,
           md5(i::text)::uuid, jsonb_build_object('i', i), array['a', 'b'], 'C' || i
    from generate_series(1, 50) as i;
    create table finance.postings (id int, account text, amount numeric);
    insert into finance.postings select i, 'acc' || (i % 40), i % 7 from generate_series(1, 2000) as i;
    analyze finance.postings;
    create table finance.secrets (id int);
    create view finance.slow as select pg_sleep(5)::text as x;
    grant usage on schema finance to ${reader};
    grant select on finance.loans, finance.postings, finance.slow to ${reader};
  `,
    )
    .simple();
});

afterAll(async () => {
  await external?.end();
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.unsafe(`drop role if exists ${reader}`);
  await admin.end();
});

describe("inspecting a table of an external PostgreSQL", () => {
  it("returns the schema with catalog types, exact counts and statistics for a small table", async () => {
    const schema = await inspectPostgresTable(source());
    expect(schema).toMatchObject({
      schema: "finance",
      table: "loans",
      rowCount: 50,
      rowCountIsEstimate: false,
      statsSource: "full_scan",
    });
    expect(schema.columns.map((c) => [c.name, c.type, c.pgType, c.nullable])).toEqual([
      ["id", "bigint", "bigint", false],
      ["customer", "text", "text", false],
      ["amount", "numeric", "numeric(15,2)", true],
      ["rate", "numeric", "double precision", true],
      ["opened", "date", "date", true],
      ["updated", "timestamptz", "timestamp with time zone", true],
      ["active", "boolean", "boolean", true],
      ["ref", "uuid", "uuid", true],
      ["meta", "json", "jsonb", true],
      ["tags", "other", "text[]", true],
      ["code", "text", "character varying(8)", true],
    ]);
    const byName = Object.fromEntries(schema.columns.map((c) => [c.name, c]));
    expect(byName.id).toMatchObject({
      originalName: "id",
      position: 1,
      nullCount: 0,
      distinctCount: 50,
      min: "1",
      max: "50",
    });
    expect(byName.customer).toMatchObject({
      distinctCount: 10,
      maxLength: 10,
      examples: ["customer 0", "customer 1", "customer 2"],
    });
    expect(byName.amount).toMatchObject({ nullCount: 10, distinctCount: 40, min: "10.25", max: "502.25" });
    expect(byName.opened).toMatchObject({ min: "2024-01-02", max: "2024-02-20" });
    expect(byName.meta).toMatchObject({ distinctCount: 50, min: null });
  });

  it("estimates a table over the exact-count limit from pg_stats and a sample", async () => {
    const schema = await inspectPostgresTable(source({ table: "postings", exactRowLimit: 500 }));
    expect(schema).toMatchObject({ rowCount: 2000, rowCountIsEstimate: true, statsSource: "pg_stats" });
    const account = schema.columns.find((c) => c.name === "account");
    expect(account).toMatchObject({ nullCount: 0, distinctCount: 40, distinctIsEstimate: true });
  });

  it("refuses with a coded error a server that is not listening", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const error = await failure(inspectPostgresTable(source({ host: "127.0.0.1", port, connectTimeoutSeconds: 2 })));
    expect(error).toEqual({
      code: "unreachable",
      message: `Cannot reach a database server at 127.0.0.1:${port} (ECONNREFUSED).`,
    });
  });

  it("refuses a wrong password without repeating it", async () => {
    const error = await failure(inspectPostgresTable(source({ password: "not-the-password" })));
    expect(error.code).toBe("auth_failed");
    expect(error.message).toBe(`The server at ${url.hostname}:${url.port} refused the password for user ${reader}.`);
  });

  it("names a missing database, a missing table (suggesting the right case) and an unreadable one", async () => {
    expect(await failure(inspectPostgresTable(source({ database: `${database}_gone` })))).toMatchObject({
      code: "database_not_found",
    });
    expect(await failure(inspectPostgresTable(source({ table: "Loans" })))).toEqual({
      code: "table_not_found",
      message: `Table finance.Loans does not exist in database ${database}. Did you mean finance.loans? Names are case-sensitive.`,
    });
    expect(await failure(inspectPostgresTable(source({ table: "nothing_here" })))).toMatchObject({
      code: "table_not_found",
    });
    expect(await failure(inspectPostgresTable(source({ table: "secrets" })))).toEqual({
      code: "permission_denied",
      message: `User ${reader} may not read finance.secrets.`,
    });
  });

  it("stops a read that exceeds the statement timeout", async () => {
    expect(await failure(inspectPostgresTable(source({ table: "slow", statementTimeoutMs: 300 })))).toMatchObject({
      code: "timeout",
    });
  });

  it("reads in a read-only transaction: even a view that writes cannot write", async () => {
    await external
      .unsafe(
        `create table finance.audit (id int);
         create function finance.touch() returns int language sql volatile as 'insert into finance.audit values (1) returning 1';
         create view finance.touching as select finance.touch() as t;
         grant select, insert on finance.audit to ${reader};
         grant select on finance.touching to ${reader};`,
      )
      .simple();
    const error = await failure(inspectPostgresTable(source({ table: "touching" })));
    expect(error.message).toMatch(/read-only transaction/);
    expect((await external`select count(*)::int as n from finance.audit`)[0]?.n).toBe(0);
  });
});
