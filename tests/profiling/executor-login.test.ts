import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Rules run over a session that logs in as rule_executor: whatever SQL reached it, that session can read
// source_data and nothing else, of source_data only the tables its job's token names, cannot notify the API and
// cannot become another role.
const executorUrl = process.env.RULE_EXECUTOR_DB_URL;
const adminUrl = process.env.SUPABASE_DB_URL;
if (!executorUrl || !adminUrl) throw new Error("RULE_EXECUTOR_DB_URL and SUPABASE_DB_URL must be set");

const table = `executor_login_${Date.now().toString(36)}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
const executor = postgres(executorUrl, { max: 1, onnotice: () => undefined });

async function refusal(statement: string): Promise<string> {
  try {
    await executor.unsafe(statement);
  } catch (error) {
    return (error as { code?: string }).code ?? "error";
  }
  return "accepted";
}

const otherTable = `${table}_other`;
let token = "";

/** Counts a table's rows over the executor's login, presenting a rule-execution token (or none). */
async function countAs(tableName: string, presented: string | null): Promise<{ who: string; n: number }> {
  return await executor.begin(async (tx) => {
    if (presented) await tx`select set_config('regtest.rule_execution', ${presented}, true)`;
    const [row] = await tx.unsafe(`select current_user as who, count(*)::int as n from source_data.${tableName}`);
    return row as unknown as { who: string; n: number };
  });
}

beforeAll(async () => {
  await admin.unsafe(`create table source_data.${table} (id int, amount numeric)`);
  await admin.unsafe(`insert into source_data.${table} values (1, 10), (2, null)`);
  await admin.unsafe(`create table source_data.${otherTable} (id int)`);
  await admin.unsafe(`insert into source_data.${otherTable} values (1), (2), (3)`);
  // Issued by the operator here; the worker gets one per job and table (private.open_rule_execution).
  [{ token }] = await admin<[{ token: string }]>`
    select private.open_rule_execution(null, array[${`source_data.${table}`}]::text[]) as token`;
});

afterAll(async () => {
  await admin.unsafe(`drop table if exists source_data.${table}`);
  await admin.unsafe(`drop table if exists source_data.${otherTable}`);
  await Promise.all([admin.end(), executor.end()]);
});

describe("the rule executor's own login", () => {
  it("reads source data as rule_executor, with the token issued for the table", async () => {
    const [row] = await executor.begin(async (tx) => {
      await tx`select set_config('regtest.rule_execution', ${token}, true)`;
      return await tx.unsafe(`select current_user as who, count(amount)::int as n from source_data.${table}`);
    });
    expect(row).toEqual({ who: "rule_executor", n: 1 });
  });

  it("reads no row of an upload without a token for it: not without one, not with another table's", async () => {
    expect(await countAs(table, null)).toEqual({ who: "rule_executor", n: 0 });
    expect(await countAs(otherTable, token)).toEqual({ who: "rule_executor", n: 0 });
    expect(await countAs(otherTable, "00000000-0000-4000-8000-000000000000")).toEqual({ who: "rule_executor", n: 0 });
    const [row] = await admin.unsafe(`select count(*)::int as n from source_data.${otherTable}`);
    expect(row!.n).toBe(3);
  });

  it("cannot read the tokens, nor issue one", async () => {
    expect(await refusal("select token from private.rule_execution_grants")).toBe("42501");
    expect(await refusal(`select private.open_rule_execution(null, array['source_data.${otherTable}']::text[])`)).toBe(
      "42501",
    );
  });

  it("cannot notify the API (pg_notify)", async () => {
    expect(await refusal("select pg_notify('pgrst', 'reload schema')")).toBe("42501");
  });

  it("cannot switch to another role, by set role or by set_config", async () => {
    expect(await refusal("set role postgres")).toBe("42501");
    expect(await refusal("select set_config('role', 'postgres', false)")).toBe("42501");
    expect(await refusal("set role service_role")).toBe("42501");
    const [row] = await executor.unsafe("select current_user as who");
    expect(row!.who).toBe("rule_executor");
  });

  it("reads nothing outside source_data", async () => {
    expect(await refusal("select * from public.profiles")).toBe("42501");
    expect(await refusal("select * from private.planning_data_source_secrets")).toBe("42501");
    expect(await refusal("select * from auth.users")).toBe("42501");
    expect(await refusal("select pg_read_file('postgresql.conf')")).toBe("42501");
  });

  it("writes nothing, not even to source_data", async () => {
    expect(await refusal(`insert into source_data.${table} values (3, 1)`)).toBe("25006");
    expect(await refusal(`create table source_data.${table}_copy (id int)`)).toBe("25006");
    // Even in a transaction it opens read-write, it has no privilege to change anything.
    expect(await refusal(`begin read write; delete from source_data.${table}; commit`)).toBe("42501");
    await executor.unsafe("rollback");
    const [row] = await admin.unsafe(`select count(*)::int as n from source_data.${table}`);
    expect(row!.n).toBe(2);
  });
});
