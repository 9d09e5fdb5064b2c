-- Running a selection: the tester chooses the population, the method and the size; the database takes the
-- population's snapshot, draws the samples deterministically, records the selection with the version and adds
-- the drawn samples, each with only the columns the test needs (the key and the columns that the in-scope
-- attributes read), masked by classification as failed-row samples are. Samples added by hand get their values
-- from the population too.

-- The columns of a sample ---------------------------------------------------------------------------------------
create function private.sample_columns(p_selection public.sample_selections)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select array[p_selection.key_column] || coalesce(array_agg(distinct a.source_column order by a.source_column)
           filter (where a.source_column <> p_selection.key_column), '{}')
    from public.planning_data_sources s
    join public.planning_attributes a on a.data_source_id = s.id and a.version_id = s.version_id
   where s.id = p_selection.data_source_id and a.source_column is not null and a.item_status = 'approved'
     and a.id in (select private.in_scope_attribute_ids(p_selection.cycle_report_id))
$$;
comment on function private.sample_columns(public.sample_selections) is
  'The columns a sample of the selection holds: its key column and the source columns of the approved, in-scope attributes (private.in_scope_attribute_ids) that read its data source.';
revoke execute on function private.sample_columns(public.sample_selections) from public;

create function private.sample_data_expression(p_selection public.sample_selections)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select 'jsonb_build_object(' || string_agg(
           case when c = any (private.profiling_masked_source_columns(p_selection.data_source_id))
                then format('%L, ''***''::text', c) else format('%L, p.%I', c, c) end, ', ' order by o) || ')'
    from unnest(private.sample_columns(p_selection)) with ordinality as x(c, o)
$$;
comment on function private.sample_data_expression(public.sample_selections) is
  'The SQL expression (on alias p) of a sample''s values: its columns (private.sample_columns), those that private.profiling_masked_source_columns masks as ''***''.';
revoke execute on function private.sample_data_expression(public.sample_selections) from public;

-- Samples added by hand get their values from the population -----------------------------------------------------
create or replace function private.shape_sample_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_copy boolean;
  v_parent public.sample_decisions;
  v_selection public.sample_selections;
  v_data jsonb;
begin
  if tg_op = 'DELETE' then
    -- A draft being deleted takes its samples with it (its row is already gone).
    if old.recommendation_source = 'carried_forward'
       and exists (select 1 from public.artifact_versions v where v.id = old.version_id) then
      raise exception using errcode = 'PT409', detail = 'carried_sample_immutable',
        message = 'A sample carried forward from an approved version cannot be removed from the new version.',
        hint = 'The report owner can reject it when reviewing the version.';
    end if;
    return old;
  end if;

  v_copy := tg_op = 'INSERT' and new.parent_item_id is not null and private.is_copying_version(new.version_id);
  if v_copy then
    -- create_version's copy: only approved samples go forward, as carried_forward with their lineage.
    select * into v_parent from public.sample_decisions p where p.id = new.parent_item_id;
    if v_parent.item_status is distinct from 'approved' then
      return null;
    end if;
    new.recommendation_source := 'carried_forward';
    new.carried_from_version_id := v_parent.version_id;
    new.carried_from_decision_id := v_parent.id;
    new.replaced_by_decision_id := null;
    new.replacement_reason := null;
    return new;
  end if;

  if tg_op = 'INSERT' then
    if new.recommendation_source = 'carried_forward' or new.carried_from_version_id is not null
       or new.carried_from_decision_id is not null then
      raise exception using errcode = 'PT409', detail = 'sample_lineage_by_copy_only',
        message = 'Only create_version carries samples forward; a sample added to a version is tester, llm or manual.';
    end if;
    -- run_sample_selection fills the values of its draw in one pass (transaction-local marker, set around its
    -- own insert only; the REST API cannot set it). Any other insert is looked up in the population.
    if coalesce(current_setting('regtest.sampling_version_id', true) = new.version_id::text, false) then
      new.recommended_by := coalesce(auth.uid(), new.recommended_by);
      return new;
    end if;
    new.recommended_by := coalesce(auth.uid(), new.recommended_by);
    if new.sample_data <> '{}'::jsonb then
      raise exception using errcode = 'PT409', detail = 'sample_data_from_population',
        message = 'A sample''s values are read from its population by the database; send only its key.';
    end if;
    select * into v_selection from public.sample_selections s where s.version_id = new.version_id;
    if v_selection.version_id is not null then
      v_selection.excluded_keys := '{}';
      execute format('select %s from source_data.%I p where %s and p.%I::text = $1 limit 1',
                     private.sample_data_expression(v_selection), v_selection.population_table,
                     private.population_conditions(v_selection), v_selection.key_column)
        into v_data using new.sample_key;
      if v_data is null then
        raise exception using errcode = 'PT409', detail = 'sample_not_in_population',
          message = format('%s is not a key of the version''s population.', new.sample_key);
      end if;
      new.sample_data := v_data;
    end if;
  else
    if (new.sample_key, new.recommendation_source, new.recommended_by, new.carried_from_version_id,
        new.carried_from_decision_id, new.selection_order, new.sample_data)
       is distinct from (old.sample_key, old.recommendation_source, old.recommended_by, old.carried_from_version_id,
        old.carried_from_decision_id, old.selection_order, old.sample_data) then
      raise exception using errcode = 'PT409', detail = 'sample_column_immutable',
        message = 'A sample''s key, values, source, recommender, lineage and draw position cannot change.';
    end if;
    if old.recommendation_source = 'carried_forward'
       and (new.stratum, new.selection_reason, new.replaced_by_decision_id, new.replacement_reason)
           is distinct from (old.stratum, old.selection_reason, old.replaced_by_decision_id, old.replacement_reason) then
      raise exception using errcode = 'PT409', detail = 'carried_sample_immutable',
        message = 'A sample carried forward from an approved version cannot change.';
    end if;
  end if;

  if new.replaced_by_decision_id is not null
     and (tg_op = 'INSERT' or new.replaced_by_decision_id is distinct from old.replaced_by_decision_id)
     and not exists (select 1 from public.sample_decisions r
                      where r.id = new.replaced_by_decision_id and r.version_id = new.version_id) then
    raise exception using errcode = 'PT409', detail = 'replacement_not_in_version',
      message = 'A sample is replaced by another sample of the same version.';
  end if;
  return new;
