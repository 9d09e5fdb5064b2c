// A cycle report ready for test execution: the sampling fixture with `samples` loans drawn and approved in a
// sample-selection version, the phases up to the request for information completed or skipped, a second tester
// assigned to review, and the test-execution phase started. Built as the database operator; with `rfi`, the request
// for information is run instead of skipped: one request per approved sample for the named attribute, each
// answered by the data provider (through the gateway, as the provider) with a PDF in the evidence bucket.
import { createHash } from "node:crypto";
import type postgres from "postgres";
import { signIn } from "./auth.ts";
import { createSamplingFixture, type SamplingFixture, type SamplingFixtureOptions } from "./sampling-fixture.ts";

export interface TestExecutionFixture extends SamplingFixture {
  reviewerEmail: string;
  sampleSelectionVersionId: string;
  /** The test-execution workflow phase. */
  testPhaseId: number;
  /** With `rfi`: the file answering each sample's request, by sample key. */
  rfiFiles: Record<string, { id: string; name: string; bytes: Buffer }>;
}

export interface RfiOptions {
  providerEmail: string;
  /** The attribute whose evidence each sample's request asks for. */
  attribute: string;
}

/** A small PDF whose text names the sample, so a download can be told apart. */
const pdfOf = (key: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% statement of loan ${key}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );

export async function createTestExecutionFixture(
  sql: postgres.Sql,
  options: SamplingFixtureOptions & { samples: number; reviewerEmail?: string; rfi?: RfiOptions },
): Promise<TestExecutionFixture> {
  const f = await createSamplingFixture(sql, options);
  const reviewerEmail = options.reviewerEmail ?? "tester2@example.com";
  const selected = await sql.begin(async (tx) => {
    const [v] = await tx<[{ id: string }]>`select id from public.create_version(${f.phaseId})`;
    await tx`select public.run_sample_selection(${v.id}, ${f.dataSourceId}, 'loan_id', 'simple_random',
               ${tx.json({ basis: "tester_set", size: options.samples, reason: "fixture" })}, '{}', '[]', null, 'fixture')`;
    await tx`update public.sample_decisions set tester_decision = 'approved' where version_id = ${v.id}`;
    await tx`select public.submit_version(${v.id})`;
    await tx`update public.sample_decisions set report_owner_decision = 'approved' where version_id = ${v.id}`;
    await tx`select public.approve_version(${v.id})`;
    // The manual activities are ticked; those a record would prove but this fixture's data does not are skipped.
    await tx`select tests.finish_activities(${f.phaseId})`;
    await tx`select public.complete_phase(${f.phaseId})`;
    const phases = await tx<{ phase_name: string; id: string }[]>`
      select phase_name, id from public.workflow_phases where cycle_report_id = ${f.cycleReportId}`;
    return { versionId: v.id, phase: (name: string) => phases.find((p) => p.phase_name === name)!.id };
  });
  const rfiFiles = options.rfi ? await answerRequestsForInformation(sql, f, selected, options.rfi) : {};
  return await sql.begin(async (tx) => {
    if (!options.rfi) {
      await tx`update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
                where id = ${selected.phase("request_info")}`;
    }
    await tx`insert into public.cycle_report_testers (cycle_report_id, tester_id)
              select ${f.cycleReportId}, id from public.profiles where email = ${reviewerEmail}`;
    await tx`select public.start_phase(${selected.phase("test_execution")})`;
    return {
      ...f,
      reviewerEmail,
      sampleSelectionVersionId: selected.versionId,
      testPhaseId: Number(selected.phase("test_execution")),
      rfiFiles,
    };
  });
}

async function answerRequestsForInformation(
  sql: postgres.Sql,
  f: SamplingFixture,
  selected: { versionId: string; phase: (name: string) => string },
  rfi: RfiOptions,
): Promise<TestExecutionFixture["rfiFiles"]> {
  const phaseId = selected.phase("request_info");
  const requests = await sql.begin(async (tx) => {
    await tx`select public.start_phase(${phaseId})`;
    const items = await tx<{ attribute_id: string; sample_id: string }[]>`
      select a.id as attribute_id, s.id as sample_id
        from public.sample_decisions s
        join public.planning_attributes a on a.version_id = ${f.planningVersionId} and a.name = ${rfi.attribute}
       where s.version_id = ${selected.versionId} and s.item_status = 'approved'`;
    const made = await tx<{ id: number }[]>`
      select r.id from public.create_requests(${phaseId}, ${tx.json(items)},
        (select id from public.profiles where email = ${rfi.providerEmail}), current_date + 7, 'Evidence', null, true) r`;
    for (const r of made) await tx`select public.send_request(${r.id})`;
    return await tx<{ id: number; sample_key: string }[]>`
      select r.id, s.sample_key from public.requests r
        join public.request_items i on i.request_id = r.id
        join public.sample_decisions s on s.id = i.sample_id
       where r.id in ${tx(made.map((r) => r.id))}`;
  });
  // The provider answers through the gateway: the object into the request's folder, then its record.
  const provider = await signIn(rfi.providerEmail);
  const files: TestExecutionFixture["rfiFiles"] = {};
  for (const r of requests) {
    const name = `statement-${r.sample_key}.pdf`;
    const path = `${f.cycleReportId}/${r.id}/${name}`;
    const bytes = pdfOf(r.sample_key);
    const stored = await provider.client.storage
      .from("evidence")
      .upload(path, bytes, { contentType: "application/pdf" });
    if (stored.error) throw new Error(`upload failed: ${stored.error.message}`);
    const response = await provider.client
      .from("request_responses")
      .insert({ request_id: r.id, body: `The statement of loan ${r.sample_key}` })
      .select("id")
      .single();
    if (response.error) throw new Error(`response failed: ${response.error.message}`);
    const file = await provider.client
      .from("request_files")
      .insert({
        response_id: (response.data as { id: number }).id,
        object_path: path,
        file_name: name,
        content_type: "application/pdf",
        size_bytes: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      })
      .select("id")
      .single();
    if (file.error) throw new Error(`file record failed: ${file.error.message}`);
    const handed = await provider.client.rpc("respond_to_request", { p_request_id: r.id });
    if (handed.error) throw new Error(`respond failed: ${handed.error.message}`);
    files[r.sample_key] = { id: (file.data as { id: string }).id, name, bytes };
  }
  await sql.begin(async (tx) => {
    for (const r of requests) await tx`select public.accept_request(${r.id})`;
    await tx`select tests.finish_activities(${phaseId})`;
    await tx`select public.complete_phase(${phaseId})`;
  });
  return files;
}
