import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { methodLabel } from "~/lib/sampling";
import type { DrawJob, Reperformance, Selection } from "~/lib/sampling.server";

/** How the version's samples were drawn: population, snapshot, strata, method, size and its reasoning, seed. */
export function SelectionSummary({ selection, sourceName }: { selection: Selection; sourceName: string }) {
  const inputs = selection.sizeInputs as {
    confidence?: number;
    tolerable_rate?: number;
    expected_deviations?: number;
    reason?: string;
  };
  const size =
    selection.sizeBasis === "calculator"
      ? `${selection.sampleSize} from the calculator (${Number(inputs.confidence) * 100}% confidence, ${Number(inputs.tolerable_rate) * 100}% tolerable, ${inputs.expected_deviations} expected)`
      : selection.sizeBasis === "tester_set"
        ? `${selection.sampleSize}, set by the tester: ${inputs.reason ?? ""}`
        : `${selection.sampleSize}, the rows the method names`;
  return (
    <section aria-labelledby="selection-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h3 id="selection-heading" className="mb-3 text-base font-semibold">
        How these samples were drawn
      </h3>
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm" aria-label="Population summary">
        <dt className="font-medium text-slate-600">Population</dt>
        <dd>
          {sourceName} (key {selection.keyColumn}
          {selection.filter.length ? `, filter ${JSON.stringify(selection.filter)}` : ""})
        </dd>
        <dt className="font-medium text-slate-600">Rows</dt>
        <dd className="tabular-nums">{selection.rowCount}</dd>
        {selection.amountColumn ? (
          <>
            <dt className="font-medium text-slate-600">Sum of {selection.amountColumn}</dt>
            <dd className="tabular-nums">{selection.amountSum}</dd>
          </>
        ) : null}
        <dt className="font-medium text-slate-600">Key hash</dt>
        <dd className="font-mono text-xs">{selection.keyHash}</dd>
        <dt className="font-medium text-slate-600">Snapshot</dt>
        <dd className="text-xs">
          {selection.snapshotVersion ?? "regtest-snapshot/1 counted in the draw"}
          {selection.snapshotComputedAt ? `, statistics counted ${selection.snapshotComputedAt}` : ""}
        </dd>
        {selection.excludedKeys.length ? (
          <>
            <dt className="font-medium text-slate-600">Left out</dt>
            <dd>{selection.excludedKeys.length} keys already in the version</dd>
          </>
        ) : null}
        <dt className="font-medium text-slate-600">Method</dt>
        <dd>
          {methodLabel(selection.method)}
          {Object.keys(selection.parameters).length ? ` ${JSON.stringify(selection.parameters)}` : ""}
        </dd>
        <dt className="font-medium text-slate-600">Size</dt>
        <dd>{size}</dd>
        <dt className="font-medium text-slate-600">Seed</dt>
        <dd className="font-mono text-xs">{selection.seed}</dd>
        <dt className="font-medium text-slate-600">Generator</dt>
        <dd className="text-xs">{selection.generatorVersion}</dd>
        <dt className="font-medium text-slate-600">Drawn</dt>
        <dd>
          {selection.drawnKeys.length} samples
          {selection.run.at ? ` on ${selection.run.at}` : ""}
          {selection.run.by ? ` by ${selection.run.by}` : ""}
        </dd>
      </dl>
      {selection.strata.length ? (
        <table className="mt-4 text-left text-sm" aria-label="Strata">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              <th className="px-3 py-1 font-medium">Stratum</th>
              <th className="px-3 py-1 font-medium">Rows</th>
              <th className="px-3 py-1 font-medium">Samples</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {selection.strata.map((s) => (
              <tr key={s.stratum ?? "(none)"}>
                <td className="px-3 py-1">{s.stratum ?? "(none)"}</td>
                <td className="px-3 py-1 tabular-nums">{s.population}</td>
                <td className="px-3 py-1 tabular-nums">{s.allocated}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The re-perform button and the latest verdicts: identical, or exactly what differs. */
export function ReperformPanel({
  versionId,
  reperformances,
  inBackground = false,
}: {
  versionId: string;
  reperformances: Reperformance[];
  /** The population is a database table: re-performed by a background job, in its own database. */
  inBackground?: boolean;
}) {
  const busy = useSubmitting("reperform");
  const latest = reperformances[0];
  return (
    <section aria-labelledby="reperform-heading" className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <h3 id="reperform-heading" className="text-base font-semibold">
          Re-performance
        </h3>
        <IntentForm
          intent="reperform"
          hidden={inBackground ? { version_id: versionId, in_background: "on" } : { version_id: versionId }}
        >
          <button type="submit" className="btn-secondary" disabled={busy}>
            {busy ? "Re-performing…" : "Re-perform the selection"}
          </button>
        </IntentForm>
      </div>
      {latest ? (
        <div role="status" aria-label="Re-performance verdict" className="text-sm">
          <p className={latest.identical ? "font-semibold text-green-800" : "font-semibold text-red-800"}>
            {latest.identical ? "Identical" : "Different"}: re-performed {latest.at ?? ""}
            {latest.by ? ` by ${latest.by}` : ""}
          </p>
          {latest.identical ? (
            <p className="text-slate-600">
              The population and the drawn samples are the same as when the selection ran.
            </p>
          ) : (
            <ul className="list-disc pl-5 text-slate-700">
              {latest.result.population.changed.length ? (
                <li>Population changed: {latest.result.population.changed.join(", ")}</li>
              ) : null}
              {latest.result.samples.error ? <li>The draw failed: {latest.result.samples.error}</li> : null}
              {latest.result.samples.missing?.length ? (
                <li>Drawn then, not now: {latest.result.samples.missing.join(", ")}</li>
              ) : null}
              {latest.result.samples.added?.length ? (
                <li>Drawn now, not then: {latest.result.samples.added.join(", ")}</li>
              ) : null}
              {latest.result.samples.order_differs ? <li>The same samples, in another order</li> : null}
            </ul>
          )}
          {latest.result.version_samples.drawn_not_in_version.length ? (
            <p className="text-slate-600">
              Drawn but no longer in the version: {latest.result.version_samples.drawn_not_in_version.join(", ")}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-slate-600">Not re-performed yet.</p>
      )}
    </section>
  );
}

/**
 * A draw (or a re-performance) queued as a background job: its progress while it runs (the page reloads its data
 * every second), or why it failed.
 */
export function DrawJobPanel({ job, what = "draw" }: { job: DrawJob; what?: "draw" | "re-performance" }) {
  const revalidator = useRevalidator();
  const active = job.status === "queued" || job.status === "running";
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [active, revalidator]);
  if (job.status === "completed" || job.status === "cancelled") return null;
  return (
    <section
      aria-label={what === "draw" ? "Background draw" : "Background re-performance"}
      className={`rounded-lg border p-4 text-sm shadow-sm ${job.status === "failed" ? "border-red-200 bg-red-50 text-red-900" : "border-sky-200 bg-sky-50 text-sky-900"}`}
    >
      {job.status === "failed" ? (
        <p>
          The background {what} failed: {job.error ?? "no reason given"}
        </p>
      ) : (
        <>
          <p>
            {what === "draw" ? "Drawing" : "Re-performing"} in the background:{" "}
            {job.status === "queued" ? "waiting for a worker" : `${job.progress}%`}
            {job.message ? ` · ${job.message}` : ""}
          </p>
          <progress
            max={100}
            value={job.progress}
            className="mt-2 w-full"
            aria-label={what === "draw" ? "Draw progress" : "Re-performance progress"}
          />
        </>
      )}
    </section>
  );
}