end;
$$;
comment on function private.shape_sample_decision() is
  'Trigger on sample_decisions (after the item guard): create_version''s copy carries only approved samples, as carried_forward with carried_from_version_id/decision_id (the others stay in the parent version); other inserts cannot claim lineage (PT409 sample_lineage_by_copy_only) and get recommended_by = the caller; sample_data is the database''s (PT409 sample_data_from_population): read from the version''s population by key (PT409 sample_not_in_population), or filled by run_sample_selection for its draw; key, values, source, recommender, lineage and draw position never change (PT409 sample_column_immutable); a carried sample neither changes nor leaves its draft (PT409 carried_sample_immutable); a replacement is a sample of the same version (PT409 replacement_not_in_version).';

-- The sample size ------------------------------------------------------------------------------------------------
create function private.sample_size_of(p_method text, p_size jsonb)
returns table (sample_size integer, size_basis text, size_inputs jsonb)
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_method = 'judgmental' or (p_method = 'targeted' and p_size is null) then
    return query select null::integer, 'method'::text, '{}'::jsonb;
    return;
  end if;
  if p_size is null or jsonb_typeof(p_size) <> 'object' then
    raise exception using errcode = 'PT400', detail = 'sample_size_required',
      message = 'Give the sample size: {basis: calculator, confidence, tolerable_rate, expected_deviations} or {basis: tester_set, size, reason}.';
  end if;
  if p_size ->> 'basis' = 'calculator' then
    if jsonb_typeof(p_size -> 'confidence') <> 'number' or jsonb_typeof(p_size -> 'tolerable_rate') <> 'number'
       or jsonb_typeof(coalesce(p_size -> 'expected_deviations', '0')) <> 'number' then
      raise exception using errcode = 'PT400', detail = 'invalid_sample_size_inputs',
        message = 'The calculator needs confidence, tolerable_rate (fractions) and expected_deviations (a count).';
    end if;
    return query select public.attribute_sample_size((p_size ->> 'confidence')::numeric, (p_size ->> 'tolerable_rate')::numeric,
                          coalesce((p_size ->> 'expected_deviations')::integer, 0)),
                        'calculator'::text,
                        jsonb_build_object('confidence', (p_size ->> 'confidence')::numeric, 'tolerable_rate', (p_size ->> 'tolerable_rate')::numeric,
                          'expected_deviations', coalesce((p_size ->> 'expected_deviations')::integer, 0));
  elsif p_size ->> 'basis' = 'tester_set' then
    if jsonb_typeof(p_size -> 'size') <> 'number' or (p_size ->> 'size') !~ '^\d+$' or (p_size ->> 'size')::bigint not between 1 and 100000 then
      raise exception using errcode = 'PT400', detail = 'invalid_sample_size',
        message = 'A sample size set by the tester is a whole number from 1 to 100,000.';
    end if;
    if coalesce(btrim(p_size ->> 'reason'), '') = '' then
      raise exception using errcode = 'PT400', detail = 'sample_size_reason_required',
        message = 'A sample size set by the tester needs the reason for it.';
    end if;
    return query select (p_size ->> 'size')::integer, 'tester_set'::text,
                        jsonb_build_object('size', (p_size ->> 'size')::integer, 'reason', btrim(p_size ->> 'reason'));
  else
    raise exception using errcode = 'PT400', detail = 'sample_size_required',
      message = 'The sample size''s basis is calculator or tester_set.';
  end if;
