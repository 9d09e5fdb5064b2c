import { GenerationSummary } from "~/components/generation-summary";
import { countOf } from "~/lib/format";
import type { ProfilingWorkspace } from "~/lib/profiling-workspace.server";
import { RuleForm } from "./add-rule-form";
import { JobProgress } from "./job-progress";
import { RulesTable } from "./rules-table";
import { CreateVersionForm, VersionActions } from "~/components/versions/version-actions";
import { VersionPicker } from "~/components/versions/version-picker";
import { GenerateRulesForm, RunRulesForm } from "./version-actions";

const phaseNotice: Record<string, string> = {
  not_started: "The data profiling phase has not started. Start it on the cycle report page to create rules.",
  completed: "The data profiling phase is completed; its rules and runs are read only.",
  skipped: "The data profiling phase was skipped.",
};

/** The versions of the rule set, the selected version's review table and what the user may do with it. */
export function RulesSection({ workspace }: { workspace: ProfilingWorkspace }) {
  const { cycleReport, phase, versions, version, rules, attributes, works, reviews, generation } = workspace;
  const editing = rules.find((r) => r.id === workspace.editRuleId);
  const open = versions.some((v) => v.status === "draft" || v.status === "pending_approval");
  const canCreate = works && phase.status === "in_progress" && !open;
  // What the generation proposed and cost: the followed job's result once it has completed, else what the
  // last generation left on the version (so the summary stays after the page moves on).
  const generated =
    generation && generation.status !== "completed" ? null : (generation?.result ?? version?.generation ?? null);
  return (
    <section aria-labelledby="rules-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="rules-heading" className="text-lg font-semibold tracking-tight">
          Rules
        </h2>
        {canCreate ? (
          <CreateVersionForm phaseId={phase.id} latestNumber={versions[0]?.number ?? null} copies="the rules" />
        ) : null}
      </div>
      {phaseNotice[phase.status] ? <p className="text-sm text-slate-600">{phaseNotice[phase.status]}</p> : null}
      <VersionPicker versions={versions} selectedId={version?.id ?? ""} />
      {version ? (
        <>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-600">
              {countOf(version.itemCount, "rule")} · tester decided {version.testerDecided} · owner decided{" "}
              {version.ownerDecided}
            </p>
            <VersionActions
              version={version}
              works={works}
              reviews={reviews}
              draftTools={<GenerateRulesForm versionId={version.id} />}
              approvedTools={<RunRulesForm versionId={version.id} />}
            />
          </div>
          {generation ? (
            <JobProgress
              job={generation}
              progressUrl={`/cycle-reports/${cycleReport.id}/profiling/generations/${generation.id}`}
              label="Generation progress"
            />
          ) : null}
          {generated ? (
            <p role="status" aria-label="Generation summary" className="text-sm text-slate-700">
              <GenerationSummary result={generated} proposed={["rules"]} />
            </p>
          ) : null}
          {version.status === "rejected" && version.rejectionReason ? (
            <p className="text-sm text-red-800">Rejected: {version.rejectionReason}</p>
          ) : null}
          <RulesTable
            versionId={version.id}
            cycleReportId={cycleReport.id}
            rules={rules}
            editing={{
              tester: works && version.status === "draft",
              owner: reviews && version.status === "pending_approval",
            }}
          />
          {works && version.status === "draft" && editing ? (
            <div id="edit-rule" className="rounded-lg border border-blue-200 bg-white p-5 shadow-sm">
              <h3 className="mb-3 break-words text-base font-semibold">Edit {editing.name}</h3>
              <RuleForm
                key={editing.id}
                versionId={version.id}
                attributes={attributes}
                rule={editing}
                cancelTo={`/cycle-reports/${cycleReport.id}/profiling?version=${version.id}`}
              />
            </div>
          ) : null}
          {works && version.status === "draft" ? (
            <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <h3 className="mb-3 text-base font-semibold">Add a rule</h3>
              {/* Keyed by the rule count, so the form starts empty again after each addition. */}
              <RuleForm key={version.itemCount} versionId={version.id} attributes={attributes} />
            </div>
          ) : null}
        </>
      ) : (
        <p className="text-sm text-slate-600">No version of the profiling rules exists yet.</p>
      )}
    </section>
  );
}
