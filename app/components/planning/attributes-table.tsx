import { Link, useLocation } from "@remix-run/react";
import type { AttributeView, SourceView } from "~/lib/planning.server";
import type { Proposal } from "~/lib/proposal";
import { withParams } from "~/lib/planning-query";
import { AttributeFlags, ClassificationBadge } from "./badges";
import { AttributeForm } from "./attribute-form";
import { DecisionForm } from "./decision-form";
import { MappingForm } from "./mapping-form";
import { MappingList } from "./mapping-list";
import { HeaderNote } from "./schema-table";
import { BulkDecisionBar } from "~/components/versions/bulk-decision-bar";
import { IntentForm } from "~/components/versions/intent-form";

const columns = 6;

/** Who proposed a generated attribute and why, so the tester can weigh it before deciding. */
function ProposalNote({ proposal }: { proposal: Proposal }) {
  const confidence = proposal.confidence === null ? "" : `, confidence ${proposal.confidence}`;
  return (
    <div className="mt-1 max-w-xs text-xs text-slate-500" data-proposed-by={proposal.provider}>
      <p>
        Proposed by {proposal.provider}
        {confidence}
      </p>
      {proposal.rationale ? (
        <p className="line-clamp-2" title={proposal.rationale}>
          {proposal.rationale}
        </p>
      ) : null}
    </div>
  );
}

/** The form the attributes' boxes choose items for (one decision on many attributes). */
const bulkFormId = "bulk-attribute-decisions";

function AttributeRow({
  attribute,
  sources,
  versionId,
  editable,
}: {
  attribute: AttributeView;
  sources: SourceView[];
  versionId: string;
  editable: boolean;
}) {
  const { search } = useLocation();
  const source = sources.find((s) => s.id === attribute.dataSourceId);
  return (
    <tr className="align-top">
      <td className="px-3 py-2">
        <p className="font-medium">{attribute.name}</p>
        <p className="text-xs text-slate-600">
          {attribute.dataType}
          {attribute.maxLength ? `(${attribute.maxLength})` : ""}
        </p>
        {attribute.proposal ? <ProposalNote proposal={attribute.proposal} /> : null}
        {attribute.description ? <p className="mt-1 max-w-xs text-xs text-slate-600">{attribute.description}</p> : null}
        {editable ? (
          <div className="mt-1 flex flex-wrap gap-2 text-xs">
            <Link
              to={withParams(search, { edit: attribute.id, map: null })}
              preventScrollReset
              className="text-blue-700 underline"
              aria-label={`Edit ${attribute.name}`}
            >
              Edit
            </Link>
            <Link
              to={withParams(search, { map: attribute.id, edit: null })}
              preventScrollReset
              className="text-blue-700 underline"
              aria-label={`Add mapping to ${attribute.name}`}
            >
              Add mapping
            </Link>
            <IntentForm intent="delete_attribute" hidden={{ item_id: attribute.id }} className="inline">
              <button type="submit" className="text-red-700 underline" aria-label={`Delete ${attribute.name}`}>
                Delete
              </button>
            </IntentForm>
          </div>
        ) : null}
      </td>
      <td className="px-3 py-2">
        <AttributeFlags cde={attribute.isCde} pk={attribute.isPrimaryKey} mandatory={attribute.isMandatory} />
      </td>
      <td className="px-3 py-2">
        <ClassificationBadge value={attribute.classification} />
      </td>
      <td className="px-3 py-2 text-xs">
        {source ? source.name : "—"}
        {attribute.sourceColumn ? (
          <span className="block font-mono">
            {attribute.sourceColumn}
            <HeaderNote column={source?.columns.find((c) => c.name === attribute.sourceColumn)} />
          </span>
        ) : null}
      </td>
      <td className="px-3 py-2 text-xs tabular-nums">{attribute.mappings.length}</td>
      <td className="px-3 py-2">
        <DecisionForm
          versionId={versionId}
          bulkForm={bulkFormId}
          item="attribute"
          id={attribute.id}
          label={attribute.name}
          current={attribute}
          editable={editable}
        />
      </td>
    </tr>
  );
}

/**
 * The attributes of one page, each followed by its PDE mappings. Editing and adding a mapping open in place
 * (`?edit=` / `?map=` in the address), so they work without JavaScript.
 */
export function AttributesTable({
  attributes,
  sources,
  versionId,
  editable,
  editId,
  mapId,
}: {
  attributes: AttributeView[];
  sources: SourceView[];
  versionId: string;
  editable: boolean;
  editId: string | null;
  mapId: string | null;
}) {
  const { search } = useLocation();
  const close = withParams(search, { edit: null, map: null });
  if (!attributes.length) return <p className="py-4 text-sm text-slate-600">No attributes match.</p>;
  return (
    <div className="space-y-3 overflow-x-auto">
      {editable ? (
        <BulkDecisionBar id={bulkFormId} versionId={versionId} item="attribute" side="tester" label="attributes" />
      ) : null}
      <table className="min-w-full text-left text-sm" aria-label="Attributes">
        <thead className="bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">Attribute</th>
            <th className="px-3 py-2 font-medium">Flags</th>
            <th className="px-3 py-2 font-medium">Classification</th>
            <th className="px-3 py-2 font-medium">Source</th>
            <th className="px-3 py-2 font-medium">Mappings</th>
            <th className="px-3 py-2 font-medium">Decision</th>
          </tr>
        </thead>
        {attributes.map((attribute) => (
          <tbody key={attribute.id} data-attribute={attribute.name} className="border-t border-slate-200">
            {editable && editId === attribute.id ? (
              <tr>
                <td colSpan={columns} className="bg-blue-50/40 px-3 py-3">
                  <AttributeForm versionId={versionId} sources={sources} attribute={attribute} cancelTo={close} />
                </td>
              </tr>
            ) : (
              <AttributeRow attribute={attribute} sources={sources} versionId={versionId} editable={editable} />
            )}
            {attribute.mappings.length || (editable && mapId === attribute.id) ? (
              <tr>
                <td colSpan={columns} className="space-y-2 bg-slate-50/60 px-3 pb-3 pl-8">
                  <MappingList mappings={attribute.mappings} editable={editable} versionId={versionId} />
                  {editable && mapId === attribute.id ? (
                    <MappingForm
                      versionId={versionId}
                      attributeId={attribute.id}
                      attributeName={attribute.name}
                      cancelTo={close}
                      sources={sources}
                      attributeSource={
                        attribute.dataSourceId && attribute.sourceColumn
                          ? { dataSourceId: attribute.dataSourceId, column: attribute.sourceColumn }
                          : null
                      }
                    />
                  ) : null}
                </td>
              </tr>
            ) : null}
          </tbody>
        ))}
      </table>
    </div>
  );
}
