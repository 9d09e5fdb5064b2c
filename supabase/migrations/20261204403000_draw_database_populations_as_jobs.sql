-- A sample selection may draw from a database data source (decision 037): request_sample_selection queues its
-- sampling.draw job as for a large upload, after checking what it can here (the source, its columns, the method,
-- the filter, the size); the worker runs the draw in the source database. run_sample_selection, which draws in
-- this database within the API call, still refuses a database source, now saying to draw it in the background.

create or replace function private.sample_population_source(p_version public.artifact_versions, p_data_source_id uuid)
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
  if v_source.source_type <> 'file_upload' then
    raise exception using errcode = 'PT409', detail = 'database_population_not_supported',
      message = format('Data source %s is a database table; its samples are drawn in the background, in its own database.', v_source.name),
      hint = 'Draw with request_sample_selection (in the app: "Draw in the background"); re-perform with request_sample_reperformance.';
  end if;
  if v_source.table_name is null or to_regclass(format('source_data.%I', v_source.table_name)) is null then
    raise exception using errcode = 'PT409', detail = 'population_table_missing',
      message = format('The table of data source %s is not there.', v_source.name);
  end if;
  return v_source;
end;
$$;

comment on function private.sample_population_source(public.artifact_versions, uuid) is
  'The data source a sample-selection version may draw from in this database: an approved upload of the planning version it is based on (a database source is drawn by request_sample_selection''s job instead). Errors: PT409 population_not_in_planning_version | population_not_approved | database_population_not_supported | population_table_missing.';

create or replace function public.request_sample_selection(p_version_id uuid, p_data_source_id uuid, p_key_column text, p_method text,
  p_size jsonb default null, p_parameters jsonb default '{}', p_filter jsonb default '[]', p_amount_column text default null,
  p_seed text default null)
returns public.background_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_source public.planning_data_sources;
  v_job public.background_jobs;
  v_metadata jsonb;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if not private.can_work_on_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT403', detail = 'sample_selection_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can select its samples.';
  end if;
  if v_version.phase_name <> 'sample_selection' then
    raise exception using errcode = 'PT409', detail = 'version_wrong_phase',
      message = format('Samples are drawn for sample-selection versions; this is a %s version.', v_version.phase_name);
  end if;
  if v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Samples are drawn only while the version is a draft; this version is %s.', v_version.version_status);
  end if;
  if p_method is null or p_method not in ('simple_random', 'systematic', 'stratified', 'monetary_unit', 'targeted', 'judgmental') then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_method',
      message = 'The method is simple_random, systematic, stratified, monetary_unit, targeted or judgmental.';
  end if;
  if p_parameters is null or jsonb_typeof(p_parameters) <> 'object' or p_filter is null or jsonb_typeof(p_filter) <> 'array' then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = 'Parameters are an object and the filter an array of conditions.';
  end if;
  if p_seed is not null and char_length(p_seed) not between 1 and 200 then
    raise exception using errcode = 'PT400', detail = 'invalid_seed',
      message = 'A seed is 1 to 200 characters.';
  end if;
  v_metadata := jsonb_build_object('version_id', p_version_id, 'data_source_id', p_data_source_id,
    'key_column', p_key_column, 'method', p_method, 'size', p_size, 'parameters', p_parameters, 'filter', p_filter,
    'amount_column', p_amount_column, 'seed', coalesce(p_seed, encode(extensions.gen_random_bytes(16), 'hex')));
  select * into v_source from public.planning_data_sources s where s.id = p_data_source_id;
  if v_source.source_type = 'database' then
    -- Drawn in its own database: everything the worker's draw needs is checked now, from the job's inputs, and
    -- again when the worker records it.
    v_source := private.sample_database_population_source(v_version, p_data_source_id);
    perform private.database_survey_statement(private.database_sample_selection(v_version, v_source, v_metadata), v_source);
    v_metadata := v_metadata || jsonb_build_object('population', 'database');
  else
    v_source := private.sample_population_source(v_version, p_data_source_id);
    perform private.population_column(format('source_data.%I', v_source.table_name)::regclass, p_key_column, 'key column');
    -- The size and its reasoning are checked now; everything else the worker's run_sample_selection checks again.
    perform private.sample_size_of(p_method, p_size);
  end if;
  v_metadata := v_metadata || jsonb_build_object('population_rows', v_source.row_count);
  -- The active job may finish between the two statements; then a new one is queued on the next turn.
  loop
    insert into public.background_jobs (job_type, metadata, cycle_report_id, version_id, created_by)
    values ('sampling.draw', v_metadata, v_version.cycle_report_id, p_version_id, auth.uid())
    on conflict (version_id) where job_type = 'sampling.draw' and status in ('queued', 'running') do nothing
    returning * into v_job;
    exit when v_job.id is not null;
    select * into v_job from public.background_jobs j
     where j.version_id = p_version_id and j.job_type = 'sampling.draw' and j.status in ('queued', 'running');
    exit when v_job.id is not null;
  end loop;
  return v_job;
end;
$$;

comment on function public.request_sample_selection(uuid, uuid, text, text, jsonb, jsonb, jsonb, text, text) is
  'Queues the draw of a sample-selection draft as a sampling.draw background job and returns the job (poll background_jobs for its progress and result: {drawn, population_row_count, generator_version}); while one is queued or running for the version, returns that one. For populations too large to draw within the API''s statement timeout, and for database data sources (metadata.population = database), which the worker draws in their own database (simple random or stratified, generator version 2; decision 037). Same parameters as run_sample_selection; the seed is fixed when the job is queued (given, or 16 random bytes). The worker draws as the tester who asked. Assigned testers and admins. Errors: PT404 version_not_found; PT403 sample_selection_requires_tester | masked_population_column; PT409 version_wrong_phase | version_not_draft | population_not_in_planning_version | population_not_approved | population_table_missing | database_population_not_connected | database_population_method_not_supported; PT400 invalid_sampling_method | invalid_sampling_parameters | invalid_population_filter | unknown_population_column | invalid_seed | sample_size_required | invalid_sample_size_inputs | invalid_sample_size | sample_size_reason_required.';
