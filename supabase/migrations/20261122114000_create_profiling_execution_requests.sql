-- Asking to run the rules of an approved profiling version queues a profiling.execute background job.
-- At most one such job is active (queued or running) per version; asking again returns it.

create unique index background_jobs_one_active_profiling_execution
  on public.background_jobs (version_id)
  where job_type = 'profiling.execute' and status in ('queued', 'running');

create function public.request_profiling_execution(p_version_id uuid)
returns public.background_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_job public.background_jobs;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if not private.can_work_on_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT403', detail = 'execution_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can run its profiling rules.';
  end if;
  if v_version.phase_name <> 'data_profiling' then
    raise exception using errcode = 'PT409', detail = 'version_not_profiling',
      message = format('Only data-profiling versions have rules to run; this is a %s version.', v_version.phase_name);
  end if;
  if v_version.version_status <> 'approved' then
    raise exception using errcode = 'PT409', detail = 'version_not_approved',
      message = format('Only an approved profiling version is run; this version is %s.', v_version.version_status);
  end if;
  if not exists (select 1 from public.profiling_rules r
                  where r.version_id = p_version_id and r.item_status = 'approved' and r.is_executable) then
    raise exception using errcode = 'PT409', detail = 'no_executable_rules',
      message = 'This version has no approved executable rule to run.';
  end if;

  -- The active job may finish between the two statements; then a new one is queued on the next turn.
  loop
    insert into public.background_jobs (job_type, metadata, cycle_report_id, version_id, created_by)
    values ('profiling.execute', jsonb_build_object('version_id', p_version_id), v_version.cycle_report_id,
            p_version_id, auth.uid())
    on conflict (version_id) where job_type = 'profiling.execute' and status in ('queued', 'running') do nothing
    returning * into v_job;
    exit when v_job.id is not null;
    select * into v_job from public.background_jobs j
     where j.version_id = p_version_id and j.job_type = 'profiling.execute' and j.status in ('queued', 'running');
    exit when v_job.id is not null;
  end loop;
  return v_job;
end;
$$;
comment on function public.request_profiling_execution(uuid) is
  'Queues the execution of an approved profiling version''s approved executable rules as a profiling.execute background job and returns it; while one is queued or running, returns that one instead. Assigned testers and admins. Errors: PT404 version_not_found; PT403 execution_requires_tester; PT409 version_not_profiling | version_not_approved | no_executable_rules.';

revoke execute on function public.request_profiling_execution(uuid) from public, anon, authenticated, service_role;
grant execute on function public.request_profiling_execution(uuid) to authenticated;
