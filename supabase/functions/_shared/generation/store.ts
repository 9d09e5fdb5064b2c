// Stores validated proposals as items of the draft, inside the transaction that completes their LLM call.
// Decisions are left empty for people (planning's auto-approval rules may still decide a mapping, as for any
// mapping added). Names already used in the draft get a suffix, so batches never collide.
import type postgres from "postgres";
import type { AttributeProposal } from "../llm/schemas/attributes.ts";
import type { RuleProposal } from "../llm/schemas/rules.ts";
import type { ScopingRecommendation } from "../llm/schemas/scoping.ts";
import type { SourceRow } from "./load.ts";

/** Provider, model and job recorded in every proposed item's llm_metadata. */
export interface Provenance {
  provider: string;
  model: string;
  jobId: string;
}

const json = (tx: postgres.TransactionSql, value: unknown) => tx.json(value as postgres.JSONValue);

/** name, or name with " (2)", " (3)"… when taken (case-insensitively); marks the result taken. */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

export async function storeAttributes(
  tx: postgres.TransactionSql,
  versionId: string,
  sources: Map<string, SourceRow>,
  proposals: AttributeProposal[],
  provenance: Provenance,
): Promise<number> {
  const byName = new Map([...sources.values()].map((s) => [`${s.name}\u0000${s.table_name}`, s]));
  const taken = new Set(
    (
      await tx<
        { name: string }[]
      >`select lower(name) as name from public.planning_attributes where version_id = ${versionId}`
    ).map((r) => r.name),
  );
  const meta = { provider: provenance.provider, model: provenance.model, generation_job_id: provenance.jobId };
  // The seed's keys: confidence_score and rationale. A mapping is proposed with its attribute and the reasoning
  // behind both, so it carries the attribute's rationale with its own confidence.
  for (const p of proposals) {
    // The output schema accepted only columns of the batch, so the source is one of the draft's.
    const source = byName.get(`${p.source.data_source}\u0000${p.source.table}`)!;
    const name = uniqueName(p.name, taken);
    const [attribute] = await tx<{ id: string }[]>`
      insert into public.planning_attributes
        (version_id, name, data_type, description, business_definition, is_mandatory, is_cde, is_primary_key,
         max_length, information_security_classification, data_source_id, source_column, llm_metadata)
      values (${versionId}, ${name}, ${p.data_type}, ${p.description}, ${p.business_definition || null},
              ${p.is_mandatory}, ${p.is_cde}, ${p.is_primary_key}, ${p.max_length},
              ${p.information_security_classification}, ${source.id}, ${p.source.column},
              ${json(tx, { ...meta, confidence_score: p.confidence, rationale: p.rationale })})
      returning id`;
    for (const m of p.pde_mappings) {
      const column = source.schema.columns.find((c) => c.name === m.source_column);
      await tx`
        insert into public.planning_pde_mappings
          (version_id, attribute_id, pde_name, pde_code, mapping_type, source_table, source_column, column_data_type,
           transformation_rule, is_primary, classification, llm_metadata)
        values (${versionId}, ${attribute!.id}, ${m.pde_name}, ${m.pde_code}, ${m.mapping_type}, ${m.source_table},
                ${m.source_column}, ${column?.pgType ?? column?.type ?? null}, ${m.transformation_rule}, ${m.is_primary},
                ${json(tx, m.classification)},
                ${json(tx, { ...meta, confidence_score: m.confidence, rationale: p.rationale })})`;
    }
  }
  return proposals.length;
}

export async function storeRules(
  tx: postgres.TransactionSql,
  versionId: string,
  attributeIds: Map<string, string>,
  proposals: RuleProposal[],
  provenance: Provenance,
): Promise<number> {
  const existing = await tx<{ attribute_id: string; name: string }[]>`
    select attribute_id, lower(name) as name from public.profiling_rules where version_id = ${versionId}`;
  const taken = new Map<string, Set<string>>();
  const namesOf = (attributeId: string) =>
    taken.get(attributeId) ?? taken.set(attributeId, new Set()).get(attributeId)!;
  for (const r of existing) namesOf(r.attribute_id).add(r.name);
  const [{ next }] = await tx<[{ next: number }]>`
    select coalesce(max(execution_order) + 1, 0)::int as next from public.profiling_rules where version_id = ${versionId}`;
  for (const [i, p] of proposals.entries()) {
    // The output schema accepted only attributes of the batch.
    const attributeId = attributeIds.get(p.attribute)!;
    await tx`
      insert into public.profiling_rules
        (version_id, attribute_id, name, rule_type, description, definition, severity, execution_order, llm_metadata)
      values (${versionId}, ${attributeId}, ${uniqueName(p.name, namesOf(attributeId))}, ${p.rule_type},
              ${p.description}, ${json(tx, p.definition)}, ${p.severity}, ${next + i},
              ${json(tx, {
                provider: provenance.provider,
                model: provenance.model,
                generation_job_id: provenance.jobId,
                confidence: p.confidence,
                rationale: p.rationale,
              })})`;
  }
  return proposals.length;
}

/**
 * Records recommendations on scoping decisions of the draft (decision ids by attribute name). A decision the tester
 * has not decided yet also takes them as its values (in scope, risk, approach, the reason as rationale), so the
 * tester starts from the recommendation. The scoping policy wins over any provider: an attribute it keeps in scope
 * is recommended in scope, with the policy's reason.
 */
export async function storeScoping(
  tx: postgres.TransactionSql,
  decisionIds: Map<string, string>,
  recommendations: ScopingRecommendation[],
  provenance: Provenance,
): Promise<number> {
  for (const r of recommendations) {
    // The output schema accepted only attributes of the batch.
    const id = decisionIds.get(r.attribute)!;
    await tx`
      with p as (
        select d.id, cardinality(private.scoping_policy_reasons(d.attribute_id)) > 0 as kept,
               array_to_string(private.scoping_policy_reasons(d.attribute_id), ', ') as reasons
          from public.scoping_decisions d where d.id = ${id}
      ), r as (
        select p.id, (${r.in_scope} or p.kept) as in_scope,
               case when ${r.in_scope} or not p.kept then ${r.reason}
                    else 'The scoping policy keeps it in scope: ' || p.reasons || '.' end as reason,
               case when ${r.in_scope} or not p.kept then ${r.testing_approach}::text else 'both' end as approach
          from p
      )
      update public.scoping_decisions d
         set recommended_in_scope = r.in_scope, recommended_risk_rating = ${r.risk_rating}::public.risk_level,
             recommended_testing_approach = r.approach, recommendation_reason = r.reason,
             recommendation_provider = ${provenance.provider}, recommendation_confidence = ${r.confidence},
             recommendation_job_id = ${provenance.jobId},
             in_scope = case when d.tester_decision is null then r.in_scope else d.in_scope end,
             risk_rating = case when d.tester_decision is null then ${r.risk_rating}::public.risk_level else d.risk_rating end,
             testing_approach = case when d.tester_decision is null then r.approach else d.testing_approach end,
             rationale = case when d.tester_decision is null then r.reason else d.rationale end
        from r where d.id = r.id`;
  }
  return recommendations.length;
}
