import { FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import { describe, expect, it } from "vitest";
import type { Database } from "~/types/database";
import { codedRefusal, functionRefusal } from "./function-refusal.server";
import { requestGeneration } from "./generation.server";
import { refusalOfPlanning } from "./planning-refusal";
import { runProfilingAction } from "./profiling-actions.server";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** A client whose function calls all answer with this response, as supabase-js reports a non-2xx answer. */
const answering = (response: Response) =>
  ({
    functions: { invoke: async () => ({ data: null, error: new FunctionsHttpError(response) }) },
  }) as unknown as SupabaseClient<Database>;

const VERSION = "00000000-0000-4000-8000-000000000001";

describe("codedRefusal", () => {
  it("keeps a database refusal's reason (details) and hint", () => {
    const body = {
      code: "version_not_approved",
      message: "Only approved.",
      details: "version_not_approved",
      hint: "h",
    };
    expect(codedRefusal(409, body)).toEqual({
      code: "PT409",
      message: "Only approved.",
      details: "version_not_approved",
      hint: "h",
    });
  });

  it("takes the reason from code when there are no string details", () => {
    expect(codedRefusal(404, { code: "job_not_found", message: "Gone." })).toEqual({
      code: "PT404",
      message: "Gone.",
      details: "job_not_found",
      hint: null,
    });
    expect(codedRefusal(400, { code: "ragged_row", message: "Row 3.", line: 3, details: null }).details).toBe(
      "ragged_row",
    );
  });

  it("gives a body that is not a refusal a plain message and no reason", () => {
    expect(codedRefusal(502, null)).toEqual({
      code: "PT502",
      message: "The request was refused.",
      details: null,
      hint: null,
    });
    expect(codedRefusal(400, "oops").details).toBeNull();
  });
});

describe("functionRefusal", () => {
  it("reads the response's status and JSON body", async () => {
    await expect(functionRefusal(json(403, { code: "forbidden", message: "No." }))).resolves.toMatchObject({
      code: "PT403",
      details: "forbidden",
    });
  });

  it("answers a body that is not JSON with a plain message", async () => {
    await expect(functionRefusal(new Response("Bad Gateway", { status: 404 }))).resolves.toEqual({
      code: "PT404",
      message: "The request was refused.",
      details: null,
      hint: null,
    });
  });
});

describe("banners of function refusals", () => {
  const runRules = (response: Response) => {
    const form = new FormData();
    form.set("intent", "run_rules");
    form.set("version_id", VERSION);
    return runProfilingAction(answering(response), form);
  };

  it("run rules: the database's reason gets the profiling title and the database's message", async () => {
    const body = {
      code: "version_not_approved",
      message: "Only an approved profiling version is run; this version is draft.",
      details: "version_not_approved",
      hint: null,
    };
    await expect(runRules(json(409, body))).resolves.toEqual({
      ok: false,
      status: 409,
      refusal: {
        title: "Only an approved version can run",
        message: "Only an approved profiling version is run; this version is draft.",
        hint: null,
        reason: "version_not_approved",
      },
    });
  });

  it("run rules: the function's own refusal gets the status's title", async () => {
    const body = { code: "version_not_found", message: "This version does not exist or is not visible to you." };
    await expect(runRules(json(404, body))).resolves.toEqual({
      ok: false,
      status: 404,
      refusal: {
        title: "Not found",
        message: "This version does not exist or is not visible to you.",
        hint: null,
        reason: "version_not_found",
      },
    });
  });

  it("run rules: a failure of the function is not shown in its words", async () => {
    const result = await runRules(json(500, { code: "database_error", message: "The database could not…" }));
    expect(result).toMatchObject({ ok: false, status: 500, refusal: { title: "The action failed", reason: null } });
  });

  it("generation: the reason and message of the function's refusal", async () => {
    const body = {
      code: "version_not_draft",
      message: "Only a draft gets proposals.",
      details: "version_not_draft",
      hint: null,
    };
    await expect(
      requestGeneration(answering(json(409, body)), { versionId: VERSION, kind: "attributes" }),
    ).resolves.toEqual({
      ok: false,
      status: 409,
      refusal: {
        title: "Not possible right now",
        message: "Only a draft gets proposals.",
        hint: null,
        reason: "version_not_draft",
      },
    });
  });

  it("planning sources: ingestion's reason (in code) gets the planning title", () => {
    const body = { code: "ragged_row", message: "Line 3 has 2 fields; the header has 3.", line: 3, byteOffset: 40 };
    expect(refusalOfPlanning(codedRefusal(400, body), 400)).toEqual({
      title: "A row has the wrong number of fields",
      message: "Line 3 has 2 fields; the header has 3.",
      hint: null,
      reason: "ragged_row",
    });
  });
});

describe("codedRefusal of a constraint error", () => {
  it("takes the stable reason from code, not PostgreSQL's detail text", () => {
    const body = {
      code: "already_exists",
      message: "The name “Accounts” is already taken in this version; choose another.",
      details: "Key (version_id, name)=(…, Accounts) already exists.",
      hint: null,
    };
    const refusal = refusalOfPlanning(codedRefusal(409, body), 409);
    expect(refusal).toEqual({
      title: "That name is already taken",
      message: "The name “Accounts” is already taken in this version; choose another.",
      hint: null,
      reason: "already_exists",
    });
  });
});
