// The test report's form schema, read by the browser (errors beside their fields before anything is sent) and by
// the server (test-report.server.ts), so both say the same about the same values.
import { z } from "zod";
import { versionForm } from "./version-forms";

/** The tester's conclusion (test_reports.conclusion holds 20,000 characters); blank clears it. */
export const conclusionForm = versionForm.extend({
  conclusion: z.string().trim().max(20_000, "Keep the conclusion under 20,000 characters.").default(""),
});