end;
$$;
comment on function private.sample_size_of(text, jsonb) is
  'The size of a selection and its reasoning: {basis: calculator, confidence, tolerable_rate, expected_deviations} (public.attribute_sample_size) or {basis: tester_set, size, reason}; judgmental selections (and targeted ones without a size) take the rows the method names (basis method). Errors: PT400 sample_size_required | invalid_sample_size_inputs | invalid_sample_size | sample_size_reason_required.';
revoke execute on function private.sample_size_of(text, jsonb) from public;

-- The population -------------------------------------------------------------------------------------------------
create function private.sample_population_source(p_version public.artifact_versions, p_data_source_id uuid)
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
      message = format('Data source %s is a database table; samples are drawn from uploaded data sources only for now.', v_source.name),
      hint = 'Upload an extract of the table as a file data source in planning.';
  end if;
  if v_source.table_name is null or to_regclass(format('source_data.%I', v_source.table_name)) is null then
    raise exception using errcode = 'PT409', detail = 'population_table_missing',
      message = format('The table of data source %s is not there.', v_source.name);
  end if;
  return v_source;
end;
$$;
comment on function private.sample_population_source(public.artifact_versions, uuid) is
  'The data source a sample-selection version may draw from: an approved upload of the planning version it is based on. Errors: PT409 population_not_in_planning_version | population_not_approved | database_population_not_supported | population_table_missing.';
revoke execute on function private.sample_population_source(public.artifact_versions, uuid) from public;

