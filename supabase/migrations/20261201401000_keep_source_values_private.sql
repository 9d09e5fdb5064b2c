-- A data source's measured values stay out of the REST API and the audit log.
--
-- Before: planning_data_sources.schema recorded, per column, min, max and example values next to the
-- column's shape, readable by the testers and owners of the cycle report over REST and copied whole into
-- audit_log, also for columns that planning later classified confidential or restricted, or that a PDE
-- mapping flagged as personal data. Failed-row samples mask such columns; their examples did not.
-- Now the values live in private.planning_data_source_values (no API role but the service_role reads it):
-- a trigger takes min, max and examples out of every schema written to planning_data_sources, so the table,
-- its REST answers and the audit log hold the shape only. People read a source's schema with its values
-- through public.data_source_schema(id), which leaves out the values of the columns masked at the time of
-- the read (classification comes after upload). The generation function reads the values as the service_role
-- and applies its own rules for remote models. Values already stored are moved, and scrubbed from old audit
-- rows of planning_data_sources.
--
-- Redefines private.profiling_masked_source_columns (20261122150000_mask_columns_flagged_by_pde_mappings): a
-- column is masked when any version classifies it for the same table (a later planning version, a copy),
-- not only the version of the data source at hand.

create table private.planning_data_source_values (
  data_source_id uuid primary key
    references public.planning_data_sources (id) on delete cascade deferrable initially deferred,
  columns jsonb not null check (jsonb_typeof(columns) = 'object'),
  updated_at timestamptz not null default now()
);
comment on table private.planning_data_source_values is
  'The measured values of a data source''s columns (min, max, examples), by column name: {"<column>": {"min", "max", "examples"}}. Kept out of planning_data_sources.schema so that neither REST nor the audit log shows them; read through public.data_source_schema(), which masks per current classification. The foreign key is checked at commit, because the row is written by the source''s before trigger.';
alter table private.planning_data_source_values enable row level security;
revoke all on table private.planning_data_source_values from public, anon, authenticated, service_role;
grant select on table private.planning_data_source_values to service_role;

create index planning_data_sources_table_name_idx on public.planning_data_sources (table_name);
create index planning_pde_mappings_source_table_idx on public.planning_pde_mappings (source_table);

-- Writes: the schema keeps its shape, the values go to the private table --------------------------------------
create function private.keep_source_values_private()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_values jsonb;
begin
  if new.schema is null or jsonb_typeof(new.schema -> 'columns') is distinct from 'array' then
    if tg_op = 'UPDATE' and new.schema is null then
      delete from private.planning_data_source_values where data_source_id = new.id;
    end if;
    return new;
  end if;
  select jsonb_object_agg(c ->> 'name', (select jsonb_object_agg(k, c -> k) from unnest(array['min', 'max', 'examples']) k where c ? k))
    into v_values
    from jsonb_array_elements(new.schema -> 'columns') c
   where c ?| array['min', 'max', 'examples'];
  if v_values is null then
    return new;
  end if;
  -- A column written without values keeps those measured before; a column no longer in the schema loses them.
  insert into private.planning_data_source_values as v (data_source_id, columns) values (new.id, v_values)
  on conflict (data_source_id) do update
    set columns = coalesce((select jsonb_object_agg(e.key, e.value) from jsonb_each(v.columns) e
                             where e.key in (select c ->> 'name' from jsonb_array_elements(new.schema -> 'columns') c)),
                           '{}'::jsonb) || excluded.columns,
        updated_at = now();
  new.schema := jsonb_set(new.schema, '{columns}',
    (select jsonb_agg(c - array['min', 'max', 'examples'] order by o)
       from jsonb_array_elements(new.schema -> 'columns') with ordinality e (c, o)));
  return new;
end;
$$;
comment on function private.keep_source_values_private() is
  'Trigger: moves min, max and examples out of a data source''s schema into private.planning_data_source_values, so planning_data_sources (and its audit rows) keep the columns'' shape only.';

create trigger keep_source_values_private
  before insert or update of schema on public.planning_data_sources
  for each row execute function private.keep_source_values_private();

create function private.copy_planning_data_source_values()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.planning_data_source_values (data_source_id, columns)
  select new.id, v.columns from private.planning_data_source_values v where v.data_source_id = new.parent_item_id
  on conflict (data_source_id) do nothing;
  return null;
end;
$$;
comment on function private.copy_planning_data_source_values() is
  'Trigger: a data source copied into a new version gets a copy of its parent''s measured values.';

create trigger copy_planning_data_source_values
  after insert on public.planning_data_sources
  for each row when (new.parent_item_id is not null)
  execute function private.copy_planning_data_source_values();

