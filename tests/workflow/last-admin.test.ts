// Two demotions at the same time that together would leave no admin: exactly one succeeds. One transaction
// demotes an admin of this test; the other, at the same time, every other admin. Each alone leaves an admin.
// The second waits for the first (the admin-role lock), counts again and is refused; it is never committed,
// so the database's other admins keep their role whatever happens.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser, db, type TestUser } from "./support/fixtures";

let kept: TestUser;
let demoted: TestUser;
let heir: TestUser;

beforeAll(async () => {
  [kept, demoted, heir] = await Promise.all([
    createUser("admin", "admin-kept"),
    createUser("admin", "admin-demoted"),
    createUser("report_owner", "reports-heir"),
  ]);
});

afterAll(async () => {
  await db`update public.profiles set app_role = 'tester' where id = ${kept.id} and app_role = 'admin'`;
  await db.end();
});

/** Whether the backend `pid` waits for a lock held by `holder`, polled until `timeoutMs` or until `done()`. */
async function waitsFor(pid: number, holder: number, done: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !done()) {
    const [row] = await db<
      { blocked: boolean }[]
    >`select ${holder}::int = any (pg_blocking_pids(${pid}::int)) as blocked`;
    if (row?.blocked) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

it("two concurrent demotions that would remove every admin: exactly one succeeds", async () => {
  const first = await db.reserve();
  const second = await db.reserve();
  try {
    const firstPid = (await first<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
    const secondPid = (await second<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
    await first`begin`;
    await second`begin`;
    // Admins who own reports keep a role that may own them: the second transaction first hands their reports
    // to a report owner (undone with it), so only the last-admin rule decides.
    await second`update public.reports set owner_id = ${heir.id}
                  where owner_id in (select id from public.profiles where app_role = 'admin' and id <> ${demoted.id})`;

    const firstResult = await first`update public.profiles set app_role = 'tester' where id = ${demoted.id}`.then(
      (rows) => ({ ok: true as const, count: rows.count }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    // While the first demotion is not committed, the second still sees that admin.
    const secondStatement = second`update public.profiles set app_role = 'tester'
                                    where app_role = 'admin' and id <> ${demoted.id}`.then(
      (rows) => ({ ok: true as const, count: rows.count }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    let secondDone = false;
    void secondStatement.then(() => (secondDone = true));
    const secondWaited = await waitsFor(secondPid, firstPid, () => secondDone);

    if (firstResult.ok) await first`commit`;
    else await first`rollback`;
    const secondResult = await secondStatement;
    await second`rollback`; // never commit the demotion of the other admins

    expect([firstResult, secondResult].filter((r) => r.ok)).toHaveLength(1);
    expect(firstResult).toEqual({ ok: true, count: 1 });
    expect(secondResult.ok ? null : secondResult.error).toMatchObject({ code: "PT409", detail: "last_admin" });
    // It was refused after waiting for the first, not before it committed.
    expect(secondWaited).toBe(true);
  } finally {
    first.release();
    second.release();
  }

  const rows = await db<{ id: string; app_role: string }[]>`
    select id, app_role::text from public.profiles where id in (${kept.id}, ${demoted.id})`;
  expect(Object.fromEntries(rows.map((r) => [r.id, r.app_role]))).toEqual({
    [kept.id]: "admin",
    [demoted.id]: "tester",
  });
});
