import type { PhaseStep } from "~/lib/cycle-report-summary";
import { statusStyle } from "~/lib/workflow-status";

/** The phases as a row of steps; every step names its phase and status in text, not only in colour. */
export function PhaseProgress({ phases, label }: { phases: PhaseStep[]; label: string }) {
  const done = phases.filter((p) => p.status === "completed" || p.status === "skipped").length;
  return (
    <div>
      <p className="text-xs text-slate-600">
        {done} of {phases.length} phases done
      </p>
      <ol aria-label={label} className="mt-2 grid grid-cols-3 gap-2 sm:grid-cols-9 sm:gap-1">
        {phases.map((phase) => {
          const style = statusStyle(phase.status);
          return (
            <li key={phase.id} data-phase={phase.name} data-status={phase.status} className="min-w-0">
              <div className={`h-2 rounded-full ${style.bar}`} aria-hidden="true" />
              <p className="mt-1 text-xs font-medium leading-tight text-slate-800">
                {phase.order}. {phase.label}
              </p>
              <p className="text-xs text-slate-600">
                <span aria-hidden="true">{style.symbol} </span>
                {style.label}
              </p>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
