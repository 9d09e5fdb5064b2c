-- A version's sample values and reported values, masked when read, in one call; the per-row look-ups made by key.
--
-- The computed fields of 20261204100000-20261204102000 ask, per row, whether the caller may read the row and which
-- columns its data source masks, and found the private row by a join whose plan depended on statistics: on samples
-- drawn in the same transaction (no statistics yet) each call scanned every value of the version, 3-5 ms a row on
-- the loaded 2-core machine (2,000 samples: 6-10 s), and create_version's copy of the values did the same per
-- copied sample. Now every look-up of a private row is by its whole key, found first; the computed fields are
-- PL/pgSQL (plans kept for the session); and public.version_sample_values(version) and
-- public.version_reported_values(version) check the caller once, mask each data source's columns once and join
-- without nested loops (their plans do not depend on statistics), for the app's workspaces.
-- Restates private.withhold_sample_values, private.mask_values, public.masked_sample_data (20261204100000),
-- public.masked_reported_value (20261204101000) and public.masked_failed_sample (20261204102000).

create or replace function private.withhold_sample_values()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_parent_version uuid;
  v_parent_key text;
begin
  -- create_version's copy carries the values of the sample it copies (sample_data is already {} there).
  if new.parent_item_id is not null and private.is_copying_version(new.version_id) then
    select p.version_id, p.sample_key into v_parent_version, v_parent_key
      from public.sample_decisions p where p.id = new.parent_item_id;
    insert into private.sample_values (version_id, sample_key, data_source_id, columns)
    select new.version_id, new.sample_key, v.data_source_id, v.columns
      from private.sample_values v where v.version_id = v_parent_version and v.sample_key = v_parent_key
    on conflict (version_id, sample_key) do nothing;
  end if;
  if new.sample_data is distinct from '{}'::jsonb and new.sample_data is not null then
    -- A sample skipped by an insert's on conflict (its key is in the version already) leaves the values as they were.
    insert into private.sample_values (version_id, sample_key, data_source_id, columns)
    values (new.version_id, new.sample_key, private.sample_values_source(new.version_id), new.sample_data)
    on conflict (version_id, sample_key) do nothing;
    new.sample_data := '{}'::jsonb;
  end if;
  return new;
end;
$$;

