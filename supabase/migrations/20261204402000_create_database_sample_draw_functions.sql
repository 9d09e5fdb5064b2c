-- The service side of a draw from a database population (decision 037). The sampling worker holds a running
-- sampling.draw or sampling.reperform job; it asks plan_database_sample_draw for the statements to run in the source
-- database, allocate_database_sample_draw for the draw's statement once the survey gave the strata, and records the
-- outcome with record_database_sample_selection or record_database_sample_reperformance. These trust nothing but the
-- job's own inputs: the version, population, method, parameters, size and seed come from the job (or, to
-- re-perform, from the stored selection); what the worker brings back is checked against them (the snapshot's shape,
-- the strata summing to the row count, each drawn key's rank recomputed here, the allocation per stratum, the draw
-- order, the sample's columns), and masked columns are masked again. Only the service_role calls them.

create function private.sample_database_population_source(p_version public.artifact_versions, p_data_source_id uuid)
returns public.planning_data_sources
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_source public.planning_data_sources;
begin
  select * into v_source from public.planning_data_sources s where s.id = p_data_source_id;
  if v_source.id is null or v_source.version_id is distinct from p_version.based_on_version_id then
    raise exception using errcode = 'PT409', detail = 'population_not_in_planning_version',
      message = 'The population is a data source of the approved planning version this version is drawn from.';
  end if;
  if v_source.item_status <> 'approved' then
    raise exception using errcode = 'PT409', detail = 'population_not_approved',
      message = format('Data source %s is not approved in planning.', v_source.name);
  end if;
  if v_source.source_type <> 'database' then
    raise exception using errcode = 'PT409', detail = 'population_not_database',
      message = format('Data source %s is an upload; it is drawn in this database.', v_source.name);
  end if;
  if v_source.table_name is null or v_source.host is null or v_source.database_name is null
     or jsonb_typeof(v_source.schema -> 'columns') is distinct from 'array' then
    raise exception using errcode = 'PT409', detail = 'database_population_not_connected',
      message = format('Data source %s has no tested connection (host, database, table and columns).', v_source.name),
      hint = 'Test its connection in planning.';
  end if;
  return v_source;
end;
$$;

comment on function private.sample_database_population_source(public.artifact_versions, uuid) is
  'The database data source a sample-selection version may draw from: an approved database source of the planning version it is based on, with a tested connection. Errors: PT409 population_not_in_planning_version | population_not_approved | population_not_database | database_population_not_connected.';

revoke all on function private.sample_database_population_source(public.artifact_versions, uuid) from public;

create function private.database_sample_selection(p_version public.artifact_versions, p_source public.planning_data_sources,
                                                  p_inputs jsonb)
returns public.sample_selections
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_selection public.sample_selections;
begin
  if p_inputs ->> 'method' is null or p_inputs ->> 'method' not in ('simple_random', 'stratified') then
    raise exception using errcode = 'PT409', detail = 'database_population_method_not_supported',
      message = format('Samples of a database population are drawn simple random or stratified; %s is not available for one.',
                       coalesce(p_inputs ->> 'method', '(none)')),
      hint = 'Upload an extract of the table as a file data source in planning for systematic, monetary-unit, targeted or judgmental samples.';
  end if;
  if jsonb_typeof(p_inputs -> 'parameters') is distinct from 'object' or jsonb_typeof(p_inputs -> 'filter') is distinct from 'array' then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = 'Parameters are an object and the filter an array of conditions.';
  end if;
  if p_inputs -> 'parameters' ? 'generator' and p_inputs -> 'parameters' ->> 'generator' is distinct from private.sample_generator_v2() then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = format('A database population is drawn by generator %s.', private.sample_generator_v2());
  end if;
  if p_inputs ->> 'seed' is null or char_length(p_inputs ->> 'seed') not between 1 and 200 then
    raise exception using errcode = 'PT400', detail = 'invalid_seed',
      message = 'A seed is 1 to 200 characters.';
  end if;
  v_selection.version_id := p_version.id;
  v_selection.cycle_report_id := p_version.cycle_report_id;
  v_selection.data_source_id := p_source.id;
  v_selection.population_table := p_source.table_name;
  v_selection.key_column := private.database_population_column(p_source, p_inputs ->> 'key_column', 'key column');
  if p_inputs ->> 'amount_column' is not null then
    v_selection.amount_column := private.database_population_column(p_source, p_inputs ->> 'amount_column', 'amount column');
  end if;
  v_selection.filter := p_inputs -> 'filter';
  v_selection.method := p_inputs ->> 'method';
  v_selection.parameters := (p_inputs -> 'parameters') - 'generator';
  select s.sample_size, s.size_basis, s.size_inputs into v_selection.sample_size, v_selection.size_basis, v_selection.size_inputs
    from private.sample_size_of(v_selection.method, case when jsonb_typeof(p_inputs -> 'size') = 'null' then null else p_inputs -> 'size' end) s;
  v_selection.seed := p_inputs ->> 'seed';
  v_selection.generator_version := private.sample_generator_v2();
  -- Samples carried forward or added by hand stay and are not drawn again; the previous draw gives way.
  v_selection.excluded_keys := coalesce((select array_agg(d.sample_key order by d.sample_key collate "C")
                                           from public.sample_decisions d
                                          where d.version_id = p_version.id
                                            and not (d.selection_order is not null and d.recommendation_source <> 'carried_forward')), '{}');
  v_selection.strata := '[]';
  perform private.database_stratum_expression(v_selection, p_source);
  perform private.database_population_conditions(v_selection, p_source, 1);
  return v_selection;
end;
$$;

comment on function private.database_sample_selection(public.artifact_versions, public.planning_data_sources, jsonb) is
  'A selection (not yet surveyed) of a database population from the inputs of a draw (request_sample_selection''s, as the sampling.draw job holds them): version, source, columns, filter, method, parameters, size, seed, generator version 2, the keys already in the version excluded. Errors: PT409 database_population_method_not_supported; PT400 invalid_sampling_parameters | invalid_seed | unknown_population_column | invalid_population_filter | sample_size_required | invalid_sample_size_inputs | invalid_sample_size | sample_size_reason_required; PT403 masked_population_column.';

revoke all on function private.database_sample_selection(public.artifact_versions, public.planning_data_sources, jsonb) from public;

create function private.database_draw_job(p_job_id uuid)
returns public.background_jobs
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_job public.background_jobs;
  v_version public.artifact_versions;
begin
  if not private.is_service() then
    raise exception using errcode = 'PT403', detail = 'service_role_required',
      message = 'Only the sampling worker (the service_role) runs draws of database populations.';
  end if;
  select * into v_job from public.background_jobs j
   where j.id = p_job_id and j.job_type in ('sampling.draw', 'sampling.reperform');
  if v_job.id is null or v_job.status <> 'running' then
    raise exception using errcode = 'PT409', detail = 'job_not_running',
      message = 'This is not a running sampling job.';
  end if;
  select * into v_version from public.artifact_versions v where v.id = v_job.version_id;
  if v_version.id is null or v_version.phase_name <> 'sample_selection' then
    raise exception using errcode = 'PT409', detail = 'version_wrong_phase',
      message = 'A sampling job works on a sample-selection version.';
  end if;
  if (v_job.metadata ->> 'version_id') is distinct from v_version.id::text then
    raise exception using errcode = 'PT409', detail = 'job_inputs_inconsistent',
      message = 'The job''s inputs name another version.';
  end if;
  if v_job.job_type = 'sampling.draw' and v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Samples are drawn only while the version is a draft; this version is %s.', v_version.version_status);
  end if;
  return v_job;
end;
$$;

comment on function private.database_draw_job(uuid) is
  'The running sampling.draw or sampling.reperform job, for the service_role only, of a sample-selection version (a draft, to draw). Errors: PT403 service_role_required; PT409 job_not_running | version_wrong_phase | version_not_draft | job_inputs_inconsistent.';

revoke all on function private.database_draw_job(uuid) from public;

create function private.database_job_selection(p_job public.background_jobs)
returns public.sample_selections
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_selection public.sample_selections;
  v_source public.planning_data_sources;
begin
  select * into v_version from public.artifact_versions v where v.id = p_job.version_id;
  if p_job.job_type = 'sampling.draw' then
    v_source := private.sample_database_population_source(v_version, (p_job.metadata ->> 'data_source_id')::uuid);
    v_selection := private.database_sample_selection(v_version, v_source, p_job.metadata);
  else
    select * into v_selection from public.sample_selections s where s.version_id = v_version.id;
    if v_selection.version_id is null then
      raise exception using errcode = 'PT409', detail = 'no_sample_selection',
        message = 'This version has no recorded selection to re-perform.';
    end if;
    select * into v_source from public.planning_data_sources s where s.id = v_selection.data_source_id;
    if v_source.source_type is distinct from 'database' then
      raise exception using errcode = 'PT409', detail = 'population_not_database',
        message = 'This selection''s population is an upload: reperform_sample_selection re-performs it.';
    end if;
    if v_selection.generator_version <> private.sample_generator_v2() or v_selection.method not in ('simple_random', 'stratified') then
      raise exception using errcode = 'PT409', detail = 'database_population_method_not_supported',
        message = 'Only simple random and stratified selections of database populations (generator version 2) are re-performed.';
    end if;
  end if;
  perform private.check_sample_generator(v_selection.generator_version);
  return v_selection;
end;
$$;

comment on function private.database_job_selection(public.background_jobs) is
  'The selection a running sampling job of a database population draws (built from the sampling.draw job''s own inputs) or re-performs (sampling.reperform: the stored one). Errors: PT409 no_sample_selection | population_not_database | database_population_method_not_supported | generator_version_unavailable; those of private.sample_database_population_source and private.database_sample_selection.';

revoke all on function private.database_job_selection(public.background_jobs) from public;

create function private.database_job_source(p_selection public.sample_selections)
returns public.planning_data_sources
language sql
stable
security definer
set search_path = ''
as $$
  select * from public.planning_data_sources s where s.id = p_selection.data_source_id
$$;

comment on function private.database_job_source(public.sample_selections) is
  'The data source of a selection (its population).';

revoke all on function private.database_job_source(public.sample_selections) from public;

create function private.accept_database_survey(p_selection public.sample_selections, p_survey jsonb)
returns public.sample_selections
language plpgsql
stable
set search_path = ''
as $_$
declare
  v_selection public.sample_selections := p_selection;
begin
  if jsonb_typeof(p_survey) is distinct from 'object'
     or jsonb_typeof(p_survey -> 'row_count') is distinct from 'number' or (p_survey ->> 'row_count') !~ '^\d{1,18}$'
     or jsonb_typeof(p_survey -> 'key_hash') is distinct from 'string' or (p_survey ->> 'key_hash') !~ '^-?\d{1,40}$'
     or coalesce(jsonb_typeof(p_survey -> 'amount_sum'), 'null') not in ('number', 'null')
     or (p_selection.amount_column is null and coalesce(jsonb_typeof(p_survey -> 'amount_sum'), 'null') <> 'null')
     or jsonb_typeof(p_survey -> 'strata') is distinct from 'array'
     or (p_selection.method <> 'stratified' and jsonb_array_length(p_survey -> 'strata') > 0)
     or exists (select 1 from jsonb_array_elements(p_survey -> 'strata') e
                 where jsonb_typeof(e) <> 'object' or coalesce(jsonb_typeof(e -> 'stratum'), 'null') not in ('string', 'null')
                    or jsonb_typeof(e -> 'population') is distinct from 'number' or (e ->> 'population') !~ '^[1-9]\d{0,17}$')
     or (p_selection.method = 'stratified' and (p_survey ->> 'row_count')::bigint is distinct from
          (select coalesce(sum((e ->> 'population')::bigint), 0) from jsonb_array_elements(p_survey -> 'strata') e))
     or exists (select 1 from jsonb_array_elements(p_survey -> 'strata') with ordinality x(e, o)
                  join jsonb_array_elements(p_survey -> 'strata') with ordinality y(f, q) on q = o + 1
                 where e ->> 'stratum' is null
                    or (f ->> 'stratum' is not null and (e ->> 'stratum') collate "C" >= (f ->> 'stratum') collate "C")) then
    raise exception using errcode = 'PT400', detail = 'invalid_database_survey',
      message = 'The survey of the population is {row_count, amount_sum, key_hash, strata: [{stratum, population}]} with distinct strata in byte order (null last) summing to the row count.';
  end if;
  v_selection.population_row_count := (p_survey ->> 'row_count')::bigint;
  v_selection.population_amount_sum := (p_survey ->> 'amount_sum')::numeric;
  v_selection.population_key_hash := p_survey ->> 'key_hash';
  if p_selection.method = 'stratified' then
    v_selection.strata := private.allocate_strata(v_selection, p_survey -> 'strata');
    v_selection.sample_size := (select sum((e ->> 'allocated')::integer) from jsonb_array_elements(v_selection.strata) e);
  elsif v_selection.sample_size > v_selection.population_row_count then
    raise exception using errcode = 'PT409', detail = 'population_too_small',
      message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_selection.population_row_count, v_selection.sample_size);
  end if;
  return v_selection;
