// The request lifecycle through the REST API, as the app and external tools drive it: a tester sends a data
// request for three attributes, the data provider answers, the tester returns one with a reason and accepts the
// answer, and the phase completes. A data provider reads their requests and what they name, nothing else.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newClient, signIn, type SignedIn } from "../support/auth.ts";
import { connect } from "../support/db.ts";
import { createDataRequestCycleReport, type DataRequestFixture } from "../support/request-fixture.ts";

const db = connect();
let f: DataRequestFixture;
let tester: SignedIn;
let owner: SignedIn;
let provider: SignedIn;
let provider2: SignedIn;
let requestIds: Record<string, number>;

beforeAll(async () => {
  f = await createDataRequestCycleReport(db, {
    testerEmail: "tester@example.com",
    ownerEmail: "owner@example.com",
    attributes: ["Loan id", "Amount", "Rate"],
  });
  [tester, owner, provider, provider2] = await Promise.all([
    signIn("tester@example.com"),
    signIn("owner@example.com"),
    signIn("provider@example.com"),
    signIn("provider2@example.com"),
  ]);
});

afterAll(async () => {
  await db.end();
});

const csv = "loan_id,amount\nL1,100.00\nL2,250.50\n";
const sha = createHash("sha256").update(csv).digest("hex");
const pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

