-- Records the snapshot's version and provenance with the selection, and draws with snapshot version 2 by default
-- (docs/decisions/036-kept-population-statistics.md): sample_selections.snapshot_version (null for the selections
-- drawn before: version 1, counted in the draw's own scan, the generator's key hash) and snapshot_computed_at (when
-- the kept statistics the snapshot came from were counted). run_sample_selection is restated from
-- 20261203501000_draw_samples_in_one_scan; only the parameter check, the snapshot version and the snapshot-and-draw
-- block change.

alter table public.sample_selections
  add column snapshot_version text,
  add column snapshot_computed_at timestamptz;
comment on column public.sample_selections.snapshot_version is
  'How the population''s snapshot was taken: regtest-snapshot/2 kept statistics (row count, amount sum and strata from the population''s kept statistics, private.population_statistics; key hash = the exact sum over rows of hashtextextended(key::text collate "C", 0)), or regtest-snapshot/1 counted in the draw (counted in the draw''s own scan; key hash: generator version 1 the sum of the first 15 hex digits of md5(key), version 2 the sum of the ranks). Null: drawn before snapshot versions were recorded, i.e. version 1. Re-performance takes the snapshot the same way.';
comment on column public.sample_selections.snapshot_computed_at is
  'Snapshot version 2: when the kept statistics the snapshot came from were counted (at or before run_at; they were true of the population at run_at, as their invalidation guarantees). Null for version 1 (counted at run_at).';
comment on column public.sample_selections.population_key_hash is
  'Order-independent hash of the population''s keys, as a number (text): snapshot version 2 the sum over rows of hashtextextended(key::text collate "C", 0); version 1 with generator version 1 the sum of the first 15 hex digits of md5(key), with generator version 2 the sum of the ranks hashtextextended(key, seed64).';

create function private.sample_snapshot_v1()
returns text
language sql
immutable
set search_path = ''
as $$ select 'regtest-snapshot/1 counted in the draw' $$;
comment on function private.sample_snapshot_v1() is
  'The name of snapshot version 1: counted in the draw''s own scan, the key hash the generator''s (version 1: the sum of the first 15 hex digits of md5(key); version 2: the sum of the ranks). Selections whose snapshot_version is null were taken this way.';
revoke execute on function private.sample_snapshot_v1() from public;