end;
$_$;

comment on function private.accept_database_survey(public.sample_selections, jsonb) is
  'A selection with the snapshot a database population''s survey gave (checked: its shape, strata distinct in byte order with null last and summing to the row count, no amount sum without an amount column) and its strata allocated (private.allocate_strata). Errors: PT400 invalid_database_survey | invalid_sampling_parameters; PT409 population_too_small.';

revoke all on function private.accept_database_survey(public.sample_selections, jsonb) from public;

create function private.accept_database_draw(p_selection public.sample_selections, p_draw jsonb)
returns table (sample_key text, stratum text, selection_order integer, selection_reason text, sample_data jsonb)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_seed64 bigint := private.sample_seed64(p_selection.seed);
  v_columns text[] := private.sample_columns(p_selection);
  v_masked text[] := private.profiling_masked_source_columns(p_selection.data_source_id);
  v_allocation jsonb := case when p_selection.method = 'stratified' then p_selection.strata
                             else jsonb_build_array(jsonb_build_object('stratum', null, 'allocated', p_selection.sample_size)) end;
  v_bad text;
begin
  if jsonb_typeof(p_draw) is distinct from 'array'
     or exists (select 1 from jsonb_array_elements(p_draw) e
                 where jsonb_typeof(e) <> 'object' or jsonb_typeof(e -> 'sample_key') is distinct from 'string'
                    or coalesce(jsonb_typeof(e -> 'stratum'), 'null') not in ('string', 'null')
                    or jsonb_typeof(e -> 'rank') is distinct from 'string' or (e ->> 'rank') !~ '^-?\d{1,19}$'
                    or jsonb_typeof(e -> 'sample_data') is distinct from 'object') then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = 'The draw is [{sample_key, stratum, rank, sample_data}] in draw order.';
  end if;
  select d.k into v_bad from (select e ->> 'sample_key' as k from jsonb_array_elements(p_draw) e) d group by d.k having count(*) > 1 limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT409', detail = 'population_key_not_unique',
      message = format('Key %s identifies more than one row of the population; choose a key column whose values are unique.', v_bad);
  end if;
  -- Every rank is the generator's for its key and seed, recomputed here.
  select e ->> 'sample_key' into v_bad from jsonb_array_elements(p_draw) e
   where (e ->> 'rank')::numeric is distinct from hashtextextended((e ->> 'sample_key') collate "C", v_seed64)
      or (e ->> 'sample_key') = any (p_selection.excluded_keys)
   limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = format('Key %s: its rank is not the generator''s for this seed, or it is a key the draw leaves out.', v_bad);
  end if;
  -- As many per stratum as allocated, in draw order: stratum (byte order, null last), rank, key.
  if exists (select 1 from jsonb_array_elements(v_allocation) a
              full join (select e ->> 'stratum' as s, count(*) as n from jsonb_array_elements(p_draw) e group by 1) d
                on d.s is not distinct from a ->> 'stratum'
             where coalesce((a ->> 'allocated')::bigint, -1) <> coalesce(d.n, 0))
     or exists (select 1 from jsonb_array_elements(p_draw) with ordinality x(e, o)
                  join jsonb_array_elements(p_draw) with ordinality y(f, q) on q = o + 1
                 where (e ->> 'stratum' is not null and f ->> 'stratum' is not null
                        and (e ->> 'stratum') collate "C" > (f ->> 'stratum') collate "C")
                    or (e ->> 'stratum' is null and f ->> 'stratum' is not null)
                    or ((e ->> 'stratum') is not distinct from (f ->> 'stratum')
                        and ((e ->> 'rank')::bigint, (e ->> 'sample_key') collate "C") >= ((f ->> 'rank')::bigint, (f ->> 'sample_key') collate "C"))) then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = 'The draw does not have the allocated number of samples per stratum in draw order.';
  end if;
  -- The sample's columns exactly, the key among them; masked columns are masked here whatever came.
  select e ->> 'sample_key' into v_bad from jsonb_array_elements(p_draw) e
   where (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(e -> 'sample_data') k)
         is distinct from (select array_agg(c order by c) from unnest(v_columns) c)
      or (e -> 'sample_data' ->> p_selection.key_column) is distinct from (e ->> 'sample_key')
   limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = format('Key %s: its values are not those of the sample''s columns (%s).', v_bad, array_to_string(v_columns, ', '));
  end if;
  return query
    select e ->> 'sample_key', e ->> 'stratum', o::integer,
           case when p_selection.method = 'stratified'
                then format('stratified: rank %s in stratum %s', row_number() over (partition by e ->> 'stratum' order by o), coalesce(e ->> 'stratum', '(none)'))
                else format('simple random: rank %s of %s', o, p_selection.population_row_count) end,
           (e -> 'sample_data') || coalesce((select jsonb_object_agg(c, '***') from unnest(v_masked) c where c = any (v_columns)), '{}')
      from jsonb_array_elements(p_draw) with ordinality x(e, o)
     order by o;