describe("a data request, end to end", () => {
  it("lets the tester create one request per attribute in one call", async () => {
    const { data, error } = await tester.client.rpc("create_requests", {
      p_phase_id: Number(f.phases.data_request),
      p_items: Object.values(f.attributes).map((id) => ({ attribute_id: id })),
      p_assignee_id: provider.userId,
      p_due_date: "2030-02-01",
      p_title: "Source data",
      p_instructions: "An extract of the loan tape as of the period end.",
      p_one_request_per_item: true,
    });
    expect(error).toBeNull();
    expect((data as { title: string }[]).map((r) => r.title).sort()).toEqual([
      "Source data: Amount",
      "Source data: Loan id",
      "Source data: Rate",
    ]);
    requestIds = Object.fromEntries((data as { id: number; title: string }[]).map((r) => [r.title.slice(13), r.id]));
  });

  it("refuses requests by the report owner and the data provider", async () => {
    for (const who of [owner, provider]) {
      const { error, status } = await who.client.rpc("create_requests", {
        p_phase_id: Number(f.phases.data_request),
        p_items: [{ attribute_id: f.attributes.Amount }],
      });
      expect(status).toBe(403);
      expect(error?.details).toBe("request_edit_requires_tester");
    }
  });

  it("shows the data provider nothing before it is sent", async () => {
    const { data } = await provider.client.from("requests").select("id").eq("cycle_report_id", f.cycleReportId);
    expect(data).toEqual([]);
  });

  it("sends each request, and the status never moves by a PATCH", async () => {
    const patch = await tester.client.from("requests").update({ status: "sent" }).eq("id", requestIds.Amount!);
    expect(patch.error?.code).toBe("42501");
    for (const id of Object.values(requestIds)) {
      const { data, error } = await tester.client.rpc("send_request", { p_request_id: id });
      expect(error).toBeNull();
      expect((data as { status: string }).status).toBe("sent");
    }
  });

  it("lets the provider read what is asked, and nothing else", async () => {
    const { data: requests } = await provider.client
      .from("request_summaries")
      .select("title, status, item_count, is_overdue")
      .eq("cycle_report_id", f.cycleReportId)
      .order("title");
    expect(requests).toEqual([
      { title: "Source data: Amount", status: "sent", item_count: 1, is_overdue: false },
      { title: "Source data: Loan id", status: "sent", item_count: 1, is_overdue: false },
      { title: "Source data: Rate", status: "sent", item_count: 1, is_overdue: false },
    ]);
    const { data: items } = await provider.client
      .from("request_items")
      .select("attribute_name, attribute_definition")
      .eq("request_id", requestIds.Amount!);
    expect(items).toEqual([{ attribute_name: "Amount", attribute_definition: "Definition of Amount" }]);
    for (const table of [
      "planning_attributes",
      "planning_data_sources",
      "cycle_reports",
      "workflow_phases",
      "reports",
    ]) {
      const { data, error } = await provider.client.from(table).select("id");
      expect(error).toBeNull();
      expect(data, table).toEqual([]);
    }
    const other = await provider2.client.from("requests").select("id").eq("cycle_report_id", f.cycleReportId);
    expect(other.data).toEqual([]);
    const anon = await newClient().from("requests").select("id");
    expect(anon.data ?? []).toEqual([]);
  });

  it("takes evidence only from the assignee, into the request's own folder, within the bucket's limits", async () => {
    const evidence = (who: SignedIn) => who.client.storage.from("evidence");
    const folder = `${f.cycleReportId}/${requestIds.Amount}`;
    const blob = (text: string, type: string) => new Blob([text], { type });
    const refused: [SignedIn, string, Blob][] = [
      [provider, `${folder}/../../1/1/x.csv`, blob(csv, "text/csv")],
      [provider, `${folder}/..\\x.csv`, blob(csv, "text/csv")],
      [provider, `${f.cycleReportId + 100000}/${requestIds.Amount}/x.csv`, blob(csv, "text/csv")],
      [provider, `${folder}/sub/x.csv`, blob(csv, "text/csv")],
      [provider, `${folder}/run.sh`, blob("#!/bin/sh\n", "application/x-sh")],
      [provider, `${folder}/big.csv`, blob("x".repeat(26214401), "text/csv")],
      [provider2, `${folder}/x.csv`, blob(csv, "text/csv")],
      [tester, `${folder}/x.csv`, blob(csv, "text/csv")],
    ];
    for (const [who, path, body] of refused) {
      const { data, error } = await evidence(who).upload(path, body, { contentType: body.type });
      expect(data, path).toBeNull();
      expect(error, path).not.toBeNull();
    }
    const [{ count } = { count: -1 }] = await db<{ count: number }[]>`
      select count(*)::int as count from storage.objects where bucket_id = 'evidence' and name like ${f.cycleReportId + "/%"}`;
    expect(count).toBe(0);
    expect(
      (await evidence(provider).upload(`${folder}/loans.csv`, blob(csv, "text/csv"), { contentType: "text/csv" }))
        .error,
    ).toBeNull();
    expect(
      (
        await evidence(provider).upload(`${folder}/dictionary.pdf`, blob(pdf, "application/pdf"), {
          contentType: "application/pdf",
        })
      ).error,
    ).toBeNull();
    const overwrite = await evidence(provider).upload(`${folder}/loans.csv`, blob("tampered", "text/csv"), {
      upsert: true,
      contentType: "text/csv",
    });
    expect(overwrite.error).not.toBeNull();
  });

  it("records each file with its checksum, and refuses hostile records", async () => {
    const { data: response, error } = await provider.client
      .from("request_responses")
      .insert({ request_id: requestIds.Amount, body: "The extract, and the data dictionary." })
      .select("id")
      .single();
    expect(error).toBeNull();
    const file = (over: Record<string, unknown>) =>
      provider.client.from("request_files").insert({
        response_id: (response as { id: number }).id,
        object_path: `${f.cycleReportId}/${requestIds.Amount}/loans.csv`,
        file_name: "loans.csv",
        content_type: "text/csv",
        size_bytes: csv.length,
        sha256: sha,
        ...over,
      });
    const cases: [Record<string, unknown>, string][] = [
      [{ object_path: `${f.cycleReportId}/${requestIds.Amount}/../../1/1/loans.csv` }, "invalid_object_path"],
      [{ object_path: `${f.cycleReportId + 1}/${requestIds.Amount}/loans.csv` }, "invalid_object_path"],
      [{ object_path: `${f.cycleReportId}/${requestIds.Rate}/loans.csv` }, "invalid_object_path"],
      [{ size_bytes: 26214401 }, "file_too_large"],
      [
        { content_type: "application/x-sh", object_path: `${f.cycleReportId}/${requestIds.Amount}/run.sh` },
        "file_type_not_allowed",
      ],
      [{ object_path: `${f.cycleReportId}/${requestIds.Amount}/missing.csv` }, "file_not_uploaded"],
      [{ size_bytes: csv.length + 1 }, "file_record_mismatch"],
    ];
    for (const [over, reason] of cases) {
      const { error: refused, status } = await file(over);
      expect(status, reason).toBe(400);
      expect(refused?.details).toBe(reason);
    }
    expect((await file({})).error).toBeNull();
    const pdfSha = createHash("sha256").update(pdf).digest("hex");
    const pdfFile = {
      object_path: `${f.cycleReportId}/${requestIds.Amount}/dictionary.pdf`,
      file_name: "dictionary.pdf",
      content_type: "application/pdf",
      size_bytes: pdf.length,
      sha256: pdfSha,
    };
    expect((await file(pdfFile)).error).toBeNull();
  });

  it("lets the request's readers download through signed URLs, and checks the bytes against the checksum", async () => {
    const path = `${f.cycleReportId}/${requestIds.Amount}/loans.csv`;
    for (const who of [tester, owner, provider]) {
      const { data, error } = await who.client.storage.from("evidence").createSignedUrl(path, 60);
      expect(error).toBeNull();
      const bytes = Buffer.from(await (await fetch(data!.signedUrl)).arrayBuffer());
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha);
    }
    const other = await provider2.client.storage.from("evidence").createSignedUrl(path, 60);
    expect(other.data).toBeNull();
    const removed = await provider.client.storage.from("evidence").remove([path]);
    expect(removed.data ?? []).toEqual([]);
    const [{ count } = { count: -1 }] = await db<{ count: number }[]>`
      select count(*)::int as count from storage.objects where bucket_id = 'evidence' and name = ${path}`;
    expect(count).toBe(1);
  });

  it("lets only the assignee respond, and only after adding a response", async () => {
    const early = await provider.client.rpc("respond_to_request", { p_request_id: requestIds.Rate });
    expect(early.status).toBe(409);
    expect(early.error?.details).toBe("response_required");
    const byTester = await tester.client.from("request_responses").insert({ request_id: requestIds.Rate, body: "x" });
    expect(byTester.status).toBe(403);
    expect(byTester.error?.details).toBe("respond_requires_assignee");
    const byOther = await provider2.client.from("request_responses").insert({ request_id: requestIds.Rate, body: "x" });
    expect(byOther.status).toBe(404);
    for (const name of ["Loan id", "Rate"]) {
      await provider.client
        .from("request_responses")
        .insert({ request_id: requestIds[name], body: `Extract for ${name}` });
    }
    for (const id of Object.values(requestIds)) {
      const { error } = await provider.client.rpc("respond_to_request", { p_request_id: id });
      expect(error).toBeNull();
    }
  });

  it("returns one with a reason, which the provider answers, and accepts them all", async () => {
    const noReason = await tester.client.rpc("return_request", { p_request_id: requestIds.Rate, p_reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.error?.details).toBe("return_reason_required");
    const returned = await tester.client.rpc("return_request", {
      p_request_id: requestIds.Rate,
      p_reason: "Rates are rounded to one decimal; send the full precision.",
    });
    expect((returned.data as { status: string; return_reason: string }).return_reason).toBe(
      "Rates are rounded to one decimal; send the full precision.",
    );
    const accept = await provider.client.rpc("accept_request", { p_request_id: requestIds.Rate });
    expect(accept.status).toBe(409); // returned: not responded
    await provider.client
      .from("request_comments")
      .insert({ request_id: requestIds.Rate, body: "Full precision attached." });
    await provider.client
      .from("request_responses")
      .insert({ request_id: requestIds.Rate, body: "Full precision extract" });
    expect((await provider.client.rpc("respond_to_request", { p_request_id: requestIds.Rate })).error).toBeNull();

    const complete = await tester.client.rpc("complete_phase", { p_phase_id: Number(f.phases.data_request) });
    expect(complete.error?.details).toMatch(/requests_open|activities_incomplete/);

    for (const id of Object.values(requestIds)) {
      expect((await tester.client.rpc("accept_request", { p_request_id: id })).error).toBeNull();
    }
    const { data: comments } = await owner.client
      .from("request_comments")
      .select("body")
      .eq("request_id", requestIds.Rate);
    expect(comments).toEqual([{ body: "Full precision attached." }]);
  });

  it("completes the data request once every request is accepted", async () => {
    const { data: activities } = await tester.client
      .from("workflow_activities")
      .select("id")
      .eq("phase_id", Number(f.phases.data_request));
    for (const a of activities ?? []) await tester.client.rpc("complete_activity", { p_activity_id: a.id });
    const { data, error } = await tester.client.rpc("complete_phase", { p_phase_id: Number(f.phases.data_request) });
    expect(error).toBeNull();
    expect((data as { status: string }).status).toBe("completed");
  });
});
