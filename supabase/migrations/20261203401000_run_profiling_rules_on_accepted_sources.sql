-- Data profiling uses what the data request returned: an attribute's rules run on the source its data request
-- accepted (private.accepted_request_source), else, when the data request was skipped or returned no source for
-- the attribute, on the attribute's planning source as before. One function says which source that is; the rule
-- check, the executor's table grants, the worker's loader, the stored results and the profiling workspace all
-- follow it.

create function private.profiling_attribute_source(p_attribute_id uuid)
returns table (source_kind text, source_id uuid)
language sql
stable
security definer
set search_path = ''
as $$
  select case when r.id is not null then 'request' else 'planning' end,
         coalesce(r.id, a.data_source_id)
    from public.planning_attributes a
    join public.artifact_versions v on v.id = a.version_id
    left join lateral (select private.accepted_request_source(v.cycle_report_id, a.name) as id) x on true
    left join public.request_data_sources r on r.id = x.id
   where a.id = p_attribute_id
$$;
comment on function private.profiling_attribute_source(uuid) is
  'The source an attribute''s profiling rules run on: request (the source its cycle report''s data request accepted for an attribute of this name) or planning (the attribute''s planning data source, when the data request was skipped or accepted no source for it; source_id null when the attribute has none).';
revoke all on function private.profiling_attribute_source(uuid) from public;
grant execute on function private.profiling_attribute_source(uuid) to service_role;

create function private.request_source_masked_columns(p_request_data_source_id uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select private.profiling_masked_source_columns(a.data_source_id)
                     from public.request_data_sources s join public.planning_attributes a on a.id = s.attribute_id
                    where s.id = p_request_data_source_id), '{}')
$$;
comment on function private.request_source_masked_columns(uuid) is
  'The masked columns of a response''s source: those masked in its attribute''s planning source (the provider''s source carries the attribute under the planning column''s name, see private.request_source_missing_column), so a confidential column stays masked whichever source the rules run on.';
revoke all on function private.request_source_masked_columns(uuid) from public;
grant execute on function private.request_source_masked_columns(uuid) to service_role;

-- The rule check: a rule fits the columns of the source it will run on ----------------------------------------
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
  v_target record;
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
  -- The source the data request accepted for the attribute, when there is one, is what the rule runs on.
  select r.name, r.schema into v_target
    from private.profiling_attribute_source(new.attribute_id) t
    join public.request_data_sources r on r.id = t.source_id
   where t.source_kind = 'request';
  if found then
    v_attribute.source_name := v_target.name || ' (from the data request)';
    v_attribute.schema := v_target.schema;
  end if;

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
  'Trigger: a rule''s attribute is an approved attribute of the planning version its profiling version is based on (copies follow an attribute of the same name), and its definition is valid and fits the columns of the source it runs on: the one the data request accepted for the attribute (private.profiling_attribute_source), else the attribute''s planning data source. In create_version''s copy a rule that no longer fits is left out of the new version. Errors: PT409 attribute_not_in_planning_version | attribute_not_approved | attribute_has_no_data_source; PT400 invalid_rule_definition | rule_does_not_fit_data_source.';

-- The executor reads the accepted uploads of its job's rules too ----------------------------------------------
create or replace function private.open_rule_execution(p_job_id uuid, p_tables text[], p_seconds integer default 900)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job record;
  v_tables regclass[];
  v_allowed regclass[];
  v_token text;
