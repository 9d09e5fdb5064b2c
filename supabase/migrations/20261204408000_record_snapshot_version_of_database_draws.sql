-- A database population's draw records its snapshot version: version 1 (counted in the draw's own scan of the source
-- database), since kept statistics exist only for populations stored here (docs/decisions/037). Before, a draw that
-- replaced an upload's left the upload's snapshot version and counting time on the row. Restates
-- public.record_database_sample_selection from 20261204402000_create_database_sample_draw_functions; only the two
-- snapshot columns change.
create or replace function public.record_database_sample_selection(p_job_id uuid, p_survey jsonb, p_draw jsonb) RETURNS public.sample_selections
    language plpgsql security definer
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
  -- Counted in the draw's own scan of the source database: snapshot version 1, whatever an earlier draw recorded.
  v_selection.snapshot_version := private.sample_snapshot_v1();
  v_selection.snapshot_computed_at := null;

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
    run_by = excluded.run_by, run_at = excluded.run_at,
    snapshot_version = excluded.snapshot_version, snapshot_computed_at = excluded.snapshot_computed_at
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

comment on function public.record_database_sample_selection(p_job_id uuid, p_survey jsonb, p_draw jsonb) is 'For the sampling worker (service_role) holding a running sampling.draw job of a database population: records the selection (snapshot from p_survey, allocation and everything else from the job''s inputs) and its samples (p_draw: [{sample_key, stratum, rank, sample_data}] in draw order), as the tester who asked, replacing the draft''s previous draw as run_sample_selection does; its snapshot is version 1 (regtest-snapshot/1 counted in the draw), counted in the draw''s own scan. Checks the draw against the job (private.accept_database_survey, private.accept_database_draw) and masks masked columns. Errors: those of private.database_draw_job, accept_database_survey and accept_database_draw; PT403 sample_selection_requires_tester; PT409 job_inputs_inconsistent.';
