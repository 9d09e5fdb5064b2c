import type { SupabaseClient, User } from "@supabase/supabase-js";
import type { Database } from "~/types/database";
import { getCycleReport, viewerOf } from "./cycle-reports.server";
import { formatTime, personName } from "./format";
import { listVersions, type VersionView } from "./versions.server";

type Client = SupabaseClient<Database>;

/**
 * A test report as its exports print it: the content frozen into a submitted version, its checksum, and the
 * signatures around it (the preparer's sign-off, the submitter, the approver). Exports are made from nothing else,
 * so the PDF and the workbook say exactly what the version holds.
 */
export interface FrozenReport {
  cycleReportId: number;
  reportName: string;
  cycleName: string;
  regulation: string;
  version: {
    id: string;
    number: number;
    status: VersionView["status"];
    submittedBy: string | null;
    submittedAt: string | null;
    approvedBy: string | null;
    approvedAt: string | null;
  };
  preparer: string | null;
  content: Record<string, unknown>;
  checksum: string;
  generatedAt: string | null;
  conclusion: string | null;
}

export type FrozenReportResult = { ok: true; report: FrozenReport } | { ok: false; status: 404 | 409; message: string };

/**
 * The frozen report of a cycle report the caller may read (RLS through their client decides: anyone else gets
 * 404): the version asked for, else the approved one, else the latest submitted one. A draft is not frozen yet and
 * is not exported (409): its content still changes with the records.
 */
export async function loadFrozenReport(
  supabase: Client,
  user: User,
  cycleReportId: number,
  versionId: string | null,
): Promise<FrozenReportResult> {
  const notFound = { ok: false, status: 404, message: "No such test report." } as const;
  const viewer = await viewerOf(supabase, user);
  const cycleReport = await getCycleReport(supabase, viewer, cycleReportId);
  const phase = cycleReport?.phases.find((p) => p.name === "test_report");
  if (!cycleReport || !phase) return notFound;
  const versions = await listVersions(supabase, phase.id);
  const version = versionId
    ? versions.find((v) => v.id === versionId)
    : (versions.find((v) => v.status === "approved") ?? versions.find((v) => v.status !== "draft") ?? versions[0]);
  if (!version) return notFound;
  if (version.status === "draft")
    return {
      ok: false,
      status: 409,
      message: "A draft test report is not frozen yet: submit it to export it.",
    };
  const { data, error } = await supabase
    .from("test_reports")
    .select(
      "content, content_checksum, generated_at, conclusion, preparer:profiles!tester_decided_by(full_name, email)",
    )
    .eq("version_id", version.id)
    .maybeSingle();
  if (error) throw new Error(`test report query failed: ${error.message}`);
  if (!data) return notFound;
  const content = data.content && typeof data.content === "object" && !Array.isArray(data.content) ? data.content : {};
  return {
    ok: true,
    report: {
      cycleReportId: cycleReport.id,
      reportName: cycleReport.reportName,
      cycleName: cycleReport.cycleName,
      regulation: cycleReport.regulation,
      version: {
        id: version.id,
        number: version.number,
        status: version.status,
        submittedBy: version.submitted.by,
        submittedAt: version.submitted.at,
        approvedBy: version.approved.by,
        approvedAt: version.approved.at,
      },
      preparer: personName(data.preparer),
      content: content as Record<string, unknown>,
      checksum: data.content_checksum,
      generatedAt: formatTime(data.generated_at),
      conclusion: data.conclusion,
    },
  };
}

/** The line every page and sheet of an export carries: which version, whose signature, which content. */
export function stampLine(report: FrozenReport): string {
  const v = report.version;
  const signature = v.approvedBy
    ? `approved by ${v.approvedBy} ${v.approvedAt ?? ""}`.trim()
    : `${v.status.replace("_", " ")}, not approved`;
  return `Version ${v.number} · ${signature} · content SHA-256 ${report.checksum}`;
}

/** The file name of an export: report, cycle and version, in characters every system keeps. */
export function exportFileName(report: FrozenReport, extension: "pdf" | "xlsx"): string {
  const slug = `${report.reportName} ${report.cycleName}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `test-report-${slug}-version-${report.version.number}.${extension}`;
}
