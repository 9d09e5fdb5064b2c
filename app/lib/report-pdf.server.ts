import PDFDocument from "pdfkit";
import type { FrozenReport } from "./report-export.server";
import { stampLine } from "./report-export.server";
import { reportTables, summaryLines, type ReportTable } from "./report-sections";

type Doc = PDFKit.PDFDocument;

const margin = 40;
const headerHeight = 22;
const footerHeight = 30;
const body = 9;
const small = 7;

/**
 * The frozen test report as a PDF for signature (A4 landscape): the summary, the conclusion and the signature block
 * (preparer, submitter, approver), then each table (scope, rules and results, samples with lineage, test cases,
 * observations). Every page carries the report's title at the top and, at the bottom, the stamp line (version,
 * approver, content checksum) with the page number, so a single page still says which signed content it belongs to.
 */
export async function reportPdf(report: FrozenReport): Promise<Buffer> {
  const title = `Test report · ${report.reportName} · ${report.cycleName}`;
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    bufferPages: true,
    margins: { top: margin + headerHeight, bottom: margin + footerHeight, left: margin, right: margin },
    info: {
      Title: `${title} · version ${report.version.number}`,
      Subject: `Content SHA-256 ${report.checksum}`,
      Creator: "RegTest",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(16).text(title);
  doc.font("Helvetica").fontSize(body).text(report.regulation).moveDown();
  labelled(doc, [
    ["Version", `${report.version.number} (${report.version.status.replace("_", " ")})`],
    ["Content SHA-256", report.checksum],
    ["Generated", report.generatedAt ?? "—"],
    ...summaryLines(report.content),
  ]);
  heading(doc, "Conclusion");
  doc
    .font("Helvetica")
    .fontSize(body)
    .text(report.conclusion || "—");
  heading(doc, "Signatures");
  labelled(doc, [
    ["Prepared and signed by", report.preparer ?? "—"],
    ["Submitted by", [report.version.submittedBy, report.version.submittedAt].filter(Boolean).join(", ") || "—"],
    [
      "Approved by (report owner)",
      [report.version.approvedBy, report.version.approvedAt].filter(Boolean).join(", ") || "not approved",
    ],
  ]);
  for (const table of reportTables(report.content)) {
    doc.addPage();
    drawTable(doc, table);
  }

  const stamp = stampLine(report);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the margins must not start a new page.
    const { top, bottom } = doc.page.margins;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - 2 * margin;
    doc.font("Helvetica").fontSize(small).fillColor("#475569");
    doc.text(title, margin, margin, { width, lineBreak: false });
    doc.text(stamp, margin, doc.page.height - margin - footerHeight + 8, { width, lineBreak: false });
    doc.text(`Page ${i + 1} of ${range.count}`, margin, doc.page.height - margin - footerHeight + 18, {
      width,
      lineBreak: false,
    });
    doc.fillColor("black");
    doc.page.margins.top = top;
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return await done;
}

function heading(doc: Doc, text: string) {
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(12).text(text, margin);
  doc.moveDown(0.3);
}

function labelled(doc: Doc, lines: [string, string][]) {
  const labelWidth = 150;
  const width = doc.page.width - 2 * margin - labelWidth;
  for (const [label, value] of lines) {
    const height = Math.max(
      doc
        .font("Helvetica-Bold")
        .fontSize(body)
        .heightOfString(label, { width: labelWidth - 8 }),
      doc.font("Helvetica").fontSize(body).heightOfString(value, { width }),
    );
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    doc.font("Helvetica-Bold").text(label, margin, y, { width: labelWidth - 8 });
    doc.font("Helvetica").text(value, margin + labelWidth, y, { width });
    doc.x = margin;
    doc.y = y + height + 3;
  }
}

const text = (cell: ReportTable["rows"][number][number]) =>
  cell === null ? "—" : typeof cell === "boolean" ? (cell ? "yes" : "no") : String(cell);

/** A table over as many pages as it needs, its header row repeated on each. */
function drawTable(doc: Doc, table: ReportTable) {
  doc.font("Helvetica-Bold").fontSize(12).text(table.title, margin);
  doc.moveDown(0.3);
  if (!table.rows.length) {
    doc.font("Helvetica").fontSize(body).text(table.empty, margin);
    return;
  }
  const available = doc.page.width - 2 * margin;
  const total = table.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = table.columns.map((c) => (c.width / total) * available);
  const pad = 2;
  const row = (cells: string[], bold: boolean) => {
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(small);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const draw = (cells: string[], bold: boolean, height: number) => {
    const y = doc.y;
    let x = margin;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(small);
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad });
      x += widths[i]!;
    });
    doc
      .moveTo(margin, y + height)
      .lineTo(margin + available, y + height)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor("#94a3b8")
      .stroke();
    doc.x = margin;
    doc.y = y + height;
  };
  const header = table.columns.map((c) => c.label);
  const headerHeightOf = row(header, true);
  draw(header, true, headerHeightOf);
  for (const cells of table.rows.map((r) => r.map(text))) {
    const height = row(cells, false);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      doc.font("Helvetica-Bold").fontSize(body).text(`${table.title} (continued)`, margin);
      doc.moveDown(0.3);
      draw(header, true, headerHeightOf);
    }
    draw(cells, false, height);
  }
}
