import { describe, expect, it } from "vitest";
import { configuredOrigins, crossSiteRefusal, refusalPage } from "./cross-site.server";

const request = (method: string, headers: Record<string, string>) => {
  const sent: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...headers };
  return { method, header: (name: string) => sent[name.toLowerCase()] };
};

describe("the origin rule", () => {
  it("lets reads through and a POST from the app's own pages", () => {
    expect(crossSiteRefusal(request("GET", { host: "app.test", origin: "https://evil.test" }))).toBeNull();
    expect(crossSiteRefusal(request("POST", { host: "app.test", origin: "https://app.test" }))).toBeNull();
    expect(crossSiteRefusal(request("POST", { host: "app.test", "sec-fetch-site": "same-origin" }))).toBeNull();
    // No browser sends neither header, so nothing forged by another site looks like this.
    expect(crossSiteRefusal(request("POST", { host: "app.test" }))).toBeNull();
    // Behind a proxy, the host the browser addressed.
    expect(
      crossSiteRefusal(
        request("POST", { host: "internal:3000", "x-forwarded-host": "app.test", origin: "https://app.test" }),
      ),
    ).toBeNull();
    const origins = configuredOrigins("https://App.test/ , https://other.test");
    expect(origins).toEqual(["https://app.test", "https://other.test"]);
    expect(crossSiteRefusal(request("POST", { host: "internal", origin: "https://other.test" }), origins)).toBeNull();
  });

  it("refuses a POST from another site with 403 and any other method with 405", () => {
    const forged: Record<string, string>[] = [
      { host: "app.test", origin: "https://evil.test" },
      { host: "app.test", origin: "https://app.test.evil.test" },
      { host: "app.test", origin: "null" },
      { host: "app.test", "sec-fetch-site": "cross-site" },
      { host: "app.test", "sec-fetch-site": "same-site" },
    ];
    for (const headers of forged) {
      expect(crossSiteRefusal(request("POST", headers))?.status, JSON.stringify(headers)).toBe(403);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect(crossSiteRefusal(request(method, { host: "app.test", origin: "https://app.test" }))).toMatchObject({
        status: 405,
        reason: "method_not_allowed",
      });
    }
  });

  it("refuses with 415 a POST from the app's own site whose body is not a form", () => {
    for (const type of ["application/json", "text/plain", "application/octet-stream", ""]) {
      expect(
        crossSiteRefusal(request("POST", { host: "app.test", origin: "https://app.test", "content-type": type })),
        type,
      ).toMatchObject({ status: 415, reason: "unsupported_media_type" });
    }
    const multipart = {
      host: "app.test",
      origin: "https://app.test",
      "content-type": "multipart/form-data; boundary=x",
    };
    expect(crossSiteRefusal(request("POST", multipart))).toBeNull();
    // Another site's JSON is refused as cross-site first.
    expect(
      crossSiteRefusal(
        request("POST", { host: "app.test", origin: "https://evil.test", "content-type": "application/json" }),
      ),
    ).toMatchObject({ status: 403 });
  });

  it("explains the refusal on a page without scripts", () => {
    const page = refusalPage(crossSiteRefusal(request("POST", { host: "a", origin: "https://b" }))!);
    expect(page).toContain('data-reason="cross_site_request"');
    expect(page).not.toContain("<script");
  });
});