begin
  if not (private.is_service() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'rule_execution_requires_service',
      message = 'Only the rule-execution worker (the service_role) opens a rule execution.';
  end if;
  if p_seconds is null or p_seconds not between 1 and 86400 or coalesce(cardinality(p_tables), 0) = 0 then
    raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
      message = 'A rule execution names at least one table and lasts 1 second to 1 day.';
  end if;
  -- Resolved here: the service_role has no usage on source_data, so it names tables as text.
  select array_agg(to_regclass(t)) into v_tables from unnest(p_tables) t;
  if array_position(v_tables, null) is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
      message = 'A rule execution names existing tables.';
  end if;
  if p_job_id is null then
    -- Operators only (maintenance, benchmarks, tests): any tables they name.
    if not private.is_operator() then
      raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
        message = 'A rule execution belongs to a running job.';
    end if;
    v_allowed := v_tables;
  else
    select j.id, j.status, j.version_id into v_job from public.background_jobs j where j.id = p_job_id;
    if not found or v_job.status <> 'running' then
      raise exception using errcode = 'PT409', detail = 'job_not_running',
        message = 'Rules run only for a running job.';
    end if;
    -- The upload tables of the job's profiling version (its planning basis's file sources), and the uploads its
    -- data request accepted for the attributes of its rules.
    select coalesce(array_agg(c.oid::regclass), '{}') into v_allowed
      from (
        select s.table_name
          from public.artifact_versions v
          join public.planning_data_sources s on s.version_id = v.based_on_version_id and s.source_type = 'file_upload'
         where v.id = v_job.version_id
        union
        select s.table_name
          from public.profiling_rules r
          cross join lateral private.profiling_attribute_source(r.attribute_id) t
          join public.request_data_sources s on s.id = t.source_id and s.source_type = 'file_upload'
         where r.version_id = v_job.version_id and t.source_kind = 'request'
      ) u
      join pg_catalog.pg_class c on c.relname = u.table_name
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace and n.nspname = 'source_data';
    if not (v_tables <@ v_allowed) then
      raise exception using errcode = 'PT403', detail = 'table_not_in_job',
        message = 'A job''s rules read only the uploads of its own profiling version.';
    end if;
    v_allowed := v_tables;
  end if;
  delete from private.rule_execution_grants g where g.expires_at <= now();
  insert into private.rule_execution_grants (job_id, tables, expires_at)
  values (p_job_id, v_allowed, now() + make_interval(secs => p_seconds))
  returning token into v_token;
  return v_token;
end;
$$;
comment on function private.open_rule_execution(uuid, text[], integer) is
  'Issues a token with which rule_executor reads the given source_data tables for p_seconds: for a running job, only the upload tables of its profiling version and those its data request accepted for its rules'' attributes (PT403 table_not_in_job, PT409 job_not_running); without a job, for operators only. Callers: the service_role, operators (PT403 rule_execution_requires_service).';

-- Each result records the source it ran on ----------------------------------------------------------------
alter table public.profiling_rule_results
  add column request_data_source_id uuid references public.request_data_sources (id);
comment on column public.profiling_rule_results.request_data_source_id is
  'The data request''s accepted source the rule ran on (set by the database when the result is stored); null: the attribute''s planning data source.';

create function private.record_profiling_result_source()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select case when t.source_kind = 'request' then t.source_id end into new.request_data_source_id
    from public.profiling_rules r cross join lateral private.profiling_attribute_source(r.attribute_id) t
   where r.id = new.rule_id;
  return new;
end;
$$;
comment on function private.record_profiling_result_source() is
  'Trigger: a stored result names the source its rule ran on, as private.profiling_attribute_source says, whatever the writer sent.';
revoke all on function private.record_profiling_result_source() from public;

create trigger record_profiling_result_source before insert on public.profiling_rule_results
  for each row execute function private.record_profiling_result_source();

-- Which source each attribute's rules run on, for the workspace and external tools -------------------------
create function public.profiling_attribute_sources(p_version_id uuid)
returns table (
  attribute_id uuid,
  attribute_name text,
  source_kind text,
  data_source_id uuid,
  request_data_source_id uuid,
  request_id bigint,
  source_name text,
  source_type text,
  table_name text,
  row_count bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_basis uuid;
begin
  select v.based_on_version_id into v_basis
    from public.artifact_versions v
   where v.id = p_version_id and v.phase_name = 'data_profiling'
     and (private.is_privileged() or v.id in (select private.readable_version_ids()));
  if v_basis is null then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This data-profiling version does not exist or is not visible to you.';
  end if;
  return query
    select a.id, a.name, t.source_kind,
           case when t.source_kind = 'planning' then t.source_id end,
           r.id, r.request_id,
           coalesce(r.name, p.name), coalesce(r.source_type, p.source_type), coalesce(r.table_name, p.table_name),
           coalesce(r.row_count, p.row_count)
      from public.planning_attributes a
      cross join lateral private.profiling_attribute_source(a.id) t
      left join public.request_data_sources r on t.source_kind = 'request' and r.id = t.source_id
      left join public.planning_data_sources p on t.source_kind = 'planning' and p.id = t.source_id
     where a.version_id = v_basis
     order by a.name;
end;
$$;
comment on function public.profiling_attribute_sources(uuid) is
  'For each attribute of a data-profiling version''s planning basis: the source its rules run on, request (accepted by the data request; request_data_source_id, request_id) or planning (data_source_id), with its name, type, table and row count. For readers of the version. Errors: PT404 version_not_found.';
revoke all on function public.profiling_attribute_sources(uuid) from public, anon, authenticated, service_role;
grant execute on function public.profiling_attribute_sources(uuid) to authenticated;