create or replace function private.mask_values(p_columns jsonb, p_data_source_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_masked text[];
  v_out jsonb;
begin
  if p_data_source_id is not null then
    v_masked := private.profiling_masked_source_columns(p_data_source_id);
  end if;
  select coalesce(jsonb_object_agg(e.key, case when v_masked is null or e.key = any (v_masked) then '"***"'::jsonb else e.value end), '{}'::jsonb)
    into v_out
    from jsonb_each(p_columns) e;
  return v_out;
end;
$$;

create or replace function public.masked_sample_data(p_sample public.sample_decisions)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint;
  v_version_id uuid;
  v_key text;
  v_columns jsonb;
  v_source uuid;
begin
  select av.cycle_report_id, s.version_id, s.sample_key into v_cycle_report_id, v_version_id, v_key
    from public.sample_decisions s join public.artifact_versions av on av.id = s.version_id
   where s.id = p_sample.id;
  if v_cycle_report_id is null or not private.can_read_cycle_report(v_cycle_report_id) then
    return '{}'::jsonb;
  end if;
  select v.columns, v.data_source_id into v_columns, v_source
    from private.sample_values v where v.version_id = v_version_id and v.sample_key = v_key;
  if v_columns is null then
    return '{}'::jsonb;
  end if;
  return private.mask_values(v_columns, v_source);
end;
$$;

create or replace function public.masked_reported_value(p_case public.test_cases)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint;
  v_column text;
  v_version_id uuid;
  v_key text;
  v_columns jsonb;
  v_source uuid;
begin
  select av.cycle_report_id, a.source_column, s.version_id, s.sample_key
    into v_cycle_report_id, v_column, v_version_id, v_key
    from public.test_cases t
    join public.artifact_versions av on av.id = t.version_id
    join public.planning_attributes a on a.id = t.attribute_id
    join public.sample_decisions s on s.id = t.sample_decision_id
   where t.id = p_case.id;
  if v_cycle_report_id is null or not private.can_read_cycle_report(v_cycle_report_id) then
    return null;
  end if;
  select v.columns, v.data_source_id into v_columns, v_source
    from private.sample_values v where v.version_id = v_version_id and v.sample_key = v_key;
  if not coalesce(v_columns ? v_column, false) then
    return null;
  end if;
  return private.mask_values(jsonb_build_object(v_column, v_columns -> v_column), v_source) ->> v_column;
end;
$$;

create or replace function public.masked_failed_sample(p_result public.profiling_rule_results)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_result public.profiling_rule_results;
  v_masked text[];
  v_out jsonb;
begin
  select * into v_result from public.profiling_rule_results r where r.id = p_result.id;
  if v_result.id is null or not private.can_read_cycle_report(v_result.cycle_report_id) then
    return '[]'::jsonb;
  end if;
  v_masked := private.profiling_masked_columns(v_result.rule_id);
  select coalesce(jsonb_agg((select coalesce(jsonb_object_agg(e.key, case when e.key = any (v_masked) then '"***"'::jsonb else e.value end), '{}'::jsonb)
                               from jsonb_each(x.failed_row) e) order by x.o), '[]'::jsonb)
    into v_out
    from private.failed_samples f
    cross join lateral jsonb_array_elements(f.rows) with ordinality x (failed_row, o)
   where f.execution_id = v_result.execution_id and f.rule_id = v_result.rule_id;
  return v_out;
end;
$$;

-- One call per version -------------------------------------------------------------------------------------------
create function public.version_sample_values(p_version_id uuid)
returns table (sample_key text, sample_data jsonb)
language plpgsql
stable
security definer
set search_path = ''
set enable_nestloop = off
as $$
begin
  if not exists (select 1 from public.artifact_versions v
                  where v.id = p_version_id
                    and private.can_read_cycle_report(v.cycle_report_id)) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  return query
  with masks as materialized (
    select x.data_source_id, private.profiling_masked_source_columns(x.data_source_id) as cols
      from (select distinct sv.data_source_id from private.sample_values sv
             where sv.version_id = p_version_id and sv.data_source_id is not null) x
  )
  select v.sample_key,
         coalesce((select jsonb_object_agg(e.key, case when m.cols is null or e.key = any (m.cols) then '"***"'::jsonb else e.value end)
                     from jsonb_each(v.columns) e), '{}'::jsonb)
    from private.sample_values v
    left join masks m on m.data_source_id = v.data_source_id
   where v.version_id = p_version_id
   order by v.sample_key collate "C";
end;
$$;
comment on function public.version_sample_values(uuid) is
  'The values of every sample of a version, masked as public.masked_sample_data masks them (by the classification at the time of the call), in one call: (sample_key, sample_data) in key order. Samples without values are left out. For whoever can read the version. Errors: PT404 version_not_found.';

create function public.version_reported_values(p_version_id uuid)
returns table (test_case_id uuid, reported_value text)
language plpgsql
stable
security definer
set search_path = ''
set enable_nestloop = off
as $$
begin
  if not exists (select 1 from public.artifact_versions v
                  where v.id = p_version_id
                    and private.can_read_cycle_report(v.cycle_report_id)) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  return query
  with cases as materialized (
    select t.id, t.sample_key, t.attribute_name, a.source_column, v.columns, v.data_source_id
      from public.test_cases t
      join public.planning_attributes a on a.id = t.attribute_id
      join public.sample_decisions s on s.id = t.sample_decision_id
      join private.sample_values v on v.version_id = s.version_id and v.sample_key = s.sample_key
     where t.version_id = p_version_id and v.columns ? a.source_column
  ), masks as materialized (
    select x.data_source_id, private.profiling_masked_source_columns(x.data_source_id) as cols
      from (select distinct c.data_source_id from cases c where c.data_source_id is not null) x
  )
  select c.id,
         case when m.cols is null or c.source_column = any (m.cols) then '***' else c.columns ->> c.source_column end
    from cases c
    left join masks m on m.data_source_id = c.data_source_id
   order by c.sample_key, c.attribute_name, c.id;
end;
$$;
comment on function public.version_reported_values(uuid) is
  'The reported value of every test case of a version, masked as public.masked_reported_value masks it (by the classification at the time of the call), in one call: (test_case_id, reported_value). Cases whose sample holds no value of the column are left out. For whoever can read the version. Errors: PT404 version_not_found.';

revoke all on function public.version_sample_values(uuid), public.version_reported_values(uuid) from public, anon, authenticated, service_role;
grant execute on function public.version_sample_values(uuid), public.version_reported_values(uuid) to authenticated;
