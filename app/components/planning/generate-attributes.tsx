import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { GenerationOptions } from "~/components/generation-options";
import { GenerationSummary } from "~/components/generation-summary";
import type { GenerationJob } from "~/lib/generation.server";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { generationFormIds, generationRequestForm } from "~/lib/generation-options";

const pollMs = 2000;

function JobStatus({ job }: { job: GenerationJob }) {
  const revalidator = useRevalidator();
  const running = job.status === "queued" || job.status === "running";
  // Jobs are polled (no realtime): reload the page's data until the job ends, then the proposals show.
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => revalidator.revalidate(), pollMs);
    return () => clearTimeout(timer);
  }, [running, revalidator, job.progress]);
  return (
    <p role="status" className="text-xs text-slate-600" data-job-status={job.status}>
      {running ? (
        <>
          <progress max={100} value={job.progress} aria-label="Generation progress" className="mr-2 h-2 w-24" />
          {job.progressMessage ?? "Generating attributes…"}
        </>
      ) : job.status === "completed" ? (
        job.result ? (
          <GenerationSummary result={job.result} proposed={["attributes", "pde_mappings"]} />
        ) : (
          "Proposed attributes added below."
        )
      ) : (
        `Generation ${job.status}${job.error ? `: ${job.error}` : ""}`
      )}
    </p>
  );
}

/**
 * Asks for attribute proposals from the draft's data sources, with an optional report type and regulatory
 * context; proposals arrive as attributes to decide on.
 */
export function GenerateAttributes({ versionId, job }: { versionId: string; job: GenerationJob | null }) {
  const busy = useSubmitting("generate");
  const { onSubmit, field } = useFormCheck(generationFormIds.attributes, generationRequestForm);
  return (
    <div className="flex flex-col items-end gap-1">
      <IntentForm
        intent="generate"
        formId={generationFormIds.attributes}
        onSubmit={onSubmit}
        hidden={{ version_id: versionId }}
        className="flex flex-col items-end gap-1"
        label="Generate attributes with AI"
      >
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Starting…" : "Generate with AI"}
        </button>
        <GenerationOptions field={field} />
      </IntentForm>
      {job ? <JobStatus job={job} /> : null}
    </div>
  );
}
