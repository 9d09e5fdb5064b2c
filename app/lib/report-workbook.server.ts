import writeXlsxFile, { type SheetData } from "write-excel-file/node";
import type { FrozenReport } from "./report-export.server";
import { stampLine } from "./report-export.server";
import { reportTables, summaryLines } from "./report-sections";

/**
 * The frozen test report as an Excel workbook: a summary sheet (the report, the signatures, the sample design,
 * results, observations by severity and the conclusion), then one sheet per table (scope, rules and results, samples
 * with lineage, test cases, observations). Every sheet opens with the report's title and the stamp line (version,
 * approver, content checksum), so a sheet copied out of the workbook still says which signed content it is.
 */
export async function reportWorkbook(report: FrozenReport): Promise<Buffer> {
  const title = `Test report · ${report.reportName} · ${report.cycleName}`;
  const head = (section: string): SheetData => [
    [{ value: `${title} · ${section}`, fontWeight: "bold" }],
    [stampLine(report)],
    [],
  ];
  const summary: SheetData = [
    ...head("Summary"),
    ["Version", report.version.number],
    ["Status", report.version.status.replace("_", " ")],
    ["Content SHA-256", report.checksum],
    ["Generated", report.generatedAt],
    ["Prepared (signed) by", report.preparer],
    ["Submitted", [report.version.submittedBy, report.version.submittedAt].filter(Boolean).join(" ") || null],
    ["Approved", [report.version.approvedBy, report.version.approvedAt].filter(Boolean).join(" ") || null],
    ...summaryLines(report.content).map(([label, value]) => [label, value]),
    ["Conclusion", { value: report.conclusion ?? "", wrap: true }],
  ];
  const sheets = [
    { sheet: "Summary", data: summary, columns: [{ width: 26 }, { width: 100 }] },
    ...reportTables(report.content).map((table) => ({
      sheet: table.title,
      columns: table.columns.map((c) => ({ width: c.width })),
      data: [
        ...head(table.title),
        table.columns.map((c) => ({ value: c.label, fontWeight: "bold" as const })),
        ...(table.rows.length ? table.rows.map((row) => row.map((cell) => cell ?? null)) : [[table.empty]]),
      ] satisfies SheetData,
      stickyRowsCount: 4,
    })),
  ];
  return await writeXlsxFile(sheets).toBuffer();
}
