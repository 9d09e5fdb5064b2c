import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadReport } from "~/lib/report-download.server";
import { reportPdf } from "~/lib/report-pdf.server";

/** The frozen test report as a PDF for signature (?version=…, else the approved or latest submitted version). */
export const loader = (args: LoaderFunctionArgs) =>
  downloadReport(args, { extension: "pdf", contentType: "application/pdf", render: reportPdf });
