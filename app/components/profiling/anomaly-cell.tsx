import { Form } from "@remix-run/react";
import type { RuleResult } from "~/lib/profiling.server";

/** A result's anomaly mark and note; an assigned tester sets or clears it, the database stamps who and when. */
export function AnomalyCell({
  result,
  versionId,
  runId,
  canMark,
}: {
  result: RuleResult;
  versionId: string;
  runId: string;
  canMark: boolean;
}) {
  const hidden = (
    <>
      <input type="hidden" name="version_id" value={versionId} />
      <input type="hidden" name="run_id" value={runId} />
      <input type="hidden" name="result_id" value={result.id} />
    </>
  );
  if (result.isAnomaly) {
    return (
      <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-anomaly="marked">
        <p>
          <span className="font-semibold">Anomaly:</span> {result.anomalyNote}
        </p>
        {result.anomalyMarked.at ? (
          <p className="text-xs">
            Marked {result.anomalyMarked.by ? `by ${result.anomalyMarked.by} ` : ""}on {result.anomalyMarked.at}
          </p>
        ) : null}
        {canMark ? (
          <Form method="post" preventScrollReset className="mt-1">
            <input type="hidden" name="intent" value="clear_anomaly" />
            {hidden}
            <button type="submit" className="rounded text-xs underline focus-ring">
              Clear the mark
            </button>
          </Form>
        ) : null}
      </div>
    );
  }
  if (!canMark) return null;
  return (
    <Form method="post" preventScrollReset className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="intent" value="mark_anomaly" />
      {hidden}
      <label className="text-xs font-medium text-slate-700">
        {`Anomaly note for ${result.ruleName}`}
        <input name="note" className="input mt-0 py-1 text-xs" />
      </label>
      <button type="submit" className="btn-secondary px-2 py-1 text-xs">
        Mark as anomaly
      </button>
    </Form>
  );
}