-- The RPC --------------------------------------------------------------------------------------------------------
create function public.run_sample_selection(
  p_version_id uuid,
  p_data_source_id uuid,
  p_key_column text,
  p_method text,
  p_size jsonb default null,
  p_parameters jsonb default '{}',
  p_filter jsonb default '[]',
  p_amount_column text default null,
  p_seed text default null
)
returns public.sample_selections
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_source public.planning_data_sources;
  v_selection public.sample_selections;
  v_table regclass;
  v_snapshot jsonb;
  v_duplicate text;
  v_marker text;
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
  v_source := private.sample_population_source(v_version, p_data_source_id);
  v_table := format('source_data.%I', v_source.table_name)::regclass;
  perform private.population_column(v_table, p_key_column, 'key column');
  if p_amount_column is not null then
    perform private.population_column(v_table, p_amount_column, 'amount column');
  elsif p_method = 'monetary_unit' then
    raise exception using errcode = 'PT400', detail = 'amount_column_required',
      message = 'Monetary-unit sampling needs the amount column.';
  end if;

  -- The previous draw of this draft gives way; samples carried forward or added by hand stay and are not drawn again.
  delete from public.sample_decisions d
   where d.version_id = p_version_id and d.selection_order is not null and d.recommendation_source <> 'carried_forward';

  v_selection.version_id := p_version_id;
  v_selection.cycle_report_id := v_version.cycle_report_id;
  v_selection.data_source_id := v_source.id;
  v_selection.population_table := v_source.table_name;
  v_selection.key_column := p_key_column;
  v_selection.amount_column := p_amount_column;
  v_selection.filter := p_filter;
  v_selection.method := p_method;
  v_selection.parameters := p_parameters;
  select s.sample_size, s.size_basis, s.size_inputs into v_selection.sample_size, v_selection.size_basis, v_selection.size_inputs
    from private.sample_size_of(p_method, p_size) s;
  v_selection.seed := coalesce(p_seed, encode(extensions.gen_random_bytes(16), 'hex'));
  v_selection.generator_version := private.sample_generator_version();
  v_selection.excluded_keys := coalesce((select array_agg(d.sample_key order by d.sample_key collate "C")
                                           from public.sample_decisions d where d.version_id = p_version_id), '{}');
  v_snapshot := private.population_snapshot(v_selection);
  v_selection.population_row_count := (v_snapshot ->> 'row_count')::bigint;
  v_selection.population_amount_sum := (v_snapshot ->> 'amount_sum')::numeric;
  v_selection.population_key_hash := v_snapshot ->> 'key_hash';
  v_selection.strata := case when p_method = 'stratified' then private.stratum_allocation(v_selection) else '[]' end;
  if p_method = 'stratified' then
    v_selection.sample_size := (select sum((e ->> 'allocated')::integer) from jsonb_array_elements(v_selection.strata) e);
  elsif p_method in ('simple_random', 'systematic') and v_selection.sample_size > v_selection.population_row_count then
    raise exception using errcode = 'PT409', detail = 'population_too_small',
      message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_selection.population_row_count, v_selection.sample_size);
  end if;
  v_selection.run_by := auth.uid();
  v_selection.run_at := now();

  create temporary table if not exists pg_temp.sample_draw (row_id tid, sample_key text, stratum text, selection_order integer, selection_reason text)
    on commit drop;
  truncate pg_temp.sample_draw;
  insert into pg_temp.sample_draw select * from private.draw_samples(v_selection);
  select d.sample_key into v_duplicate from pg_temp.sample_draw d group by d.sample_key having count(*) > 1 limit 1;
  if v_duplicate is not null then
    raise exception using errcode = 'PT409', detail = 'population_key_not_unique',
      message = format('Key %s identifies more than one row of the population; choose a key column whose values are unique.', v_duplicate);
  end if;
  v_selection.drawn_keys := coalesce((select array_agg(d.sample_key order by d.selection_order) from pg_temp.sample_draw d), '{}');
  if p_method in ('targeted', 'judgmental') then
    v_selection.sample_size := cardinality(v_selection.drawn_keys);
  end if;

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

  -- The drawn samples, with their values read by row id in one pass.
  v_marker := current_setting('regtest.sampling_version_id', true);
  perform set_config('regtest.sampling_version_id', p_version_id::text, true);
  execute format(
    'insert into public.sample_decisions (version_id, sample_key, sample_data, recommendation_source, stratum, selection_order, selection_reason)
     select $1, d.sample_key, %s, ''tester'', d.stratum, d.selection_order, d.selection_reason
       from pg_temp.sample_draw d join source_data.%I p on p.ctid = d.row_id order by d.selection_order',
    private.sample_data_expression(v_selection), v_selection.population_table)
    using p_version_id;
  perform set_config('regtest.sampling_version_id', coalesce(v_marker, ''), true);
  drop table pg_temp.sample_draw;
  return v_selection;
end;
$$;
comment on function public.run_sample_selection(uuid, uuid, text, text, jsonb, jsonb, jsonb, text, text) is
  'Draws the samples of a sample-selection draft and records how: the population (p_data_source_id: an approved upload of the approved planning version; p_key_column; p_filter [{column, op, value}]; p_amount_column), its snapshot, the method (simple_random | systematic | stratified | monetary_unit | targeted | judgmental) with p_parameters, the size (p_size: {basis: calculator, confidence, tolerable_rate, expected_deviations} or {basis: tester_set, size, reason}), the seed (p_seed, or a random one, recorded) and the generator version; replaces the draft''s previous draw; keys already in the version are left out of the draw. Returns the sample_selections row. Assigned testers and admins. Errors: PT404 version_not_found; PT403 sample_selection_requires_tester; PT409 version_wrong_phase | version_not_draft | population_not_in_planning_version | population_not_approved | database_population_not_supported | population_table_missing | population_too_small | population_key_not_unique | approved_profiling_run_required | rule_not_in_approved_run | rule_not_on_population | sample_not_in_population; PT400 invalid_sampling_method | invalid_sampling_parameters | invalid_population_filter | unknown_population_column | amount_column_required | invalid_seed | sample_size_required | invalid_sample_size_inputs | invalid_sample_size | sample_size_reason_required.';
revoke execute on function public.run_sample_selection(uuid, uuid, text, text, jsonb, jsonb, jsonb, text, text) from public, anon, authenticated, service_role;
grant execute on function public.run_sample_selection(uuid, uuid, text, text, jsonb, jsonb, jsonb, text, text) to authenticated;
