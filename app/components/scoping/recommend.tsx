import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { GenerationOptions } from "~/components/generation-options";
import { GenerationSummary } from "~/components/generation-summary";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import type { GenerationJob } from "~/lib/generation.server";
import { useFormCheck } from "~/lib/forms";
import { recommendForm, recommendFormId } from "~/lib/scoping";

const pollMs = 1000;

function JobStatus({ job }: { job: GenerationJob }) {
  const revalidator = useRevalidator();
  const running = job.status === "queued" || job.status === "running";
  // Jobs are polled (no realtime): reload the page's data until the job ends, then the recommendations show.
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => revalidator.revalidate(), pollMs);
    return () => clearTimeout(timer);
  }, [running, revalidator, job.progress]);
  return (
    <p role="status" className="text-xs text-slate-600" data-job-status={job.status}>
      {running ? (
        <>
          <progress max={100} value={job.progress} aria-label="Recommendation progress" className="mr-2 h-2 w-24" />
          {job.progressMessage ?? "Recommending…"}
        </>
      ) : job.status === "completed" ? (
        job.result ? (
          <GenerationSummary result={job.result} proposed={["recommendations"]} />
        ) : (
          "Recommendations added below."
        )
      ) : (
        `Recommendation ${job.status}${job.error ? `: ${job.error}` : ""}`
      )}
    </p>
  );
}

/**
 * Asks for a recommendation on every decision of the draft without one (the offline provider's documented rules
 * unless an LLM is configured); undecided decisions take the recommendation as their starting values.
 */
export function Recommend({ versionId, job }: { versionId: string; job: GenerationJob | null }) {
  const busy = useSubmitting("recommend");
  const { onSubmit, field } = useFormCheck(recommendFormId, recommendForm);
  return (
    <div className="flex flex-col items-end gap-1">
      <IntentForm
        intent="recommend"
        formId={recommendFormId}
        onSubmit={onSubmit}
        hidden={{ version_id: versionId }}
        className="flex flex-col items-end gap-1"
        label="Recommend the scope"
      >
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Starting…" : "Recommend the scope"}
        </button>
        <GenerationOptions field={field} />
      </IntentForm>
      {job ? <JobStatus job={job} /> : null}
    </div>
  );
}
