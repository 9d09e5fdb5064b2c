const pill =
  "inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

const classificationStyles: Record<string, string> = {
  public: "bg-slate-50 text-slate-700 ring-slate-300",
  internal: "bg-sky-50 text-sky-800 ring-sky-300",
  confidential: "bg-amber-50 text-amber-900 ring-amber-300",
  restricted: "bg-red-50 text-red-800 ring-red-300",
};

/** Information security classification, in words (colour only repeats it). */
export function ClassificationBadge({ value }: { value: string | undefined }) {
  if (!value) return null;
  return <span className={`${pill} ${classificationStyles[value] ?? classificationStyles.internal}`}>{value}</span>;
}

/** The mapping's risk score (0–10) with its band, as the database computed it. */
export function RiskBadge({ score }: { score: number }) {
  const band = score >= 7 ? "high" : score >= 4 ? "medium" : "low";
  const style = {
    high: "bg-red-50 text-red-800 ring-red-300",
    medium: "bg-amber-50 text-amber-900 ring-amber-300",
    low: "bg-green-50 text-green-800 ring-green-300",
  }[band];
  return (
    <span className={`${pill} ${style}`} title={`Risk score ${score} of 10 (${band})`}>
      Risk {score}
    </span>
  );
}

/** Marks a decision the auto-approval rules made rather than a person. */
export function AutoApprovedMarker() {
  return (
    <span className={`${pill} bg-violet-50 text-violet-800 ring-violet-300`} title="Approved by an auto-approval rule">
      <span aria-hidden="true">⚙</span>Auto-approved
    </span>
  );
}

/** CDE, primary key and mandatory flags as short labelled tags. */
export function AttributeFlags({ cde, pk, mandatory }: { cde: boolean; pk: boolean; mandatory: boolean }) {
  const tags = [cde && ["CDE", "Critical data element"], pk && ["PK", "Primary key"], mandatory && ["M", "Mandatory"]];
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((tag) =>
        tag ? (
          <abbr
            key={tag[0]}
            title={tag[1]}
            className={`${pill} bg-indigo-50 text-indigo-800 no-underline ring-indigo-300`}
          >
            {tag[0]}
          </abbr>
        ) : null,
      )}
    </span>
  );
}
