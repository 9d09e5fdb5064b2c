// The audit trail's page: an admin sees that the hash chain is intact, and where it breaks once a row was
// rewritten behind the application's back (as postgres with the triggers off); testers are refused the page.
import postgres from "postgres";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, login, newPage, requiredEnv } from "./support/browser";

const sql = postgres(requiredEnv("SUPABASE_DB_URL"), { max: 1, onnotice: () => undefined });
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await sql.end();
});

describe("the audit trail page", () => {
  it("tells an admin the chain is intact, then where it was tampered with", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await login(page, "admin@example.com", "demo-password");
    await page.getByRole("link", { name: "Audit trail" }).click();
    await page.getByRole("heading", { name: "Audit trail", level: 1 }).waitFor();
    await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Intact: [\d,]+ rows/);

    // The app reads the log over its own connection, so the rewrite is committed, and put back afterwards (with
    // the triggers off both times), which makes the chain whole again.
    const [row] = await sql<{ chain_seq: string; actor_role: string }[]>`
      select chain_seq::text, actor_role from public.audit_log order by chain_seq desc limit 1 offset 5`;
    const rewrite = (role: string) =>
      sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`update public.audit_log set actor_role = ${role} where chain_seq = ${row!.chain_seq}::bigint`;
      });
    await rewrite("someone else");
    try {
      await page.reload();
      await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Tampered with/);
      await expect(page.getByTestId("audit-problems").textContent()).resolves.toContain(
        `Row ${row!.chain_seq} (audit id`,
      );
    } finally {
      await rewrite(row!.actor_role);
    }
    await page.reload();
    await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Intact/);
  });

  it("tells an admin of a phase whose status was changed without an audit row", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await login(page, "admin@example.com", "demo-password");
    await page.goto("/audit-trail");
    await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Intact/);
    const [phase] = await sql<{ id: string; status: string }[]>`
      select id::text, status::text from public.workflow_phases order by id limit 1`;
    const changed = phase!.status === "completed" ? "in_progress" : "completed";
    const setStatus = (status: string) =>
      sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`update public.workflow_phases set status = ${status}::public.phase_status where id = ${phase!.id}::bigint`;
      });
    await setStatus(changed);
    try {
      await page.reload();
      await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Tampered with/);
      await expect(page.getByTestId("audit-problems").textContent()).resolves.toContain(
        `public.workflow_phases ${phase!.id} is ${changed}, but the audit log last recorded it as ${phase!.status}`,
      );
    } finally {
      await setStatus(phase!.status);
    }
    await page.reload();
    await expect(page.getByTestId("audit-verdict").textContent()).resolves.toMatch(/^Intact/);
  });

  it("is neither linked for nor open to a tester", async () => {
    const page = await newPage(browser);
    await page.goto("/");
    await login(page, "tester@example.com", "demo-password");
    await page.getByTestId("home-email").waitFor();
    await expect(page.getByRole("link", { name: "Audit trail" }).count()).resolves.toBe(0);
    const response = await page.goto("/audit-trail");
    expect(response?.status()).toBe(403);
  });
});
