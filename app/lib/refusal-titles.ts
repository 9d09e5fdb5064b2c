/**
 * The one map of refusal titles: a stable reason (the database's `details`, an edge function's `code`) to the
 * heading of its banner. Every workspace and page uses it, so a reason reads the same wherever it is met; the
 * message under the title is the database's, written for people (docs/database.md, "Error codes").
 * A reason not listed here is titled by its HTTP status (refusal.ts).
 */
export const refusalTitles: Record<string, string> = {
  // Phases and activities
  phase_dependencies_incomplete: "Earlier phases must be completed first",
  phase_not_startable: "This phase has already started",
  phase_not_in_progress: "The phase is not in progress",
  activities_incomplete: "Required activities are still open",
  version_open: "A version is still open",
  approved_version_required: "An approved version is needed first",
  start_requires_tester: "Only the assigned tester can do this",
  complete_requires_tester: "Only the assigned tester can do this",
  activity_requires_tester: "Only the assigned tester can do this",
  skip_required_activity_requires_admin: "Only an admin can skip this",
  illegal_activity_transition: "Not possible in the activity's current state",
  phase_not_found: "Phase not found",
  activity_not_found: "Activity not found",

  // Versions and item decisions (every phase)
  open_version_exists: "A version is already open",
  approved_planning_version_required: "Planning needs an approved version first",
  version_not_pending: "The version is not awaiting approval",
  version_empty: "The version has nothing in it yet",
  tester_decisions_missing: "Every item needs a decision first",
  owner_decisions_missing: "Every item needs the owner's decision first",
  approver_is_submitter: "Someone else must approve this version",
  approve_requires_report_owner: "Only the report owner can do this",
  reject_requires_report_owner: "Only the report owner can do this",
  rejection_reason_required: "Say why the version is rejected",
  submit_requires_tester: "Only the assigned tester can do this",
  version_create_requires_tester: "Only the assigned tester can do this",
  item_edit_requires_tester: "Only the assigned tester can do this",
  tester_decision_requires_tester: "Only the assigned tester can do this",
  owner_decision_requires_report_owner: "Only the report owner can do this",
  tester_decision_not_in_draft: "Tester decisions are recorded in drafts only",
  owner_decision_not_pending: "Owner decisions are recorded while a version awaits approval",
  item_table_not_of_phase: "These items do not belong to the version's phase",
  invalid_form: "Some fields are missing or invalid",

  // Planning
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
  auth_failed: "The database refused the user name or password",
  unreachable: "The database could not be reached",
  table_not_found: "The table was not found",
  invalid_request: "Some fields are missing or invalid",

  // Data profiling
  invalid_rule_definition: "The rule is not valid",
  rule_does_not_fit_data_source: "The rule does not fit the data source",
  attribute_not_approved: "The attribute is not approved in planning",
  attribute_has_no_data_source: "The attribute has no data source",
  version_not_approved: "Only an approved version can run",
  no_executable_rules: "There are no rules to run",
  execution_requires_tester: "Only the assigned tester can run the rules",
  anomaly_note_required: "Say why this is an anomaly",
  anomaly_requires_tester: "Only the assigned tester can mark anomalies",
};
