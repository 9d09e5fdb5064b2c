// A form posted as a script would post it, past the browser's check: the page's session, the app's own origin, and
// the route's data (Remix's `_data`), so a test reads what the action answered.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { appUrl } from "./browser";

export interface ActionAnswer {
  status: number;
  body: {
    refusal?: { reason: string | null; message: string } | null;
    formErrors?: { formId: string; fieldErrors: Record<string, string> };
  };
}

/** Posts `fields` to `path` as route `routeId`'s action, signed in as the page's user. */
export async function craftedPost(
  page: Page,
  path: string,
  routeId: string,
  fields: Record<string, string>,
): Promise<ActionAnswer> {
  const url = new URL(path, appUrl);
  url.searchParams.set("_data", routeId);
  const response = await page.request.post(url.toString(), {
    form: fields,
    headers: { origin: new URL(appUrl).origin },
    maxRedirects: 0,
  });
  const text = await response.text();
  return { status: response.status(), body: text.startsWith("{") ? JSON.parse(text) : {} };
}

/** The action refused the form with these field errors, for that form, and no banner's refusal of the database. */
export function expectFieldErrors(answer: ActionAnswer, formId: string, fieldErrors: Record<string, string>): void {
  expect(answer.status).toBe(400);
  expect(answer.body.formErrors).toEqual({ formId, fieldErrors });
}

/** Records whether the page posts anything from now on. */
export function watchPosts(page: Page): () => boolean {
  let posted = false;
  page.on("request", (request) => {
    if (request.method() === "POST") posted = true;
  });
  return () => posted;
}

/** The field's control is marked invalid and names its error, which says `message`. */
export async function expectErrorBeside(
  page: Page,
  control: ReturnType<Page["locator"]>,
  message: string,
): Promise<void> {
  await expect.poll(() => control.getAttribute("aria-invalid")).toBe("true");
  const describedBy = (await control.getAttribute("aria-describedby"))!.split(" ");
  const texts = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
  expect(texts).toContain(message);
}
