import { Link, useFetcher, useLocation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { Run } from "~/lib/profiling.server";
import { StateBadge } from "./state-badge";

export type RunState = Pick<Run, "id" | "status" | "progress" | "message" | "error">;

const POLL_MS = 1000;
const isActive = (state: RunState) => state.status === "queued" || state.status === "running";

/**
 * A run's progress bar. While the job is queued or running it asks the progress resource route once a
 * second (no realtime needed), and reloads the page's data when the job ends so the results appear.
 * Without JavaScript, a link reloads the page.
 */
export function RunProgress({ run, progressUrl }: { run: RunState; progressUrl: string }) {
  const fetcher = useFetcher<RunState>();
  const { revalidate } = useRevalidator();
  const location = useLocation();
  const polled = fetcher.data?.id === run.id ? fetcher.data : null;
  // Once the page's data says the run has ended it is final; until then the last poll is the newer.
  const state = isActive(run) ? (polled ?? run) : run;
  const active = isActive(state);

  // Kept in refs so the timer is not restarted on every render.
  const load = useRef(fetcher.load);
  load.current = fetcher.load;
  const busy = useRef(false);
  busy.current = fetcher.state !== "idle";

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (!busy.current) load.current(progressUrl);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, progressUrl]);

  const wasActive = useRef(isActive(run));
  useEffect(() => {
    if (wasActive.current && !active) revalidate();
    wasActive.current = active;
  }, [active, revalidate]);

  return (
    <div className="space-y-2" data-run={run.id}>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <StateBadge state={state.status} />
          {state.message ? <span className="text-slate-600">{state.message}</span> : null}
        </span>
        <span className="font-medium tabular-nums">{state.progress}%</span>
      </div>
      <div
        role="progressbar"
        aria-label="Run progress"
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
