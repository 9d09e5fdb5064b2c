import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { dollars, tokens } from "~/components/llm-usage/format";
import type { GenerationJob, GenerationResult } from "~/lib/generation.server";
import { PlanningForm, useSubmitting } from "./planning-form";

const pollMs = 2000;

const plural = (n: number, one: string, many: string) => `${tokens(n)} ${n === 1 ? one : many}`;

/** What the run proposed and what it cost, as the job reports it. */
function ResultSummary({ result }: { result: GenerationResult }) {
  const attributes = result.proposed.attributes ?? 0;
  const mappings = result.proposed.pde_mappings ?? 0;
  return (
    <>
      Proposed {plural(attributes, "attribute", "attributes")} and {plural(mappings, "PDE mapping", "PDE mappings")}{" "}
      below · {result.provider} ({result.model}) · {plural(result.calls, "call", "calls")},{" "}
      {plural(result.inputTokens + result.outputTokens, "token", "tokens")}, {dollars(result.costUsd)}
    </>
  );
}

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
          <ResultSummary result={job.result} />
        ) : (
          "Proposed attributes added below."
        )
      ) : (
        `Generation ${job.status}${job.error ? `: ${job.error}` : ""}`
      )}
    </p>
  );
}

/** Asks for attribute proposals from the draft's data sources; proposals arrive as attributes to decide on. */
export function GenerateAttributes({ versionId, job }: { versionId: string; job: GenerationJob | null }) {
  const busy = useSubmitting("generate");
  return (
    <div className="flex flex-col items-end gap-1">
      <PlanningForm intent="generate" hidden={{ versionId }}>
        <button type="submit" className="btn-secondary" disabled={busy}>
          {busy ? "Starting…" : "Generate with AI"}
        </button>
      </PlanningForm>
      {job ? <JobStatus job={job} /> : null}
    </div>
  );
}
