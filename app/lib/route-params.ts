/** Route parameters and workspace addresses, shared by every phase's routes. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);

/** A route's `$id` as a cycle report id; anything else is a 404, as an absent report is. */
export function cycleReportIdOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

/** A route's job or version id (`$runId`, `$jobId`); anything else is a 404. */
export function uuidParamOf(param: string | undefined): string {
  if (!isUuid(param)) throw new Response("Not found", { status: 404 });
  return param;
}

/** The workspaces by their address segment (the phase's route). */
export type WorkspaceSegment =
  "planning" | "scoping" | "profiling" | "sampling" | "testing" | "observations" | "report";

/** The workspace of a phase, by the phase's name, for links from the cycle report page. */
export const workspaceOfPhase: Partial<Record<string, { segment: WorkspaceSegment; label: string }>> = {
  planning: { segment: "planning", label: "Planning workspace" },
  scoping: { segment: "scoping", label: "Scoping workspace" },
  data_profiling: { segment: "profiling", label: "Data profiling workspace" },
  sample_selection: { segment: "sampling", label: "Sample selection workspace" },
  test_execution: { segment: "testing", label: "Test execution workspace" },
  observation_mgmt: { segment: "observations", label: "Observations" },
  test_report: { segment: "report", label: "Test report" },
};

/** A phase workspace's address with a query, for redirects after actions and for links. */
export function workspacePath(
  cycleReportId: number,
  segment: WorkspaceSegment,
  query: Record<string, string> = {},
): string {
  const search = new URLSearchParams(query).toString();
  return `/cycle-reports/${cycleReportId}/${segment}${search ? `?${search}` : ""}`;
}
