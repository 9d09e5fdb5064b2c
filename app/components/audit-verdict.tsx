import { formatTime } from "~/lib/format";
import type { AuditVerdict } from "~/lib/audit.server";

/** The audit trail's verdict for admins: the hash chain is whole, or where it first breaks. */
export function AuditVerdictView({ verdict }: { verdict: AuditVerdict }) {
  const problems = [
    verdict.first_broken?.message,
    verdict.unexplained_version?.message,
    verdict.unexplained_status?.message,
  ].filter(Boolean);
  return (
    <section
      aria-labelledby="audit-trail-heading"
      className={`mt-6 rounded-lg border p-6 text-sm shadow-sm ${
        verdict.ok ? "border-slate-200 bg-white" : "border-red-300 bg-red-50"
      }`}
    >
      <h2 id="audit-trail-heading" className="text-lg font-semibold tracking-tight">
        Hash chain
      </h2>
      <p className="mt-2" data-testid="audit-verdict">
        {verdict.ok
          ? `Intact: ${verdict.rows.toLocaleString("en-US")} rows, each chained to the one before it by its hash.`
          : "Tampered with: the audit log was changed outside the application."}
      </p>
      {problems.length ? (
        <ul className="mt-2 list-disc pl-5 text-red-800" data-testid="audit-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <p className="mt-2 text-slate-600">
        Checked {formatTime(verdict.checked_at)}. Last link {verdict.head_seq}:{" "}
        <code className="break-all text-xs">{verdict.head_hash ?? "none"}</code> (record it elsewhere to detect a
        rewrite of the whole log).
      </p>
    </section>
  );
}
