import type { SupabaseClient } from "@supabase/supabase-js";
import { ruleDefinitionSchema } from "../../supabase/functions/_shared/rules/definition.ts";
import { describeRule } from "../../supabase/functions/_shared/rules/describe.ts";
import type { Database } from "~/types/database";
import { formatTime, personName, type Person, type Stamp } from "./format";
import { generationResultOf, readGenerationJob, type GenerationResult } from "./generation.server";
import { type Proposal, proposalOf } from "./proposal";
import { readAll } from "./read-all.server";
import { listVersions, type VersionView } from "./versions.server";

type Client = SupabaseClient<Database>;
type Tables = Database["public"]["Tables"];
export type VersionStatus = Database["public"]["Enums"]["version_status"];
export type Decision = Database["public"]["Enums"]["review_decision"];
export type JobStatus = Database["public"]["Enums"]["job_status"];

/** The job type the profiling function queues for a run of a version's rules. */
export const PROFILING_JOB_TYPE = "profiling.execute";

export interface ProfilingPhase {
  id: number;
  status: Database["public"]["Enums"]["phase_status"];
}

/** A data-profiling version: the kit's version with what the last rule generation proposed and cost. */
export interface ProfilingVersion extends VersionView {
  rejectionReason: string | null;
  generation: GenerationResult | null;
}

export interface ProfilingRule {
  id: string;
  name: string;
  attribute: string;
  attributeId: string;
  /** The stored definition (rule language), for the edit form. */
  definitionJson: Database["public"]["Tables"]["profiling_rules"]["Row"]["definition"];
  ruleType: string;
  severity: string;
  /** The definition in words, e.g. "amount between 0 and 1,000,000,000". */
  definition: string;
  status: Database["public"]["Enums"]["item_status"];
  testerDecision: Decision | null;
  testerNotes: string | null;
  ownerDecision: Decision | null;
  ownerNotes: string | null;
  /** Set when generation proposed the rule: by which provider, how confident, and why. */
  proposal: Proposal | null;
}

export interface AttributeOption {
  id: string;
  name: string;
  column: string;
  columnType: string;
  /** The other columns of the attribute's data source, in table order (for comparisons and combined keys). */
  columns: { name: string; type: string }[];
}

/** What a progress bar shows of a background job. */
export interface JobState {
  id: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  error: string | null;
}

/** A rule-generation job: its progress, and once it has completed what it proposed and what it cost. */
export interface GenerationState extends JobState {
  result: GenerationResult | null;
}

export interface Run extends JobState {
  versionId: string | null;
  versionNumber: number | null;
  started: Stamp;
  completedAt: string | null;
}

export interface RuleResult {
  id: number;
  ruleName: string;
  attribute: string;
  severity: string;
  definition: string;
  status: string;
  total: number | null;
  passed: number | null;
  failed: number | null;
  passRate: number | null;
  durationMs: number;
  sample: Record<string, unknown>[];
  /** The source table's columns in table order, with their types (the sample's columns are shown so). */
  sampleColumns: { name: string; type: string }[];
  /** The data request's accepted source the rule ran on (its name), or null for the attribute's planning source. */
  requestSource: string | null;
  /** The columns the rule reads, highlighted in the sample. */
  ruleColumns: string[];
  error: string | null;
  isAnomaly: boolean;
  anomalyNote: string | null;
  anomalyMarked: Stamp;
}

export interface RateDelta {
  key: string;
  ruleName: string;
  attribute: string;
  before: number | null;
  after: number | null;
  delta: number | null;
}

/** A stored definition in words; one the app cannot read (a newer kind) is shown as its JSON. */
export function definitionInWords(definition: unknown): string {
  const parsed = ruleDefinitionSchema.safeParse(definition);
  return parsed.success ? describeRule(parsed.data) : JSON.stringify(definition);
}

/** One kind's entry of a version's generation_summary ({profiling_rules: {...}}); undefined when there is none. */
function summaryOf(summary: unknown, kind: string): unknown {
  return summary && typeof summary === "object" && !Array.isArray(summary)
    ? (summary as Record<string, unknown>)[kind]
    : undefined;
}

function fail(what: string, error: { message: string }): never {
  throw new Error(`${what} failed: ${error.message}`);
}

export async function getProfilingPhase(supabase: Client, cycleReportId: number): Promise<ProfilingPhase | null> {
  const { data, error } = await supabase
    .from("workflow_phases")
    .select("id, status")
    .eq("cycle_report_id", cycleReportId)
    .eq("phase_name", "data_profiling")
    .maybeSingle();
  if (error) fail("profiling phase query", error);
  return data;
}

/** The phase's versions, newest first. */
/** Every version of the phase, newest first (the kit's list), with the last generation's summary. */
export async function listProfilingVersions(supabase: Client, phaseId: number): Promise<ProfilingVersion[]> {
  return (await listVersions(supabase, phaseId)).map((v) => ({
    ...v,
    rejectionReason: v.rejected.reason,
    generation: generationResultOf(summaryOf(v.generationSummary, "profiling_rules")),
  }));
}

