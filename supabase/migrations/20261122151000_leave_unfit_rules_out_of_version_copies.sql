-- A new profiling version copies the rules of its parent; when the approved planning version it is based on
-- has dropped a rule's attribute (or no longer approves it, maps it, or has its columns), that rule is left out of
-- the copy instead of refusing the whole new version, which left the cycle report without a way forward.

create or replace function private.validate_profiling_rule()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_copy boolean;
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

  -- In create_version's copy (see private.copy_version_items), a rule that no longer fits the approved planning
  -- version (its attribute dropped, not approved, unmapped, or its columns gone) is left out of the new version
  -- (return null) rather than refusing the whole version; the parent version keeps it.
  v_copy := tg_op = 'INSERT' and new.parent_item_id is not null and pg_trigger_depth() > 1
    and coalesce(current_setting('regtest.copying_version_id', true) = new.version_id::text, false);
  if v_attribute.version_id is distinct from v_basis then
    if v_copy then return null; end if;
    raise exception using errcode = 'PT409', detail = 'attribute_not_in_planning_version',
      message = 'A profiling rule checks an attribute of the planning version its profiling version is based on.';
  end if;
  if v_attribute.item_status <> 'approved' then
    if v_copy then return null; end if;
    raise exception using errcode = 'PT409', detail = 'attribute_not_approved',
      message = format('Attribute %s is not approved in planning; rules are written for approved attributes only.', v_attribute.name);
  end if;

  v_errors := private.rule_definition_errors(new.definition);
  if cardinality(v_errors) > 0 then
    if v_copy then return null; end if;
    raise exception using errcode = 'PT400', detail = 'invalid_rule_definition',
      message = 'The rule definition is invalid: ' || array_to_string(v_errors, '; ');
  end if;
  if v_attribute.data_source_id is null or v_attribute.schema is null then
    if v_copy then return null; end if;
    raise exception using errcode = 'PT409', detail = 'attribute_has_no_data_source',
      message = format('Attribute %s is not mapped to a data source with a known schema, so a rule cannot be checked against it.', v_attribute.name);
  end if;
  v_errors := private.rule_definition_column_errors(new.definition, (
    select coalesce(jsonb_agg(jsonb_build_object('name', c ->> 'name', 'type', coalesce(c ->> 'pgType', c ->> 'type'))), '[]')
      from jsonb_array_elements(v_attribute.schema -> 'columns') c));
  if cardinality(v_errors) > 0 then
    if v_copy then return null; end if;
    raise exception using errcode = 'PT400', detail = 'rule_does_not_fit_data_source',
      message = format('The rule does not fit data source %s: %s', v_attribute.source_name, array_to_string(v_errors, '; ')),
      hint = 'Use the columns of the attribute''s data source, with values of their types.';
  end if;
  return new;
end;
$$;
comment on function private.validate_profiling_rule() is
  'Trigger: a rule''s attribute is an approved attribute of the planning version its profiling version is based on (copies follow an attribute of the same name), and its definition is valid and fits the columns of the attribute''s data source. In create_version''s copy a rule that no longer fits is left out of the new version. Errors: PT409 attribute_not_in_planning_version | attribute_not_approved | attribute_has_no_data_source; PT400 invalid_rule_definition | rule_does_not_fit_data_source.';
