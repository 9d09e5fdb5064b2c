-- Re-performing a selection drawn from a database population is a background job (sampling.reperform): the
-- worker surveys and draws again in the source database and public.record_database_sample_reperformance records
-- the verdict. reperform_sample_selection, which re-draws in this database, cannot reach such a population: a
-- trigger refuses its record for one (PT409 database_population_reperformed_as_job), instead of a verdict
-- "different" that only says the table is not here.

create function public.request_sample_reperformance(p_version_id uuid)
returns public.background_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_selection public.sample_selections;
  v_job public.background_jobs;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  select * into v_selection from public.sample_selections s where s.version_id = p_version_id;
  if v_selection.version_id is null then
    raise exception using errcode = 'PT409', detail = 'no_sample_selection',
      message = 'This version has no recorded selection to re-perform.';
  end if;
  if not exists (select 1 from public.planning_data_sources s where s.id = v_selection.data_source_id and s.source_type = 'database') then
    raise exception using errcode = 'PT409', detail = 'population_not_database',
      message = 'This selection''s population is an upload: reperform_sample_selection re-performs it at once.';
  end if;
  loop
    insert into public.background_jobs (job_type, metadata, cycle_report_id, version_id, created_by)
    values ('sampling.reperform', jsonb_build_object('version_id', p_version_id, 'population_rows', v_selection.population_row_count),
            v_version.cycle_report_id, p_version_id, auth.uid())
    on conflict (version_id) where job_type = 'sampling.reperform' and status in ('queued', 'running') do nothing
    returning * into v_job;
    exit when v_job.id is not null;
    select * into v_job from public.background_jobs j
     where j.version_id = p_version_id and j.job_type = 'sampling.reperform' and j.status in ('queued', 'running');
    exit when v_job.id is not null;
  end loop;
  return v_job;
end;
$$;

comment on function public.request_sample_reperformance(uuid) is
  'Queues the re-performance of a version''s sample selection drawn from a database population as a sampling.reperform job and returns it (its result, and a new sample_reperformances row, hold the verdict shaped as reperform_sample_selection''s); while one is queued or running for the version, returns that one. Anyone who reads the cycle report, in any state of the version. Errors: PT404 version_not_found; PT409 no_sample_selection | population_not_database.';

revoke all on function public.request_sample_reperformance(uuid) from public;
grant execute on function public.request_sample_reperformance(uuid) to authenticated;

create function private.guard_database_reperformance()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('regtest.sampling_reperformance', true), '') = ''
     and exists (select 1 from public.sample_selections s join public.planning_data_sources d on d.id = s.data_source_id
                  where s.version_id = new.version_id and d.source_type = 'database') then
    raise exception using errcode = 'PT409', detail = 'database_population_reperformed_as_job',
      message = 'This selection''s population is a database table, which only the sampling worker reaches: re-perform it in the background.',
      hint = 'Call request_sample_reperformance (in the app: "Re-perform").';
  end if;
  return new;
end;
$$;

comment on function private.guard_database_reperformance() is
  'Trigger on sample_reperformances: a re-performance of a selection of a database population is recorded only by public.record_database_sample_reperformance (a transaction-local marker it sets); reperform_sample_selection''s is refused with PT409 database_population_reperformed_as_job.';

revoke all on function private.guard_database_reperformance() from public;

create trigger guard_database_reperformance
  before insert on public.sample_reperformances
  for each row execute function private.guard_database_reperformance();