/** Every rule of a version, in execution order (a version may hold thousands: read in pages). */
export async function listRules(supabase: Client, versionId: string): Promise<ProfilingRule[]> {
  const data = await readAll("profiling rules query", (from, to) =>
    supabase
      .from("profiling_rules")
      .select(
        `id, name, rule_type, severity, definition, item_status, tester_decision, tester_notes,
         report_owner_decision, report_owner_notes, llm_metadata, attribute_id, planning_attributes(name)`,
      )
      .eq("version_id", versionId)
      .order("execution_order")
      .order("name")
      .order("id")
      .range(from, to),
  );
  return data.map((r) => ({
    id: r.id,
    name: r.name,
    attribute: r.planning_attributes?.name ?? "",
    attributeId: r.attribute_id,
    definitionJson: r.definition,
    ruleType: r.rule_type,
    severity: r.severity,
    definition: definitionInWords(r.definition),
    status: r.item_status,
    testerDecision: r.tester_decision,
    testerNotes: r.tester_notes,
    ownerDecision: r.report_owner_decision,
    ownerNotes: r.report_owner_notes,
    proposal: proposalOf(r.llm_metadata, "confidence"),
  }));
}

interface SchemaColumn {
  name?: unknown;
  type?: unknown;
  pgType?: unknown;
}

/** The approved attributes of a planning version that map to a column, which is what rules may check. */
export async function listAttributeOptions(
  supabase: Client,
  planningVersionId: string,
  cycleReportId: number,
): Promise<AttributeOption[]> {
  // Rules are written for attributes in scope only (the approved scoping version, or all when scoping was skipped).
  const inScope = new Set(
    await readAll("scope query", (from, to) =>
      supabase.rpc("in_scope_attribute_ids", { p_cycle_report_id: cycleReportId }).range(from, to),
    ),
  );
  const data = await readAll("planning attributes query", (from, to) =>
    supabase
      .from("planning_attributes")
      .select("id, name, source_column, planning_data_sources(schema)")
      .eq("version_id", planningVersionId)
      .eq("item_status", "approved")
      .not("source_column", "is", null)
      .order("name")
      .order("id")
      .range(from, to),
  );
  return data
    .filter((a) => inScope.has(a.id))
    .map((a) => {
      const schema = a.planning_data_sources?.schema as { columns?: SchemaColumn[] } | null;
      const column = schema?.columns?.find((c) => c.name === a.source_column);
      return {
        id: a.id,
        name: a.name,
        column: a.source_column ?? "",
        columnType: String(column?.pgType ?? column?.type ?? "text"),
        columns: (schema?.columns ?? [])
          .filter((c) => typeof c.name === "string" && c.name !== a.source_column)
          .map((c) => ({ name: String(c.name), type: String(c.pgType ?? c.type ?? "text") })),
      };
    });
}

const RUN_COLUMNS = `id, status, progress, progress_message, error, version_id, created_at, completed_at,
  creator:profiles!created_by(full_name, email)`;

type RunRow = Pick<
  Tables["background_jobs"]["Row"],
  "id" | "status" | "progress" | "progress_message" | "error" | "version_id" | "created_at" | "completed_at"
> & { creator: Person | null };

function toRun(row: RunRow, versionNumbers: Map<string, number>): Run {
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    message: row.progress_message,
    error: row.error,
    versionId: row.version_id,
    versionNumber: row.version_id ? (versionNumbers.get(row.version_id) ?? null) : null,
    started: { by: personName(row.creator), at: formatTime(row.created_at) },
    completedAt: formatTime(row.completed_at),
  };
}

/** Every run of the cycle report's profiling rules, newest first. */
export async function listRuns(supabase: Client, cycleReportId: number, versions: ProfilingVersion[]): Promise<Run[]> {
  const data = await readAll("profiling runs query", (from, to) =>
    supabase
      .from("background_jobs")
      .select(RUN_COLUMNS)
      .eq("cycle_report_id", cycleReportId)
      .eq("job_type", PROFILING_JOB_TYPE)
      .order("created_at", { ascending: false })
      .order("id", { ascending: false })
      .range(from, to),
  );
  const numbers = new Map(versions.map((v) => [v.id, v.number]));
  return data.map((row) => toRun(row, numbers));
}

/** One run's state, for the progress bar; null when it is absent or not visible. */
export async function getRunProgress(supabase: Client, cycleReportId: number, runId: string): Promise<JobState | null> {
  const { data, error } = await supabase
    .from("background_jobs")
    .select("id, status, progress, progress_message, error")
    .eq("id", runId)
    .eq("cycle_report_id", cycleReportId)
    .eq("job_type", PROFILING_JOB_TYPE)
    .maybeSingle();
  if (error) fail("profiling run query", error);
  if (!data) return null;
  return {
    id: data.id,
    status: data.status,
    progress: data.progress,
    message: data.progress_message,
    error: data.error,
  };
}

