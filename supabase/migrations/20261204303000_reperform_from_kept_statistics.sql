-- reperform_sample_selection takes a selection's snapshot the way it was taken (sample_selections.snapshot_version;
-- docs/decisions/036-kept-population-statistics.md): version 2 from the population's kept statistics, which its
-- trigger invalidates when a row changes, and the draw from one scan of one rank per row; version 1 (and the
-- selections drawn before snapshot versions) as before. The report names the snapshot version and, for version 2,
-- when the statistics compared were counted. Restated from 20261203502000_reperform_samples_in_one_scan; only the
-- snapshot-and-draw block and the report's snapshot fields change.

create or replace function public.reperform_sample_selection(p_version_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_stored public.sample_selections;
  v_redo public.sample_selections;
  v_snapshot jsonb;
  v_survey jsonb;
  v_changed text[] := '{}';
  v_keys text[];
  v_error text;
  v_missing text[];
  v_added text[];
  v_not_in_version text[];
  v_identical boolean;
  v_result jsonb;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  select * into v_stored from public.sample_selections s where s.version_id = p_version_id;
  if v_stored.version_id is null then
    raise exception using errcode = 'PT409', detail = 'no_sample_selection',
      message = 'This version has no recorded selection to re-perform.';
  end if;

  v_redo := v_stored;
  begin
    if v_stored.snapshot_version = private.sample_snapshot_v2() then
      -- Snapshot version 2: the snapshot from the population's kept statistics (counted again if the population
      -- changed since, which its trigger records), the draw from one scan of one rank per row.
      v_survey := private.survey_and_draw_kept(v_stored);
      v_snapshot := jsonb_build_object('row_count', v_survey -> 'row_count', 'amount_sum', v_survey -> 'amount_sum',
                                       'key_hash', v_survey -> 'key_hash', 'computed_at', v_survey -> 'snapshot_computed_at',
                                       'statistics', v_survey -> 'statistics');
    elsif v_stored.generator_version = private.sample_generator_v2() then
      -- Version 2: the snapshot, the strata and the draw from one scan.
      v_survey := private.survey_and_draw(v_stored);
      v_snapshot := jsonb_build_object('row_count', v_survey -> 'row_count', 'amount_sum', v_survey -> 'amount_sum',
                                       'key_hash', v_survey -> 'key_hash');
    else
      v_snapshot := private.population_snapshot(v_stored);
    end if;
    if (v_snapshot ->> 'row_count')::bigint is distinct from v_stored.population_row_count then
      v_changed := v_changed || 'row_count'::text;
    end if;
    if (v_snapshot ->> 'amount_sum')::numeric is distinct from v_stored.population_amount_sum then
      v_changed := v_changed || 'amount_sum'::text;
    end if;
    if v_snapshot ->> 'key_hash' is distinct from v_stored.population_key_hash then
      v_changed := v_changed || 'key_hash'::text;
    end if;
    v_redo.population_row_count := (v_snapshot ->> 'row_count')::bigint;
    if v_stored.method = 'stratified' then
      v_redo.strata := case when v_survey is not null then v_survey -> 'strata' else private.stratum_allocation(v_redo) end;
      if v_redo.strata is distinct from v_stored.strata then
        v_changed := v_changed || 'strata'::text;
      end if;
    end if;
    if v_survey is not null then
      select coalesce(array_agg(d ->> 'sample_key' order by (d ->> 'selection_order')::integer), '{}') into v_keys
        from jsonb_array_elements(v_survey -> 'draw') d;
    else
      select coalesce(array_agg(d.sample_key order by d.selection_order), '{}') into v_keys from private.draw_samples(v_redo) d;
    end if;
  exception when others then
    -- The population no longer allows the draw (a column gone, too few rows…): that is the difference.
    get stacked diagnostics v_error = message_text;
    v_keys := null;
  end;

  if v_keys is not null then
    select coalesce(array_agg(k order by o), '{}') into v_missing
      from unnest(v_stored.drawn_keys) with ordinality x(k, o) where k <> all (v_keys);
    select coalesce(array_agg(k order by o), '{}') into v_added
      from unnest(v_keys) with ordinality x(k, o) where k <> all (v_stored.drawn_keys);
  end if;
  select coalesce(array_agg(k order by o), '{}') into v_not_in_version
    from unnest(v_stored.drawn_keys) with ordinality x(k, o)
   where not exists (select 1 from public.sample_decisions d where d.version_id = p_version_id and d.sample_key = k);
  v_identical := v_error is null and cardinality(v_changed) = 0 and v_keys = v_stored.drawn_keys;

  v_result := jsonb_build_object(
    'verdict', case when v_identical then 'identical' else 'different' end,
    'method', v_stored.method, 'seed', v_stored.seed, 'generator_version', v_stored.generator_version,
    'snapshot_version', coalesce(v_stored.snapshot_version, private.sample_snapshot_v1()),
    'population', jsonb_build_object(
      'stored', jsonb_build_object('row_count', v_stored.population_row_count, 'amount_sum', v_stored.population_amount_sum,
                                   'key_hash', v_stored.population_key_hash)
                || case when v_stored.snapshot_computed_at is null then '{}'::jsonb
                        else jsonb_build_object('computed_at', v_stored.snapshot_computed_at) end,
      'current', v_snapshot, 'changed', to_jsonb(v_changed)),
    'samples', jsonb_build_object(
      'stored_count', cardinality(v_stored.drawn_keys), 'redrawn_count', cardinality(v_keys),
      'missing', to_jsonb(v_missing), 'added', to_jsonb(v_added),
      'order_differs', v_keys is not null and cardinality(v_missing) = 0 and cardinality(v_added) = 0 and v_keys <> v_stored.drawn_keys,
      'error', v_error),
    'version_samples', jsonb_build_object('drawn_not_in_version', to_jsonb(v_not_in_version)));
  insert into public.sample_reperformances (version_id, cycle_report_id, performed_by, identical, result)
  values (p_version_id, v_version.cycle_report_id, auth.uid(), v_identical, v_result)
  returning v_result || jsonb_build_object('id', id, 'performed_at', performed_at) into v_result;
  return v_result;
end;
$$;
comment on function public.reperform_sample_selection(uuid) is
  'Re-draws a version''s samples from its recorded population with the stored method, parameters, seed, generator and snapshot version (snapshot version 2: the snapshot from the population''s kept statistics, counted again when the population changed since, and a simple random or stratified draw in one scan of one rank per row; version 1 with generator version 2: snapshot, strata and draw in one scan); compares the population''s snapshot (row count, amount sum, key hash; strata for stratified selections) and the drawn keys with the stored ones; records the result in sample_reperformances and returns it: {verdict: identical | different, snapshot_version, population {stored, current (snapshot version 2: with computed_at and statistics: kept | counted), changed}, samples {stored_count, redrawn_count, missing, added, order_differs, error}, version_samples {drawn_not_in_version}, …}. Anyone who reads the cycle report, in any state of the version. Errors: PT404 version_not_found; PT409 no_sample_selection.';
