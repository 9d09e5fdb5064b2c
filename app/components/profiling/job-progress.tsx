import { Link, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { JobState } from "~/lib/profiling.server";
import { StateBadge } from "./state-badge";

const POLL_MS = 1000;
const isActive = (state: JobState) => state.status === "queued" || state.status === "running";

/**
 * A background job's progress bar (a run of the rules, a generation). While the job is queued or running
 * it asks the job's resource route once a second (no realtime needed), and reloads the page's data when
 * the job ends so its outcome appears. Without JavaScript, a link reloads the page.
 */
export function JobProgress({
  job,
  progressUrl,
  label,
  reloadOnProgress = false,
}: {
  job: JobState;
  progressUrl: string;
  label: string;
  /** Reload the page's data whenever the progress moves, so what the job has finished shows while it runs. */
  reloadOnProgress?: boolean;
}) {
  const { revalidate } = useRevalidator();
  const location = useLocation();
  const [polled, setPolled] = useState<JobState | null>(null);
  // Once the page's data says the job has ended it is final; until then the last poll is the newer.
  const state = isActive(job) ? (polled?.id === job.id ? polled : job) : job;
  const active = isActive(state);

  // A plain fetch, not a router fetcher: the router would re-run a fetcher's loader on every later
  // navigation of the page, long after the job has ended.
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const response = await fetch(progressUrl, { headers: { Accept: "application/json" } });
        if (response.ok && !stopped) setPolled((await response.json()) as JobState);
      } catch {
        // A missed poll is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, progressUrl]);

  const lastProgress = useRef(job.progress);
  useEffect(() => {
    if (!reloadOnProgress || !active || state.progress === lastProgress.current) return;
    lastProgress.current = state.progress;
    revalidate();
  }, [reloadOnProgress, active, state.progress, revalidate]);

  const wasActive = useRef(isActive(job));
  useEffect(() => {
    if (wasActive.current && !active) revalidate();
    wasActive.current = active;
  }, [active, revalidate]);

  return (
    <div className="space-y-2" data-job={job.id}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <StateBadge state={state.status} />
          {state.message ? <span className="text-slate-600">{state.message}</span> : null}
        </span>
        <span className="font-medium tabular-nums">{state.progress}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={state.progress}
        className="h-3 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-500 ${state.status === "failed" ? "bg-red-600" : "bg-blue-600"}`}
          style={{ width: `${state.progress}%` }}
        />
      </div>
      {state.error ? (
        <p role="alert" className="text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      {active ? (
        <Link to={location} reloadDocument className="text-xs text-blue-700 underline focus-ring">
          Refresh
        </Link>
      ) : null}
    </div>
  );
}