/** The columns a definition reads: its column(s), both sides of a comparison, every column of an expression. */
export function ruleColumnsOf(definition: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (typeof n.column === "string") found.add(n.column);
    if (Array.isArray(n.args)) n.args.forEach(walk);
  };
  const d = (definition ?? {}) as Record<string, unknown>;
  if (typeof d.column === "string") found.add(d.column);
  if (Array.isArray(d.columns)) for (const c of d.columns) if (typeof c === "string") found.add(c);
  for (const side of [d.left, d.right]) if (typeof side === "string") found.add(side);
  walk(d.expression);
  return [...found];
}

/** A run's results in the rules' execution order. */
export async function listResults(supabase: Client, runId: string): Promise<RuleResult[]> {
  const data = await readAll("profiling results query", (from, to) =>
    supabase
      .from("profiling_rule_results")
      .select(
        `id, status, total_count, passed_count, failed_count, pass_rate, duration_ms, error,
         is_anomaly, anomaly_note, anomaly_marked_at,
         marker:profiles!anomaly_marked_by(full_name, email),
         request_data_sources(name, schema),
         profiling_rules(name, severity, definition, execution_order,
           planning_attributes(name, planning_data_sources(schema)))`,
      )
      .eq("execution_id", runId)
      .order("id")
      .range(from, to),
  );
  // The failing rows are read masked by the classification of the moment, one call for the run (the rows hold none).
  const samples = await readAll("failed samples query", (from, to) =>
    supabase.rpc("run_failed_samples", { p_execution_id: runId }).range(from, to),
  );
  const sampleOf = new Map(samples.map((s) => [s.result_id, s.failed_sample]));
  const ordered = [...data].sort(
    (a, b) =>
      (a.profiling_rules?.execution_order ?? 0) - (b.profiling_rules?.execution_order ?? 0) ||
      (a.profiling_rules?.name ?? "").localeCompare(b.profiling_rules?.name ?? ""),
  );
  return ordered.map((r) => ({
    id: r.id,
    ruleName: r.profiling_rules?.name ?? "",
    attribute: r.profiling_rules?.planning_attributes?.name ?? "",
    severity: r.profiling_rules?.severity ?? "",
    definition: definitionInWords(r.profiling_rules?.definition),
    status: r.status,
    total: r.total_count,
    passed: r.passed_count,
    failed: r.failed_count,
    passRate: r.pass_rate === null ? null : Number(r.pass_rate),
    durationMs: r.duration_ms,
    sample: (() => {
      const rows = sampleOf.get(r.id);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    })(),
    sampleColumns: (
      (
        (r.request_data_sources?.schema ?? r.profiling_rules?.planning_attributes?.planning_data_sources?.schema) as {
          columns?: SchemaColumn[];
        } | null
      )?.columns ?? []
    )
      .filter((c) => typeof c.name === "string")
      .map((c) => ({ name: String(c.name), type: String(c.pgType ?? c.type ?? "text") })),
    ruleColumns: ruleColumnsOf(r.profiling_rules?.definition),
    requestSource: r.request_data_sources?.name ?? null,
    error: r.error,
    isAnomaly: r.is_anomaly,
    anomalyNote: r.anomaly_note,
    anomalyMarked: { by: personName(r.marker), at: formatTime(r.anomaly_marked_at) },
  }));
}

/**
 * Pass-rate changes per rule between two runs. Rules are matched by attribute and name, because a new
 * version's rules are copies with new ids; a rule present in one run only shows a blank on the other side.
 */
export function compareResults(before: RuleResult[], after: RuleResult[]): RateDelta[] {
  const rows = new Map<string, RateDelta>();
  const keyOf = (r: RuleResult) => `${r.attribute}\u0000${r.ruleName}`;
  for (const r of before) {
    rows.set(keyOf(r), {
      key: keyOf(r),
      ruleName: r.ruleName,
      attribute: r.attribute,
      before: r.passRate,
      after: null,
      delta: null,
    });
  }
  for (const r of after) {
    const row = rows.get(keyOf(r)) ?? {
      key: keyOf(r),
      ruleName: r.ruleName,
      attribute: r.attribute,
      before: null,
      after: null,
      delta: null,
    };
    row.after = r.passRate;
    rows.set(row.key, row);
  }
  return [...rows.values()].map((row) => ({
    ...row,
    delta: row.before !== null && row.after !== null ? Math.round((row.after - row.before) * 100) / 100 : null,
  }));
}

/** A rule-generation job's state, for its progress bar and summary; null when it is absent or not visible. */
export async function getGenerationProgress(supabase: Client, jobId: string): Promise<GenerationState | null> {
  const job = await readGenerationJob(supabase, jobId);
  return job
    ? {
        id: jobId,
        status: job.status,
        progress: job.progress,
        message: job.progressMessage,
        error: job.error,
        result: job.result,
      }
    : null;
}
