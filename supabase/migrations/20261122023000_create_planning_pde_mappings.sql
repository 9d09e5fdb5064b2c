-- PDE mappings: the physical data elements an attribute is read from, many per attribute, each with a
-- validated classification, a risk score derived from it, and its own tester decision, which an
-- auto-approval rule may record when the mapping is added.

-- Risk score (0–10), as the planning plan defines it: risk level + criticality + information security.
create function private.pde_risk_score(p_classification jsonb)
returns smallint
language sql
immutable
set search_path = ''
as $$
  select least(10,
    case coalesce(p_classification ->> 'risk_level', 'medium') when 'high' then 4 when 'medium' then 2 when 'low' then 1 else 0 end
    + case coalesce(p_classification ->> 'criticality', 'medium') when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end
    + case coalesce(p_classification ->> 'information_security', 'internal')
        when 'restricted' then 3 when 'confidential' then 2 when 'internal' then 1 else 0 end
  )::smallint
$$;
comment on function private.pde_risk_score(jsonb) is
  'Risk score of a PDE classification, 0–10: risk_level high 4 / medium 2 / low 1, plus criticality high 3 / medium 2 / low 1, plus information_security restricted 3 / confidential 2 / internal 1 / public 0; missing values count as medium, medium, internal.';

create function private.pde_classification_errors(p_classification jsonb)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case when jsonb_typeof(p_classification) is distinct from 'object' then array['classification must be a JSON object']
  else array_remove(array[
    (select 'unknown key ' || string_agg(k, ', ' order by k) from jsonb_object_keys(p_classification) k
      where k <> all (array['criticality', 'risk_level', 'information_security', 'regulatory_flag', 'pii_flag',
                            'data_category', 'evidence_type', 'evidence_reference'])),
    case when p_classification ? 'criticality' and not coalesce(p_classification ->> 'criticality' = any (array['low', 'medium', 'high']), false)
      then 'criticality must be low, medium or high' end,
    case when p_classification ? 'risk_level' and not coalesce(p_classification ->> 'risk_level' = any (array['low', 'medium', 'high']), false)
      then 'risk_level must be low, medium or high' end,
    case when p_classification ? 'information_security'
          and not coalesce(p_classification ->> 'information_security' = any (array['public', 'internal', 'confidential', 'restricted']), false)
      then 'information_security must be public, internal, confidential or restricted' end,
    case when p_classification ? 'regulatory_flag' and jsonb_typeof(p_classification -> 'regulatory_flag') <> 'boolean'
      then 'regulatory_flag must be true or false' end,
    case when p_classification ? 'pii_flag' and jsonb_typeof(p_classification -> 'pii_flag') <> 'boolean'
      then 'pii_flag must be true or false' end,
    case when exists (select 1 from unnest(array['data_category', 'evidence_type', 'evidence_reference']) k
                       where p_classification ? k and jsonb_typeof(p_classification -> k) <> 'string')
      then 'data_category, evidence_type and evidence_reference must be text' end
  ], null) end
$$;
comment on function private.pde_classification_errors(jsonb) is
  'Why a PDE classification is invalid (empty when valid): an object with criticality and risk_level (low | medium | high), information_security (public | internal | confidential | restricted), regulatory_flag and pii_flag (booleans), data_category, evidence_type, evidence_reference (text), nothing else.';