end;
$$;

comment on function private.accept_database_draw(public.sample_selections, jsonb) is
  'The samples of a draw of a database population, checked against its surveyed and allocated selection: keys unique (PT409 population_key_not_unique), each rank the generator''s for its key and seed, no excluded key, the allocated number per stratum in draw order, the values exactly the sample''s columns with its key (PT400 invalid_database_draw); masked columns set to ***. Returns the rows to record with their order and reason.';

revoke all on function private.accept_database_draw(public.sample_selections, jsonb) from public;

create function public.plan_database_sample_draw(p_job_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.background_jobs;
  v_selection public.sample_selections;
  v_source public.planning_data_sources;
begin
  v_job := private.database_draw_job(p_job_id);
  v_selection := private.database_job_selection(v_job);
  v_source := private.database_job_source(v_selection);
  return jsonb_build_object(
    'kind', case when v_job.job_type = 'sampling.draw' then 'draw' else 'reperform' end,
    'version_id', v_selection.version_id, 'data_source_id', v_source.id, 'method', v_selection.method,
    'population', format('%s.%s', coalesce(v_source.schema_name, 'public'), v_source.table_name),
    'population_rows', v_source.row_count,
    'check', private.database_generator_check_statement(),
    'survey', private.database_survey_statement(v_selection, v_source),
    'fetch', private.database_fetch_statement(v_selection, v_source));
end;
$$;

comment on function public.plan_database_sample_draw(uuid) is
  'For the sampling worker (service_role) holding a running sampling.draw or sampling.reperform job of a database population: the statements to run in the source database, each {sql, params}: check (generator version 2''s known answers), survey (the snapshot and strata), fetch (the drawn rows'' sample values; $1 their keys). Errors: those of private.database_draw_job and private.database_job_selection.';

revoke all on function public.plan_database_sample_draw(uuid) from public;
grant execute on function public.plan_database_sample_draw(uuid) to service_role;

create function public.allocate_database_sample_draw(p_job_id uuid, p_survey jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_selection public.sample_selections;
  v_source public.planning_data_sources;
begin
  v_selection := private.database_job_selection(private.database_draw_job(p_job_id));
  v_source := private.database_job_source(v_selection);
  v_selection := private.accept_database_survey(v_selection, p_survey);
  return jsonb_build_object('strata', v_selection.strata, 'sample_size', v_selection.sample_size,
    'draw', private.database_draw_statement(v_selection, v_source, false),
    'draw_all', private.database_draw_statement(v_selection, v_source, true));
end;
$$;

comment on function public.allocate_database_sample_draw(uuid, jsonb) is
  'For the sampling worker (service_role): the allocation of a database population''s draw from its survey ({row_count, amount_sum, key_hash, strata}) and the statements that draw it in the source database: {strata, sample_size, draw, draw_all} (draw ranks only candidates under per-stratum thresholds; draw_all every row, for a stratum short of candidates). Errors: those of private.database_draw_job and private.accept_database_survey.';

revoke all on function public.allocate_database_sample_draw(uuid, jsonb) from public;
grant execute on function public.allocate_database_sample_draw(uuid, jsonb) to service_role;

create function public.record_database_sample_selection(p_job_id uuid, p_survey jsonb, p_draw jsonb)
returns public.sample_selections
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.background_jobs;
  v_selection public.sample_selections;
  v_claims text := current_setting('request.jwt.claims', true);
  v_marker text := current_setting('regtest.sampling_version_id', true);
begin
  v_job := private.database_draw_job(p_job_id);
  v_selection := private.database_job_selection(v_job);
  if v_job.job_type <> 'sampling.draw' then
    raise exception using errcode = 'PT409', detail = 'job_inputs_inconsistent',
      message = 'A re-performance records no selection.';
  end if;
  -- The draw is the tester's who asked: their identity for the checks, the version machinery and the audit trail.
  perform set_config('request.jwt.claims', jsonb_build_object('sub', v_job.created_by, 'role', 'authenticated')::text, true);
  if v_job.created_by is null or not (private.is_assigned_tester(v_selection.cycle_report_id) or private.is_admin()) then
    raise exception using errcode = 'PT403', detail = 'sample_selection_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can select its samples.';
  end if;
  v_selection := private.accept_database_survey(v_selection, p_survey);
  create temporary table if not exists pg_temp.database_sample_draw
    (sample_key text, stratum text, selection_order integer, selection_reason text, sample_data jsonb) on commit drop;
  truncate pg_temp.database_sample_draw;
  insert into pg_temp.database_sample_draw select * from private.accept_database_draw(v_selection, p_draw);
  v_selection.drawn_keys := coalesce((select array_agg(d.sample_key order by d.selection_order) from pg_temp.database_sample_draw d), '{}');
  v_selection.run_by := v_job.created_by;
  v_selection.run_at := now();

  delete from public.sample_decisions d
   where d.version_id = v_selection.version_id and d.selection_order is not null and d.recommendation_source <> 'carried_forward';
  insert into public.sample_selections values (v_selection.*)
  on conflict (version_id) do update set
    data_source_id = excluded.data_source_id, population_table = excluded.population_table, key_column = excluded.key_column,
    amount_column = excluded.amount_column, filter = excluded.filter, method = excluded.method, parameters = excluded.parameters,
    sample_size = excluded.sample_size, size_basis = excluded.size_basis, size_inputs = excluded.size_inputs, seed = excluded.seed,
    generator_version = excluded.generator_version, excluded_keys = excluded.excluded_keys,
    population_row_count = excluded.population_row_count, population_amount_sum = excluded.population_amount_sum,
    population_key_hash = excluded.population_key_hash, strata = excluded.strata, drawn_keys = excluded.drawn_keys,
    run_by = excluded.run_by, run_at = excluded.run_at
  returning * into v_selection;
  perform set_config('regtest.sampling_version_id', v_selection.version_id::text, true);
  insert into public.sample_decisions (version_id, sample_key, sample_data, recommendation_source, stratum, selection_order, selection_reason)
  select v_selection.version_id, d.sample_key, d.sample_data, 'tester', d.stratum, d.selection_order, d.selection_reason
    from pg_temp.database_sample_draw d order by d.selection_order;
  perform set_config('regtest.sampling_version_id', coalesce(v_marker, ''), true);
  perform set_config('request.jwt.claims', coalesce(v_claims, ''), true);
  drop table pg_temp.database_sample_draw;
  return v_selection;
end;
$$;

comment on function public.record_database_sample_selection(uuid, jsonb, jsonb) is
  'For the sampling worker (service_role) holding a running sampling.draw job of a database population: records the selection (snapshot from p_survey, allocation and everything else from the job''s inputs) and its samples (p_draw: [{sample_key, stratum, rank, sample_data}] in draw order), as the tester who asked, replacing the draft''s previous draw as run_sample_selection does. Checks the draw against the job (private.accept_database_survey, private.accept_database_draw) and masks masked columns. Errors: those of private.database_draw_job, accept_database_survey and accept_database_draw; PT403 sample_selection_requires_tester; PT409 job_inputs_inconsistent.';

revoke all on function public.record_database_sample_selection(uuid, jsonb, jsonb) from public;
grant execute on function public.record_database_sample_selection(uuid, jsonb, jsonb) to service_role;

create function public.record_database_sample_reperformance(p_job_id uuid, p_survey jsonb, p_draw jsonb, p_error text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.background_jobs;
  v_stored public.sample_selections;
  v_redo public.sample_selections;
  v_changed text[] := '{}';
  v_keys text[];
  v_error text := p_error;
  v_missing text[];
  v_added text[];
  v_not_in_version text[];
  v_identical boolean;
  v_snapshot jsonb;
  v_result jsonb;
  v_marker text := current_setting('regtest.sampling_reperformance', true);
begin
  v_job := private.database_draw_job(p_job_id);
  v_stored := private.database_job_selection(v_job);
  if v_job.job_type <> 'sampling.reperform' then
    raise exception using errcode = 'PT409', detail = 'job_inputs_inconsistent',
      message = 'A draw records no re-performance.';
  end if;
  if p_survey is not null then
    if jsonb_typeof(p_survey) is distinct from 'object' then
      raise exception using errcode = 'PT400', detail = 'invalid_database_survey', message = 'The survey is an object.';
    end if;
    v_snapshot := jsonb_build_object('row_count', p_survey -> 'row_count', 'amount_sum', p_survey -> 'amount_sum', 'key_hash', p_survey -> 'key_hash');
    if (p_survey ->> 'row_count') is distinct from v_stored.population_row_count::text then
      v_changed := v_changed || 'row_count'::text;
    end if;
    if (p_survey ->> 'amount_sum')::numeric is distinct from v_stored.population_amount_sum then
      v_changed := v_changed || 'amount_sum'::text;
    end if;
    if p_survey ->> 'key_hash' is distinct from v_stored.population_key_hash then
      v_changed := v_changed || 'key_hash'::text;
    end if;
  end if;
  if v_error is null then
    begin
      v_redo := private.accept_database_survey(v_stored, p_survey);
      if v_stored.method = 'stratified' and v_redo.strata is distinct from v_stored.strata then
        v_changed := v_changed || 'strata'::text;
      end if;
      select coalesce(array_agg(d.sample_key order by d.selection_order), '{}') into v_keys
        from private.accept_database_draw(v_redo, p_draw) d;
    exception when sqlstate 'PT409' then
      -- The population no longer allows the draw (too few rows…): that is the difference.
      get stacked diagnostics v_error = message_text;
      v_keys := null;
    end;
  end if;
  if v_keys is not null then
    select coalesce(array_agg(k order by o), '{}') into v_missing
      from unnest(v_stored.drawn_keys) with ordinality x(k, o) where k <> all (v_keys);
    select coalesce(array_agg(k order by o), '{}') into v_added
      from unnest(v_keys) with ordinality x(k, o) where k <> all (v_stored.drawn_keys);
  end if;
  select coalesce(array_agg(k order by o), '{}') into v_not_in_version
    from unnest(v_stored.drawn_keys) with ordinality x(k, o)
   where not exists (select 1 from public.sample_decisions d where d.version_id = v_stored.version_id and d.sample_key = k);
  v_identical := v_error is null and cardinality(v_changed) = 0 and v_keys = v_stored.drawn_keys;
  v_result := jsonb_build_object(
    'verdict', case when v_identical then 'identical' else 'different' end,
    'method', v_stored.method, 'seed', v_stored.seed, 'generator_version', v_stored.generator_version,
    'performed_in', 'source_database',
    'population', jsonb_build_object(
      'stored', jsonb_build_object('row_count', v_stored.population_row_count, 'amount_sum', v_stored.population_amount_sum,
                                   'key_hash', v_stored.population_key_hash),
      'current', v_snapshot, 'changed', to_jsonb(v_changed)),
    'samples', jsonb_build_object(
      'stored_count', cardinality(v_stored.drawn_keys), 'redrawn_count', cardinality(v_keys),
      'missing', to_jsonb(v_missing), 'added', to_jsonb(v_added),
      'order_differs', v_keys is not null and cardinality(v_missing) = 0 and cardinality(v_added) = 0 and v_keys <> v_stored.drawn_keys,
      'error', v_error),
    'version_samples', jsonb_build_object('drawn_not_in_version', to_jsonb(v_not_in_version)));
  perform set_config('regtest.sampling_reperformance', p_job_id::text, true);
  insert into public.sample_reperformances (version_id, cycle_report_id, performed_by, identical, result)
  values (v_stored.version_id, v_stored.cycle_report_id, v_job.created_by, v_identical, v_result)
  returning v_result || jsonb_build_object('id', id, 'performed_at', performed_at) into v_result;
  perform set_config('regtest.sampling_reperformance', coalesce(v_marker, ''), true);
  return v_result;
end;
$$;

comment on function public.record_database_sample_reperformance(uuid, jsonb, jsonb, text) is
  'For the sampling worker (service_role) holding a running sampling.reperform job of a database population: compares the source database''s survey (p_survey) and draw (p_draw, checked as private.accept_database_draw checks a draw) with the stored selection, records the result in sample_reperformances as the one who asked, and returns it, shaped as reperform_sample_selection''s (performed_in: source_database). p_error: why the population no longer allows the draw (that is the difference). Errors: those of private.database_draw_job; PT409 job_inputs_inconsistent; PT400 invalid_database_survey | invalid_database_draw.';

revoke all on function public.record_database_sample_reperformance(uuid, jsonb, jsonb, text) from public;
grant execute on function public.record_database_sample_reperformance(uuid, jsonb, jsonb, text) to service_role;