create or replace function public.run_sample_selection(
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
  if p_parameters ? 'generator' and p_parameters ->> 'generator' is distinct from private.sample_generator_version()
     and p_parameters ->> 'generator' is distinct from private.sample_generator_v2() then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = format('The generator is %s (the default) or %s.', private.sample_generator_v2(), private.sample_generator_version());
  end if;
  if p_parameters ? 'snapshot' and (p_parameters ->> 'snapshot' is distinct from private.sample_snapshot_v2()
                                    and p_parameters ->> 'snapshot' is distinct from private.sample_snapshot_v1()
     or p_parameters ->> 'snapshot' = private.sample_snapshot_v2()
        and coalesce(p_parameters ->> 'generator', private.sample_generator_v2()) <> private.sample_generator_v2()) then
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = format('The snapshot is %s (the default, with generator %s) or %s.', private.sample_snapshot_v2(),
                       private.sample_generator_v2(), private.sample_snapshot_v1());
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
  v_selection.parameters := p_parameters - 'generator' - 'snapshot';
  select s.sample_size, s.size_basis, s.size_inputs into v_selection.sample_size, v_selection.size_basis, v_selection.size_inputs
    from private.sample_size_of(p_method, p_size) s;
  v_selection.seed := coalesce(p_seed, encode(extensions.gen_random_bytes(16), 'hex'));
  -- Version 2 unless the tester asks for version 1 (parameters.generator), whose ranks any md5 tool recomputes.
  v_selection.generator_version := coalesce(p_parameters ->> 'generator', private.sample_generator_v2());
  perform private.check_sample_generator(v_selection.generator_version);
  -- Snapshot version 2 (kept statistics, seed-independent key hash) with generator version 2, unless asked for
  -- version 1 (counted in the draw's own scan, the generator's key hash), which generator version 1 always takes.
  v_selection.snapshot_version := case when v_selection.generator_version = private.sample_generator_v2()
                                       then coalesce(p_parameters ->> 'snapshot', private.sample_snapshot_v2())
                                       else private.sample_snapshot_v1() end;
  v_selection.snapshot_computed_at := null;
  v_selection.excluded_keys := coalesce((select array_agg(d.sample_key order by d.sample_key collate "C")
                                           from public.sample_decisions d where d.version_id = p_version_id), '{}');
  v_selection.strata := '[]';
  create temporary table if not exists pg_temp.sample_draw (row_id tid, sample_key text, stratum text, selection_order integer, selection_reason text)
    on commit drop;
  truncate pg_temp.sample_draw;
  if v_selection.snapshot_version = private.sample_snapshot_v2() then
    -- The snapshot from the population's kept statistics, the strata and (simple random, stratified) the draw in one
    -- scan of one rank per row.
    v_snapshot := private.survey_and_draw_kept(v_selection);
    v_selection.snapshot_computed_at := (v_snapshot ->> 'snapshot_computed_at')::timestamptz;
    v_selection.population_row_count := (v_snapshot ->> 'row_count')::bigint;
    v_selection.population_amount_sum := (v_snapshot ->> 'amount_sum')::numeric;
    v_selection.population_key_hash := v_snapshot ->> 'key_hash';
    v_selection.strata := v_snapshot -> 'strata';
    v_selection.sample_size := (v_snapshot ->> 'sample_size')::integer;
    insert into pg_temp.sample_draw
    select (d ->> 'row_id')::tid, d ->> 'sample_key', d ->> 'stratum', (d ->> 'selection_order')::integer, d ->> 'selection_reason'
      from jsonb_array_elements(v_snapshot -> 'draw') d;
  elsif v_selection.generator_version = private.sample_generator_v2() then
    -- The snapshot, the strata and (simple random, stratified) the draw in one scan.
    v_snapshot := private.survey_and_draw(v_selection);
    v_selection.population_row_count := (v_snapshot ->> 'row_count')::bigint;
    v_selection.population_amount_sum := (v_snapshot ->> 'amount_sum')::numeric;
    v_selection.population_key_hash := v_snapshot ->> 'key_hash';
    v_selection.strata := v_snapshot -> 'strata';
    v_selection.sample_size := (v_snapshot ->> 'sample_size')::integer;
    insert into pg_temp.sample_draw
    select (d ->> 'row_id')::tid, d ->> 'sample_key', d ->> 'stratum', (d ->> 'selection_order')::integer, d ->> 'selection_reason'
      from jsonb_array_elements(v_snapshot -> 'draw') d;
  else
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
    insert into pg_temp.sample_draw select * from private.draw_samples(v_selection);
  end if;
  v_selection.run_by := auth.uid();
  v_selection.run_at := now();
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
    run_by = excluded.run_by, run_at = excluded.run_at, snapshot_version = excluded.snapshot_version,
    snapshot_computed_at = excluded.snapshot_computed_at
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
  'Draws the samples of a sample-selection draft and records how: the population (p_data_source_id: an approved upload of the approved planning version; p_key_column; p_filter [{column, op, value}]; p_amount_column), its snapshot, the method (simple_random | systematic | stratified | monetary_unit | targeted | judgmental) with p_parameters (and parameters.generator: regtest-sampling/2 hashtextextended, the default, or regtest-sampling/1 md5-keyed), the size (p_size: {basis: calculator, confidence, tolerable_rate, expected_deviations} or {basis: tester_set, size, reason}), the seed (p_seed, or a random one, recorded), the generator version and the snapshot version (parameters.snapshot: regtest-snapshot/2 kept statistics, the default with generator version 2: the snapshot from the population''s kept statistics, counted once and kept truthfully, and a simple random or stratified draw in one scan of one rank per row; or regtest-snapshot/1 counted in the draw, always with version 1); replaces the draft''s previous draw; keys already in the version are left out of the draw. Returns the sample_selections row. Assigned testers and admins. Errors: PT404 version_not_found; PT403 sample_selection_requires_tester; PT409 version_wrong_phase | version_not_draft | population_not_in_planning_version | population_not_approved | database_population_not_supported | population_table_missing | population_too_small | population_key_not_unique | approved_profiling_run_required | rule_not_in_approved_run | rule_not_on_population | sample_not_in_population | generator_version_unavailable | population_changing; PT400 invalid_sampling_method | invalid_sampling_parameters | invalid_population_filter | unknown_population_column | amount_column_required | invalid_seed | sample_size_required | invalid_sample_size_inputs | invalid_sample_size | sample_size_reason_required.';
