import type { MappingView } from "~/lib/planning.server";
import { AutoApprovedMarker, ClassificationBadge, RiskBadge } from "./badges";
import { DecisionForm } from "./decision-form";
import { IntentForm } from "~/components/versions/intent-form";

function ClassificationSummary({ mapping }: { mapping: MappingView }) {
  const c = mapping.classification;
  const facts = [
    c.criticality && `criticality ${c.criticality}`,
    c.risk_level && `risk ${c.risk_level}`,
    c.regulatory_flag && "regulatory",
    c.pii_flag && "PII",
    c.data_category,
  ].filter(Boolean);
  return (
    <span className="flex flex-wrap items-center gap-1 text-xs text-slate-600">
      <ClassificationBadge value={c.information_security} />
      {facts.join(" · ")}
    </span>
  );
}

/** The PDE mappings of one attribute: classification, derived risk score, auto-approval and decision. */
export function MappingList({
  mappings,
  editable,
  versionId,
}: {
  mappings: MappingView[];
  editable: boolean;
  versionId: string;
}) {
  return (
    <ul className="space-y-2">
      {mappings.map((m) => (
        <li
          key={m.id}
          data-mapping={m.code}
          className="flex flex-wrap items-start justify-between gap-3 rounded-md border border-slate-200 bg-white px-3 py-2"
        >
          <div className="min-w-0 space-y-1">
            <p className="text-sm">
              <span className="font-mono font-medium">{m.code}</span> {m.name}
              <span className="ml-2 text-xs text-slate-500">
                {m.mappingType}
                {m.source ? ` · ${m.source}` : ""}
                {m.isPrimary ? " · primary" : ""}
              </span>
            </p>
            <div className="flex flex-wrap items-center gap-2">
              <RiskBadge score={m.riskScore} />
              {m.autoApproved ? <AutoApprovedMarker /> : null}
              <ClassificationSummary mapping={m} />
            </div>
          </div>
          <div className="flex items-start gap-2">
            <DecisionForm
              versionId={versionId}
              item="mapping"
              id={m.id}
              label={`mapping ${m.code}`}
              current={m}
              editable={editable}
            />
            {editable ? (
              <IntentForm intent="delete_mapping" hidden={{ item_id: m.id }}>
                <button
                  type="submit"
                  className="btn-secondary px-2 py-0.5 text-xs"
                  aria-label={`Delete mapping ${m.code}`}
                >
                  Delete
                </button>
              </IntentForm>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
