import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadReport } from "~/lib/report-download.server";
import { reportWorkbook } from "~/lib/report-workbook.server";

/** The frozen test report as an Excel workbook (?version=…, else the approved or latest submitted version). */
export const loader = (args: LoaderFunctionArgs) =>
  downloadReport(args, {
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    render: reportWorkbook,
  });
