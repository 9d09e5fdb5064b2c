import { type DatabaseError, refusalOf, type Refusal } from "./refusal";

// Titles for the reasons planning work can be refused (docs/database.md, "Planning"); anything else keeps the
// cycle report page's titles.
const planningTitles: Record<string, string> = {
  version_not_draft: "The version is no longer a draft",
  version_not_pending: "The version is not awaiting approval",
  version_empty: "The version has nothing in it yet",
  tester_decisions_missing: "Every item needs a decision first",
  open_version_exists: "A version is already open",
  approver_is_submitter: "Someone else must approve this version",
  approve_requires_report_owner: "Only the report owner can do this",
  reject_requires_report_owner: "Only the report owner can do this",
  rejection_reason_required: "Say why the version is rejected",
  submit_requires_tester: "Only the assigned tester can do this",
  version_create_requires_tester: "Only the assigned tester can do this",
  item_edit_requires_tester: "Only the assigned tester can do this",
  tester_decision_requires_tester: "Only the assigned tester can do this",
  tester_decision_not_in_draft: "Decisions are recorded in drafts only",
  source_column_not_in_schema: "That column is not in the data source",
  data_source_schema_unknown: "Test the data source's connection first",
  source_column_without_data_source: "Choose the data source of the column",
  invalid_classification: "The classification is not valid",
  already_exists: "That name is already taken",
  still_referenced: "Still in use",
  too_large: "The file is too large",
  empty_file: "The file is empty",
  no_rows: "The file has no rows",
  bad_encoding: "The file is not UTF-8 text",
  bad_header: "The header row is not valid",
  ragged_row: "A row has the wrong number of fields",
  unterminated_quote: "A quoted field is not closed",
  bad_quote: "A quote is misplaced",
  record_too_large: "A row is too large",
  row_too_wide: "A row is too wide for a database table",
  beyond_database_limits: "The file is beyond the database's limits",
  bad_value: "The database refused a value",
  auth_failed: "The database refused the user name or password",
  unreachable: "The database could not be reached",
  table_not_found: "The table was not found",
  invalid_request: "Some fields are missing or invalid",
};

/** The banner for refused planning work, worded like the cycle report page's refusals. */
export function refusalOfPlanning(error: DatabaseError, status: number): Refusal {
  // Unique names and foreign keys are plain constraint errors in the database, and common in forms.
  if (error.code === "23505") {
    return { title: planningTitles.already_exists!, message: "Choose another name or code.", hint: null, reason: null };
  }
  if (error.code === "23503") {
    return {
      title: planningTitles.still_referenced!,
      message: "Something else still refers to this item; change that first.",
      hint: null,
      reason: null,
    };
  }
  const refusal = refusalOf(error, status);
  const title = refusal.reason ? planningTitles[refusal.reason] : undefined;
  return title ? { ...refusal, title } : refusal;
}

/** A refusal the app itself gives for a form it cannot send (the database never saw it). */
export function invalidForm(message: string): Refusal {
  return { title: "Some fields are missing or invalid", message, hint: null, reason: "invalid_form" };
}

/** The banner for an upload refused without JavaScript (the reason comes back in the address). */
export function uploadRefusal(reason: string): Refusal {
  return {
    title: planningTitles[reason] ?? "The file was not loaded",
    message: "Nothing was loaded. Check the file and upload it again; with JavaScript on, the line at fault is named.",
    hint: null,
    reason,
  };
}
