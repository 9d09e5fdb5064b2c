-- reperform_sample_selection re-draws a selection of generator version 2 from one scan (private.survey_and_draw), as
-- run_sample_selection now draws it; selections of version 1 are re-drawn as before. Restated from 20261202504000;
-- only the snapshot-and-draw block changes.

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
    if v_stored.generator_version = private.sample_generator_v2() then
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
  insert into public.sample_reperformances (version_id, cycle_report_id, performed_by, identical, result)
  values (p_version_id, v_version.cycle_report_id, auth.uid(), v_identical, v_result)
  returning v_result || jsonb_build_object('id', id, 'performed_at', performed_at) into v_result;
  return v_result;
end;
$$;
comment on function public.reperform_sample_selection(uuid) is
  'Re-draws a version''s samples from its recorded population with the stored method, parameters, seed and generator (version 2: snapshot, strata and a simple random or stratified draw in one scan); compares the population''s snapshot (row count, amount sum, key hash; strata for stratified selections) and the drawn keys with the stored ones; records the result in sample_reperformances and returns it: {verdict: identical | different, population {stored, current, changed}, samples {stored_count, redrawn_count, missing, added, order_differs, error}, version_samples {drawn_not_in_version}, …}. Anyone who reads the cycle report, in any state of the version. Errors: PT404 version_not_found; PT409 no_sample_selection.';