create table public.planning_pde_mappings (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  attribute_id uuid not null references public.planning_attributes (id) on delete cascade,
  pde_name text not null check (char_length(btrim(pde_name)) between 1 and 255),
  pde_code text not null check (char_length(btrim(pde_code)) between 1 and 100),
  mapping_type text not null default 'direct' check (mapping_type in ('direct', 'conditional', 'derived', 'lookup')),
  source_field text,
  source_table text,
  source_column text,
  column_data_type text,
  transformation_rule text,
  condition text,
  is_primary boolean not null default false,
  classification jsonb not null default '{}',
  llm_metadata jsonb check (llm_metadata is null or jsonb_typeof(llm_metadata) = 'object'),
  risk_score smallint not null default 0,
  auto_approved boolean not null default false,
  auto_approval_rule_id bigint references public.planning_auto_approval_rules (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (attribute_id, pde_code)
);
comment on table public.planning_pde_mappings is
  'PDE mappings of planning attributes (many per attribute, pde_code unique per attribute): where the attribute''s value physically comes from, its classification, risk score and its own tester decision, possibly recorded by an auto-approval rule.';
comment on column public.planning_pde_mappings.mapping_type is 'direct | conditional | derived | lookup.';
comment on column public.planning_pde_mappings.is_primary is 'The attribute''s primary mapping (others are alternatives, e.g. a backup source).';
comment on column public.planning_pde_mappings.classification is 'criticality, risk_level, information_security, regulatory_flag, pii_flag, data_category, evidence_type, evidence_reference; validated.';
comment on column public.planning_pde_mappings.llm_metadata is 'How the mapping was proposed: confidence_score (0–1, read by auto-approval), model, rationale, alternative_mappings.';
comment on column public.planning_pde_mappings.risk_score is 'Derived from the classification (0–10), see private.pde_risk_score; set by the database.';
comment on column public.planning_pde_mappings.auto_approved is 'True while the tester decision is the one an auto-approval rule recorded; a person''s decision clears it.';
comment on column public.planning_pde_mappings.auto_approval_rule_id is 'The rule that approved the mapping automatically (while auto_approved). A rule that approved mappings cannot be deleted; disable it instead.';

create index planning_pde_mappings_auto_approval_rule_id_idx on public.planning_pde_mappings (auto_approval_rule_id);

select private.attach_versioned_items('public.planning_pde_mappings', 'planning', 2);

-- What people write through the API; the derived columns are the database's.
revoke insert, update on table public.planning_pde_mappings from authenticated;
grant insert (id, version_id, attribute_id, pde_name, pde_code, mapping_type, source_field, source_table, source_column,
  column_data_type, transformation_rule, condition, is_primary, classification, llm_metadata, tester_decision, tester_notes,
  report_owner_decision, report_owner_notes)
  on table public.planning_pde_mappings to authenticated;
grant update (pde_name, pde_code, mapping_type, source_field, source_table, source_column, column_data_type,
  transformation_rule, condition, is_primary, classification, llm_metadata, tester_decision, tester_notes, report_owner_decision,
  report_owner_notes)
  on table public.planning_pde_mappings to authenticated;

create trigger touch_updated_at before update on public.planning_pde_mappings
  for each row execute function private.touch_updated_at();

-- Before the lifecycle guard (triggers fire by name), so the guard stamps an automatic decision like any other.
create function private.derive_planning_pde_mapping()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_attribute record;
  v_rule record;
  v_confidence numeric;
begin
  -- A copy made for a new version still points to the parent version's attribute: follow it to its copy.
  if tg_op = 'INSERT' and new.parent_item_id is not null then
    select a.id into v_attribute from public.planning_attributes a
     where a.version_id = new.version_id and a.parent_item_id = new.attribute_id;
    if found then
      new.attribute_id := v_attribute.id;
    end if;
  end if;
  new.risk_score := private.pde_risk_score(new.classification);

  if tg_op = 'UPDATE' then
    new.auto_approved := old.auto_approved;
    new.auto_approval_rule_id := old.auto_approval_rule_id;
    if (new.tester_decision, new.tester_notes) is distinct from (old.tester_decision, old.tester_notes) then
      -- A person decided: the automatic decision is overridden.
      new.auto_approved := false;
      new.auto_approval_rule_id := null;
    end if;
    return new;
  end if;

  new.auto_approved := false;
  new.auto_approval_rule_id := null;
  if new.tester_decision is not null or new.tester_notes is not null then
    return new; -- a person's decision is never replaced
  end if;
  select a.is_primary_key into v_attribute from public.planning_attributes a where a.id = new.attribute_id;
  v_confidence := case when jsonb_typeof(new.llm_metadata -> 'confidence_score') = 'number'
                       then (new.llm_metadata ->> 'confidence_score')::numeric end;
  if v_confidence is null then
    return new;
  end if;
  select r.id, r.name, r.min_llm_confidence,
         case when r.approve_public_classification and new.classification ->> 'information_security' = 'public'
                then 'public classification'
              when r.approve_primary_keys and v_attribute.is_primary_key then 'primary key attribute'
              else format('risk score %s ≤ %s', new.risk_score, r.max_risk_score) end as criterion
    into v_rule
    from public.planning_auto_approval_rules r
   where r.is_enabled and v_confidence >= r.min_llm_confidence
     and ((r.approve_public_classification and new.classification ->> 'information_security' = 'public')
       or (r.approve_primary_keys and coalesce(v_attribute.is_primary_key, false))
       or new.risk_score <= r.max_risk_score)
   order by r.priority, r.id
   limit 1;
  if found then
    new.tester_decision := 'approved';
    new.tester_notes := format('Auto-approved by rule "%s": LLM confidence %s ≥ %s, %s.',
      v_rule.name, v_confidence, v_rule.min_llm_confidence, v_rule.criterion);
    new.auto_approved := true;
    new.auto_approval_rule_id := v_rule.id;
  end if;
  return new;
end;
$$;
comment on function private.derive_planning_pde_mapping() is
  'Trigger: re-points a copied mapping to the copy of its attribute; derives risk_score from the classification; on insert without a decision, records an approving tester decision from the first enabled auto-approval rule that fires (auto_approved, auto_approval_rule_id); a person''s later decision clears auto_approved.';

create trigger derive_planning_pde_mapping
  before insert or update on public.planning_pde_mappings
  for each row execute function private.derive_planning_pde_mapping();

create function private.check_planning_pde_mapping()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_errors text[] := private.pde_classification_errors(new.classification);
begin
  if v_errors <> '{}' then
    raise exception using errcode = 'PT400', detail = 'invalid_classification',
      message = 'Invalid PDE classification: ' || array_to_string(v_errors, '; ') || '.';
  end if;
  if not exists (select 1 from public.planning_attributes a where a.id = new.attribute_id and a.version_id = new.version_id) then
    raise exception using errcode = 'PT409', detail = 'attribute_other_version',
      message = 'A PDE mapping belongs to an attribute of its own version.';
  end if;
  return new;
end;
$$;
comment on function private.check_planning_pde_mapping() is
  'Trigger: the classification is valid (PT400 invalid_classification) and the attribute belongs to the mapping''s version (PT409 attribute_other_version).';

-- After guard_versioned_item by name: permissions and state first.
create trigger validate_planning_pde_mapping
  before insert or update on public.planning_pde_mappings
  for each row execute function private.check_planning_pde_mapping();

revoke execute on function private.pde_risk_score(jsonb), private.pde_classification_errors(jsonb),
  private.derive_planning_pde_mapping(), private.check_planning_pde_mapping() from public;
