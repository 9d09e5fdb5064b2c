/** A pass rate (0–100) as a bar with its number; green at 100, amber from 95, red below. */
export function PassRateBar({ rate, label }: { rate: number | null; label: string }) {
  if (rate === null) return <span className="text-sm text-slate-500">No rate</span>;
  const colour = rate >= 100 ? "bg-green-600" : rate >= 95 ? "bg-amber-500" : "bg-red-600";
  return (
    <div className="flex items-center gap-2">
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={rate}
        aria-valuetext={`${rate}%`}
        className="h-2.5 w-40 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full ${colour}`} style={{ width: `${rate}%` }} />
      </div>
      <span className="text-sm font-medium tabular-nums">{rate}%</span>
    </div>
  );
}
