import type { SupabaseClient, User } from "@supabase/supabase-js";
import { z } from "zod";
import { conclusionForm } from "./test-report-forms";
import type { Database, Json } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { formatTime } from "./format";
import {
  type ActionResult,
  changed,
  dispatchIntent,
  type Handler,
  handler,
  listVersions,
  refused,
  uuid,
  versionActionHandlers,
  versionForm,
  type VersionView,
} from "./versions.server";

type Client = SupabaseClient<Database>;

export interface TestReportPage {
  cycleReport: { id: number; title: string; regulation: string };
  phase: { id: number; status: string } | null;
  works: boolean;
  reviews: boolean;
  versions: VersionView[];
  version: VersionView | null;
  report: {
    id: string;
    content: Json;
    checksum: string;
    generatedAt: string | null;
    conclusion: string | null;
    signed: boolean;
  } | null;
}

export async function loadTestReportPage(
  supabase: Client,
  user: User,
  cycleReportId: number,
  search: URLSearchParams,
): Promise<TestReportPage | null> {
  const viewer = await viewerOf(supabase, user);
  const cycleReport = await getCycleReport(supabase, viewer, cycleReportId);
  if (!cycleReport) return null;
  const phase = cycleReport.phases.find((p) => p.name === "test_report") ?? null;
  const versions = phase ? await listVersions(supabase, phase.id) : [];
  const version = versions.find((v) => v.id === search.get("version")) ?? versions[0] ?? null;
  let report: TestReportPage["report"] = null;
  if (version) {
    const { data, error } = await supabase.from("test_reports").select("*").eq("version_id", version.id).maybeSingle();
    if (error) throw new Error(`test report query failed: ${error.message}`);
    if (data)
      report = {
        id: data.id,
        content: data.content,
        checksum: data.content_checksum,
        generatedAt: formatTime(data.generated_at),
        conclusion: data.conclusion,
        signed: data.tester_decision === "approved",
      };
  }
  return {
    cycleReport: {
      id: cycleReport.id,
      title: `${cycleReport.reportName} · ${cycleReport.cycleName}`,
      regulation: cycleReport.regulation,
    },
    phase: phase ? { id: phase.id, status: phase.status } : null,
    works: cycleReport.relationship.works,
    reviews: cycleReport.relationship.reviews,
    versions,
    version,
    report,
  };
}

const handlers: Record<string, Handler> = {
  ...versionActionHandlers({ items: { report: "test_reports" } }),
  save_conclusion: handler(
    conclusionForm,
    async (supabase, f) =>
      changed(
        "save_conclusion",
        supabase
          .from("test_reports")
          .update({ conclusion: f.conclusion || null })
          .eq("version_id", f.version_id)
          .select("id"),
        { version: f.version_id },
      ),
    { sayFields: true },
  ),
  sign: handler(versionForm, async (supabase, f) =>
    changed(
      "sign",
      supabase.from("test_reports").update({ tester_decision: "approved" }).eq("version_id", f.version_id).select("id"),
      { version: f.version_id },
    ),
  ),
  refresh: handler(z.object({ version_id: uuid }), async (supabase, f) => {
    const { error, status } = await supabase.rpc("refresh_test_report", { p_version_id: f.version_id });
    return error ? refused("refresh", error, status) : { ok: true, search: { version: f.version_id } };
  }),
};

export function runTestReportAction(supabase: Client, form: FormData): Promise<ActionResult> {
  return dispatchIntent(supabase, form, handlers);
}
