// Refusals of the planning workspace as the app answers them: a file over the upload limit is refused with the
// function's own reason (413 too_large) whether the page streams it or a plain form posts it, never as a broken
// connection, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appEnv, signInOverHttp } from "../support/app-http";
import { db, draftPlanningVersion, type SignedIn, signIn } from "./support.ts";

const { appUrl } = appEnv();
const origin = new URL(appUrl).origin;
// The functions' and the app's default limit (UPLOAD_MAX_BYTES unset): 50 MB.
const limit = 50 * 1024 * 1024;

let tester: SignedIn;
let cookie: string;
let fixture: Awaited<ReturnType<typeof draftPlanningVersion>>;

beforeAll(async () => {
  tester = await signIn("tester@example.com");
  fixture = await draftPlanningVersion(tester, "app-refusals");
  ({ cookie } = await signInOverHttp("tester@example.com", "demo-password"));
});

afterAll(async () => {
  await db.end();
});

async function sourceCount(): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    select count(*)::int as n from public.planning_data_sources where version_id = ${fixture.versionId}`;
  return row!.n;
}

/** A CSV over the limit (by 10 MB: sending on after the function's refusal broke the connection), one column. */
function oversizeCsv(over = 10 * 1024 * 1024): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(limit + over).fill(0x61);
  bytes.set(new TextEncoder().encode("name\n"));
  for (let i = 100; i < bytes.length; i += 100) bytes[i] = 0x0a;
  return bytes;
}

describe("uploads over the limit through the app", () => {
  it("answers the page's upload with 413 too_large and the limit, and stores nothing", async () => {
    const uploads = `${appUrl}/cycle-reports/${fixture.cycleReportId}/planning/uploads`;
    const response = await fetch(`${uploads}?${new URLSearchParams({ version: fixture.versionId, name: "big" })}`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "text/csv", accept: "application/json" },
      body: oversizeCsv(),
    });
    expect(response.status).toBe(413);
    const { refusal } = (await response.json()) as { refusal: { title: string; message: string; reason: string } };
    expect(refusal).toMatchObject({ reason: "too_large", title: "The file is too large" });
    expect(refusal.message).toContain("50 MB");
    expect(await sourceCount()).toBe(0);
  });

  it("answers a refusal the function gives while the file is still being sent (a UTF-16 file), not a broken upload", async () => {
    const bytes = new Uint8Array(40 * 1024 * 1024).fill(0x61);
    bytes.set([0xff, 0xfe]);
    const uploads = `${appUrl}/cycle-reports/${fixture.cycleReportId}/planning/uploads`;
    const response = await fetch(`${uploads}?${new URLSearchParams({ version: fixture.versionId, name: "utf16" })}`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "text/csv", accept: "application/json" },
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { refusal: { reason: string } }).refusal.reason).toBe("bad_encoding");
    expect(await sourceCount()).toBe(0);
  });

  it("sends a plain form's upload back to the workspace with too_large, and stores nothing", async () => {
    const form = new FormData();
    form.set("name", "big");
    form.set("file", new Blob([oversizeCsv(1)], { type: "text/csv" }), "big.csv");
    const response = await fetch(
      `${appUrl}/cycle-reports/${fixture.cycleReportId}/planning/uploads?version=${fixture.versionId}`,
      { method: "POST", headers: { cookie, origin }, body: form, redirect: "manual" },
    );
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location")!, appUrl).searchParams.get("upload_error")).toBe("too_large");
    expect(await sourceCount()).toBe(0);
  });
});
