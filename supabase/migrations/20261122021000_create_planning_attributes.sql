-- Planning attributes: the report's attributes in a planning version, with their characteristics, their
-- mapping to a column of one of the version's data sources (checked against that source's schema), LLM
-- metadata and the tester's decision. Versioned items of the planning phase.

create table public.planning_attributes (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  name text not null check (char_length(btrim(name)) between 1 and 255),
  data_type text not null check (data_type in ('string', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'text')),
  description text,
  business_definition text,
  is_mandatory boolean not null default false,
  is_cde boolean not null default false,
  is_primary_key boolean not null default false,
  max_length integer check (max_length > 0),
  information_security_classification text not null default 'internal'
    check (information_security_classification in ('public', 'internal', 'confidential', 'restricted')),
  data_source_id uuid references public.planning_data_sources (id),
  source_column text,
  transformation_rule text,
  llm_metadata jsonb check (llm_metadata is null or jsonb_typeof(llm_metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, name)
);
comment on table public.planning_attributes is
  'Attributes of the report in a planning version: definition, CDE / primary key / mandatory flags, security classification, the data source column they come from, LLM metadata and the tester''s decision. Names are unique per version.';
comment on column public.planning_attributes.data_type is 'string | integer | decimal | boolean | date | datetime | text.';
comment on column public.planning_attributes.is_cde is 'A critical data element.';
comment on column public.planning_attributes.information_security_classification is 'public | internal | confidential | restricted.';
comment on column public.planning_attributes.data_source_id is 'The data source (of the same version) the attribute is read from; copies of a version point to the copied sources.';
comment on column public.planning_attributes.source_column is 'The column of the data source''s schema the attribute is read from; checked against the schema.';
comment on column public.planning_attributes.llm_metadata is 'How the attribute was proposed: provider, model, confidence_score, rationale, regulatory recommendations.';

create index planning_attributes_data_source_id_idx on public.planning_attributes (data_source_id);

select private.attach_versioned_items('public.planning_attributes', 'planning', 1);

create trigger touch_updated_at before update on public.planning_attributes
  for each row execute function private.touch_updated_at();

create function private.check_planning_attribute()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_source record;
begin
  if new.data_source_id is null then
    if new.source_column is not null then
      raise exception using errcode = 'PT400', detail = 'source_column_without_data_source',
        message = 'A source column needs the data source it belongs to.';
    end if;
    return new;
  end if;
  -- A copy made for a new version still points to the parent version's source: follow it to its copy.
  if tg_op = 'INSERT' and new.parent_item_id is not null then
    select s.id into v_source from public.planning_data_sources s
     where s.version_id = new.version_id and s.parent_item_id = new.data_source_id;
    if found then
      new.data_source_id := v_source.id;
    end if;
  end if;
  select s.version_id, s.name, s.status, s.schema into v_source
    from public.planning_data_sources s where s.id = new.data_source_id;
  if v_source.version_id is distinct from new.version_id then
    raise exception using errcode = 'PT409', detail = 'data_source_other_version',
      message = 'An attribute can only be mapped to a data source of its own version.';
  end if;
  if new.source_column is not null then
    if v_source.schema is null then
      raise exception using errcode = 'PT409', detail = 'data_source_schema_unknown',
        message = format('The schema of data source %s is not known yet; test its connection first.', v_source.name);
    end if;
    if not exists (select 1 from jsonb_array_elements(v_source.schema -> 'columns') c where c ->> 'name' = new.source_column) then
      raise exception using errcode = 'PT400', detail = 'source_column_not_in_schema',
        message = format('Data source %s has no column %s.', v_source.name, new.source_column),
        hint = 'Pick one of the columns of the data source''s schema.';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.check_planning_attribute() is
  'Trigger: an attribute''s data source belongs to its version (copies are re-pointed to the copied source) and its source column is a column of that source''s schema. Errors: PT400 source_column_without_data_source | source_column_not_in_schema, PT409 data_source_other_version | data_source_schema_unknown.';

-- Runs after guard_versioned_item (triggers fire by name), so permissions and state are checked first.
create trigger validate_planning_attribute
  before insert or update of data_source_id, source_column, version_id on public.planning_attributes
  for each row execute function private.check_planning_attribute();

revoke execute on function private.check_planning_attribute() from public;