-- Masking: decided when read, for the table whatever version classified it ---------------------------------------
create or replace function private.profiling_masked_source_columns(p_data_source_id uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  with same_table as (
    select t.id, t.version_id, t.table_name
      from public.planning_data_sources s
      join public.planning_data_sources t
        on t.table_name = s.table_name and t.source_type = s.source_type
       and t.schema_name is not distinct from s.schema_name
       and (s.source_type = 'file_upload'
            or (t.host, t.port, t.database_name) is not distinct from (s.host, s.port, s.database_name))
     where s.id = p_data_source_id
  ), sensitive (class) as (
    values ('confidential'), ('restricted')
  )
  select coalesce(array_agg(distinct m.col order by m.col), '{}')
    from (
      select a.source_column as col
        from public.planning_attributes a join same_table t on t.id = a.data_source_id
       where a.source_column is not null
         and (a.information_security_classification in (select class from sensitive)
              or exists (select 1 from public.planning_pde_mappings p
                          where p.attribute_id = a.id
                            and (p.classification ->> 'information_security' in (select class from sensitive)
                                 or p.classification -> 'pii_flag' = 'true'::jsonb)))
      union all
      select p.source_column
        from public.planning_pde_mappings p join same_table t on t.version_id = p.version_id and t.table_name = p.source_table
       where p.source_column is not null
         and (p.classification ->> 'information_security' in (select class from sensitive)
              or p.classification -> 'pii_flag' = 'true'::jsonb)
    ) m
$$;
comment on function private.profiling_masked_source_columns(uuid) is
  'Columns of a data source whose values never leave the database unmasked (''***'' in failed-row samples, no min, max or examples in data_source_schema): those that a planning attribute of any version reading the same table classifies confidential or restricted, or whose attribute has a PDE mapping classified so or flagged as personal data (pii_flag), or that such a PDE mapping names (source_table, source_column). Decided when called, so a later classification masks values measured earlier.';

create function private.source_schema_with_values(p_schema jsonb, p_values jsonb, p_masked text[])
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select case
    when p_schema is null or jsonb_typeof(p_schema -> 'columns') is distinct from 'array' then p_schema
    else jsonb_set(p_schema, '{columns}', coalesce((
      select jsonb_agg(
               case when c ->> 'name' = any (p_masked)
                    then c || '{"min": null, "max": null, "examples": [], "masked": true}'::jsonb
                    else c || coalesce(p_values -> (c ->> 'name'), '{}'::jsonb) end
               order by o)
        from jsonb_array_elements(p_schema -> 'columns') with ordinality e (c, o)), '[]'::jsonb))
  end
$$;
comment on function private.source_schema_with_values(jsonb, jsonb, text[]) is
  'A stored data-source schema with each column''s measured values put back, except for the masked columns, which get min and max null, no examples and "masked": true.';

create function public.data_source_schema(p_data_source_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_version_id uuid;
  v_schema jsonb;
begin
  select s.version_id, s.schema into v_version_id, v_schema
    from public.planning_data_sources s where s.id = p_data_source_id;
  if v_version_id is null
     or not (private.is_privileged() or v_version_id in (select private.readable_version_ids())) then
    raise exception using errcode = 'PT404', detail = 'data_source_not_found',
      message = 'This data source does not exist or is not visible to you.';
  end if;
  return private.source_schema_with_values(
    v_schema,
    (select v.columns from private.planning_data_source_values v where v.data_source_id = p_data_source_id),
    private.profiling_masked_source_columns(p_data_source_id));
end;
$$;
comment on function public.data_source_schema(uuid) is
  'A data source''s schema with min, max and examples of each column, except the columns masked now (private.profiling_masked_source_columns), which show "masked": true instead. For whoever can read the source. Errors: PT404 data_source_not_found.';

revoke all on function private.keep_source_values_private(), private.copy_planning_data_source_values() from public;
revoke all on function private.source_schema_with_values(jsonb, jsonb, text[]) from public;
grant execute on function private.source_schema_with_values(jsonb, jsonb, text[]) to service_role;
revoke all on function public.data_source_schema(uuid) from public, anon, authenticated, service_role;
grant execute on function public.data_source_schema(uuid) to authenticated;

-- Values already stored: moved, and scrubbed from the audit rows that copied them ----------------------------------
insert into private.planning_data_source_values (data_source_id, columns)
select s.id, v.values
  from public.planning_data_sources s
  cross join lateral (
    select jsonb_object_agg(c ->> 'name', (select jsonb_object_agg(k, c -> k) from unnest(array['min', 'max', 'examples']) k where c ? k)) as values
      from jsonb_array_elements(s.schema -> 'columns') c
     where c ?| array['min', 'max', 'examples']) v
 where jsonb_typeof(s.schema -> 'columns') = 'array' and v.values is not null;

-- The workflow triggers would refuse changes to approved versions' sources and to the audit log: this is a
-- one-off correction by the migration, not a change of content.
alter table public.planning_data_sources disable trigger user;
update public.planning_data_sources s
   set schema = jsonb_set(s.schema, '{columns}',
         (select jsonb_agg(c - array['min', 'max', 'examples'] order by o)
            from jsonb_array_elements(s.schema -> 'columns') with ordinality e (c, o)))
 where jsonb_typeof(s.schema -> 'columns') = 'array'
   and jsonb_path_exists(s.schema, '$.columns[*] ? (exists(@.min) || exists(@.max) || exists(@.examples))');
alter table public.planning_data_sources enable trigger user;

alter table public.audit_log disable trigger user;
update public.audit_log a
   set old_values = case when jsonb_typeof(a.old_values -> 'schema' -> 'columns') = 'array'
                         then jsonb_set(a.old_values, '{schema,columns}',
                                coalesce((select jsonb_agg(c - array['min', 'max', 'examples'] order by o)
                                   from jsonb_array_elements(a.old_values -> 'schema' -> 'columns') with ordinality e (c, o)), '[]'))
                         else a.old_values end,
       new_values = case when jsonb_typeof(a.new_values -> 'schema' -> 'columns') = 'array'
                         then jsonb_set(a.new_values, '{schema,columns}',
                                coalesce((select jsonb_agg(c - array['min', 'max', 'examples'] order by o)
                                   from jsonb_array_elements(a.new_values -> 'schema' -> 'columns') with ordinality e (c, o)), '[]'))
                         else a.new_values end
 where a.table_name = 'public.planning_data_sources'
   and (jsonb_typeof(a.old_values -> 'schema' -> 'columns') = 'array'
        or jsonb_typeof(a.new_values -> 'schema' -> 'columns') = 'array');
alter table public.audit_log enable trigger user;
