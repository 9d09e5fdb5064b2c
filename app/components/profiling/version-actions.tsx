import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { GenerationOptions } from "~/components/generation-options";
import type { ProfilingVersion } from "~/lib/profiling.server";
import { StateBadge } from "./state-badge";

function ActionForm({
  intent,
  versionId,
  label,
  primary = false,
  children,
}: {
  intent: string;
  versionId: string;
  label: string;
  primary?: boolean;
  children?: ReactNode;
}) {
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version_id" value={versionId} />
      {children}
      <button type="submit" className={primary ? "btn-primary w-auto" : "btn-secondary"}>
        {label}
      </button>
    </Form>
  );
}

/** The versions of the phase as tabs, newest first. */
export function VersionPicker({ versions, selectedId }: { versions: ProfilingVersion[]; selectedId: string }) {
  return (
    <nav aria-label="Versions" className="flex flex-wrap gap-2">
      {versions.map((v) => (
        <Link
          key={v.id}
          to={`?version=${v.id}`}
          aria-current={v.id === selectedId ? "page" : undefined}
          className="flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm focus-ring aria-[current=page]:border-blue-600 aria-[current=page]:ring-1 aria-[current=page]:ring-blue-600"
        >
          Version {v.number} <StateBadge state={v.status} />
        </Link>
      ))}
    </nav>
  );
}

/**
 * The lifecycle moves the user's role allows on the selected version. Whether a move is allowed right now
 * (decisions missing, segregation of duties) is the database's call; a refusal shows above.
 */
export function VersionActions({
  version,
  works,
  reviews,
  draftTools,
}: {
  version: ProfilingVersion;
  works: boolean;
  reviews: boolean;
  /** Further tools for a draft, beside Submit (e.g. generating rules). */
  draftTools?: ReactNode;
}) {
  const counts = `${version.itemCount} rules · tester decided ${version.testerDecided} · owner decided ${version.ownerDecided}`;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600">{counts}</p>
      <div className="flex flex-wrap items-end gap-3">
        {works && version.status === "draft" ? (
          <>
            {draftTools}
            <ActionForm intent="submit_version" versionId={version.id} label="Submit for approval" primary />
          </>
        ) : null}
        {reviews && version.status === "pending_approval" ? (
          <>
            <ActionForm intent="reject_version" versionId={version.id} label="Reject version">
              <label className="text-sm font-medium text-slate-700">
                Reason
                <input name="reason" className="input mt-0 py-1" />
              </label>
            </ActionForm>
            <ActionForm intent="approve_version" versionId={version.id} label="Approve version" primary />
          </>
        ) : null}
        {works && version.status === "approved" ? (
          <ActionForm intent="run_rules" versionId={version.id} label="Run rules" primary />
        ) : null}
      </div>
    </div>
  );
}

/** Starts the next draft, copying the rules of the latest approved or rejected version. */
export function CreateVersionForm({ phaseId, first }: { phaseId: number; first: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="create_version" />
      <input type="hidden" name="phase_id" value={phaseId} />
      <button type="submit" className="btn-primary w-auto">
        {first ? "Create the first version" : "Create a new version"}
      </button>
    </Form>
  );
}

/**
 * Asks for rules proposed for the draft's approved attributes, with an optional report type and regulatory
 * context; they arrive undecided, for review.
 */
export function GenerateRulesForm({ versionId }: { versionId: string }) {
  return (
    <Form method="post" className="flex flex-col items-end gap-1" aria-label="Generate rules with AI">
      <input type="hidden" name="intent" value="generate_rules" />
      <input type="hidden" name="version_id" value={versionId} />
      <button type="submit" className="btn-secondary">
        Generate with AI
      </button>
      <GenerationOptions />
    </Form>
  );
}
