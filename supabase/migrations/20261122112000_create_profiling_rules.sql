-- Profiling rules: the data-quality rules of a data-profiling version, one or more per approved planning
-- attribute of the planning version the profiling version is based on. Definitions are in the rule
-- language (never free SQL), checked structurally by a constraint and against the columns of the
-- attribute's data source by a trigger. Both the tester and the report owner decide on each rule.

create table public.profiling_rules (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  attribute_id uuid not null references public.planning_attributes (id),
  name text not null check (char_length(btrim(name)) between 1 and 255),
  rule_type text not null check (rule_type in ('completeness', 'validity', 'accuracy', 'consistency', 'uniqueness')),
  description text,
  definition jsonb not null constraint profiling_rules_definition_valid check (private.is_valid_rule_definition(definition)),
  parameters jsonb not null default '{}' check (jsonb_typeof(parameters) = 'object'),
  severity text not null default 'medium' check (severity in ('low', 'medium', 'high')),
  execution_order integer not null default 0,
  is_executable boolean not null default true,
  llm_metadata jsonb check (
    llm_metadata is null or (
      jsonb_typeof(llm_metadata) = 'object'
      and (not llm_metadata ? 'provider' or jsonb_typeof(llm_metadata -> 'provider') = 'string')
      and (not llm_metadata ? 'rationale' or jsonb_typeof(llm_metadata -> 'rationale') = 'string')
      and (not llm_metadata ? 'confidence' or (jsonb_typeof(llm_metadata -> 'confidence') = 'number'
        and (llm_metadata ->> 'confidence')::numeric between 0 and 1))
    )
  ),
  regulatory_reference text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, attribute_id, name)
);
comment on table public.profiling_rules is
  'Data-quality rules of a data-profiling version: per approved planning attribute, a rule in the rule language with its type, severity and execution order, LLM metadata, and the tester''s and report owner''s decisions (item_status is the rule''s status). Names are unique per attribute and version.';
comment on column public.profiling_rules.attribute_id is 'An approved attribute of the planning version this profiling version is based on (artifact_versions.based_on_version_id).';
comment on column public.profiling_rules.rule_type is 'completeness | validity | accuracy | consistency | uniqueness.';
comment on column public.profiling_rules.definition is 'The rule in the rule language (docs/rule-language.md); must fit the columns of the attribute''s data source.';
comment on column public.profiling_rules.parameters is 'Free-form settings shown with the rule (thresholds, notes for reviewers); execution uses only the definition.';
comment on column public.profiling_rules.severity is 'low | medium | high.';
comment on column public.profiling_rules.execution_order is 'Rules run in this order (then by name); results are reported in it.';
comment on column public.profiling_rules.is_executable is 'False for rules kept for review only; they are not run.';
comment on column public.profiling_rules.llm_metadata is 'How the rule was proposed: {provider, rationale, confidence 0-1} (provider heuristic for offline proposals).';

create index profiling_rules_attribute_id_idx on public.profiling_rules (attribute_id);

select private.attach_versioned_items('public.profiling_rules', 'data_profiling', 0);

create trigger touch_updated_at before update on public.profiling_rules
  for each row execute function private.touch_updated_at();

-- Attribute and columns --------------------------------------------------------------------------------------
create function private.validate_profiling_rule()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_basis uuid;
  v_attribute record;
  v_errors text[];
begin
  if tg_op = 'UPDATE' and (new.attribute_id, new.definition) is not distinct from (old.attribute_id, old.definition) then
    return new;
  end if;
  select v.based_on_version_id into v_basis from public.artifact_versions v where v.id = new.version_id;

  -- A copy whose attribute belongs to an older planning version follows the attribute of the same name.
  if tg_op = 'INSERT' and new.parent_item_id is not null then
    select coalesce(
      (select a.id from public.planning_attributes a where a.id = new.attribute_id and a.version_id = v_basis),
      (select n.id from public.planning_attributes o
         join public.planning_attributes n on n.version_id = v_basis and n.name = o.name
        where o.id = new.attribute_id),
      new.attribute_id)
      into new.attribute_id;
  end if;

  select a.name, a.version_id, a.item_status, a.data_source_id, s.name as source_name, s.schema
    into v_attribute
    from public.planning_attributes a
    left join public.planning_data_sources s on s.id = a.data_source_id
   where a.id = new.attribute_id;
  if v_attribute.version_id is distinct from v_basis then
    raise exception using errcode = 'PT409', detail = 'attribute_not_in_planning_version',
      message = 'A profiling rule checks an attribute of the planning version its profiling version is based on.';
  end if;
  if v_attribute.item_status <> 'approved' then
    raise exception using errcode = 'PT409', detail = 'attribute_not_approved',
      message = format('Attribute %s is not approved in planning; rules are written for approved attributes only.', v_attribute.name);
  end if;

  v_errors := private.rule_definition_errors(new.definition);
  if cardinality(v_errors) > 0 then
    raise exception using errcode = 'PT400', detail = 'invalid_rule_definition',
      message = 'The rule definition is invalid: ' || array_to_string(v_errors, '; ');
  end if;
  if v_attribute.data_source_id is null or v_attribute.schema is null then
    raise exception using errcode = 'PT409', detail = 'attribute_has_no_data_source',
      message = format('Attribute %s is not mapped to a data source with a known schema, so a rule cannot be checked against it.', v_attribute.name);
  end if;
  v_errors := private.rule_definition_column_errors(new.definition, (
    select coalesce(jsonb_agg(jsonb_build_object('name', c ->> 'name', 'type', coalesce(c ->> 'pgType', c ->> 'type'))), '[]')
      from jsonb_array_elements(v_attribute.schema -> 'columns') c));
  if cardinality(v_errors) > 0 then
    raise exception using errcode = 'PT400', detail = 'rule_does_not_fit_data_source',
      message = format('The rule does not fit data source %s: %s', v_attribute.source_name, array_to_string(v_errors, '; ')),
      hint = 'Use the columns of the attribute''s data source, with values of their types.';
  end if;
  return new;
end;
$$;
comment on function private.validate_profiling_rule() is
  'Trigger: a rule''s attribute is an approved attribute of the planning version its profiling version is based on (copies follow an attribute of the same name), and its definition is valid and fits the columns of the attribute''s data source. Errors: PT409 attribute_not_in_planning_version | attribute_not_approved | attribute_has_no_data_source; PT400 invalid_rule_definition | rule_does_not_fit_data_source.';

-- Named to run after guard_versioned_item, so state and role are refused first.
create trigger validate_profiling_rule
  before insert or update on public.profiling_rules
  for each row execute function private.validate_profiling_rule();

revoke execute on function private.validate_profiling_rule() from public;
