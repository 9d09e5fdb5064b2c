import type { ReactNode } from "react";
import { countOf } from "~/lib/format";
import { VersionStatusBadge } from "~/components/versions/status-badge";
import { VersionActions } from "~/components/versions/version-actions";
import type { PlanningVersion } from "~/lib/planning.server";

function Count({ label, value }: { label: string; value: number | string }) {
  return (
    <div>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="text-base font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

/**
 * The selected version: its state, counters and the lifecycle steps the user's role allows. Whether a step is
 * allowed right now (decisions missing, segregation of duties…) is the database's call.
 */
export function VersionBar({
  version,
  works,
  reviews,
  generate,
}: {
  version: PlanningVersion;
  works: boolean;
  reviews: boolean;
  /** The draft's "Generate with AI" control, when generation is available. */
  generate: ReactNode;
}) {
  const c = version.counts;
  const undecided = version.itemCount - version.testerDecided;
  return (
    <section
      aria-label="Selected version"
      data-version-status={version.status}
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="flex items-center gap-2 text-lg font-semibold">
          Version {version.number} <VersionStatusBadge status={version.status} />
        </h2>
        <VersionActions version={version} works={works} reviews={reviews} draftTools={generate} />
      </div>
      {version.status === "draft" && undecided > 0 ? (
        <p className="mt-1 text-sm text-slate-600">
          {undecided} of {countOf(version.itemCount, "item")} {undecided === 1 ? "still needs" : "still need"} a
          decision before the version can be submitted.
        </p>
      ) : null}
      {version.rejected.reason ? (
        <p className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          Rejected{version.rejected.by ? ` by ${version.rejected.by}` : ""}: {version.rejected.reason}
        </p>
      ) : null}
      {c ? (
        <dl className="mt-4 grid grid-cols-3 gap-3 sm:grid-cols-7">
          <Count label="Data sources" value={c.dataSources} />
          <Count label="Attributes" value={c.attributes} />
          <Count label="Approved" value={c.approvedAttributes} />
          <Count label="CDE" value={c.cde} />
          <Count label="Primary keys" value={c.pk} />
          <Count label="Mandatory" value={c.mandatory} />
          <Count label="Mappings (auto)" value={`${c.mappings} (${c.autoApprovedMappings})`} />
        </dl>
      ) : null}
    </section>
  );
}
