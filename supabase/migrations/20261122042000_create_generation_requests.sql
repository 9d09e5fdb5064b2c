-- Asking for LLM proposals in a draft queues a generation job, run by the generation edge function:
-- generation.planning_attributes (attributes and PDE mappings for a planning draft's columns) or
-- generation.profiling_rules (rules for the approved attributes a profiling draft is based on).
-- At most one generation job is active (queued or running) per version; asking again returns it.
-- The job's targets are fixed when it is queued, so every retry of the job splits them into the same
-- batches and reuses each batch's idempotency key.

create unique index background_jobs_one_active_generation
  on public.background_jobs (version_id)
  where job_type in ('generation.planning_attributes', 'generation.profiling_rules') and status in ('queued', 'running');

create function private.generation_targets(p_version public.artifact_versions, p_kind text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- plpgsql rather than sql: the profiling tables it reads are created by later migrations.
  return case p_kind
    when 'planning_attributes' then (
      -- Columns of the draft's data sources that no attribute reads yet, in source and column order.
      select coalesce(jsonb_agg(jsonb_build_object('data_source_id', s.id, 'column', col.value ->> 'name')
                                order by s.name, s.id, col.ordinality), '[]')
        from public.planning_data_sources s
        cross join lateral jsonb_array_elements(s.schema -> 'columns') with ordinality col
       where s.version_id = p_version.id and s.status = 'ready' and s.schema is not null
         and not exists (select 1 from public.planning_attributes a
                          where a.version_id = p_version.id and a.data_source_id = s.id
                            and a.source_column = col.value ->> 'name'))
    else (
      -- Approved attributes of the planning version the draft is based on that have no rule in it yet.
      select coalesce(jsonb_agg(a.id order by a.name, a.id), '[]')
        from public.planning_attributes a
        join public.planning_data_sources s on s.id = a.data_source_id
       where a.version_id = p_version.based_on_version_id and a.item_status = 'approved'
         and a.source_column is not null and s.schema is not null
         and not exists (select 1 from public.profiling_rules r where r.version_id = p_version.id and r.attribute_id = a.id))
  end;
end;
$$;
comment on function private.generation_targets(public.artifact_versions, text) is
  'What a generation job of this kind should cover in the draft: planning_attributes, [{data_source_id, column}] for the columns of ready data sources without an attribute; profiling_rules, the ids of approved, mapped attributes of the basis planning version without a rule in the draft.';

create function public.request_generation(
  p_version_id uuid,
  p_kind text,
  p_regulatory_context text default null,
  p_report_type text default null
)
returns public.background_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_phase text := case p_kind when 'planning_attributes' then 'planning' when 'profiling_rules' then 'data_profiling' end;
  v_targets jsonb;
  v_job public.background_jobs;
begin
  if v_phase is null then
    raise exception using errcode = 'PT400', detail = 'invalid_generation_request',
      message = 'Generation proposes planning_attributes or profiling_rules.';
  end if;
  if char_length(coalesce(p_regulatory_context, '')) > 20000 or char_length(coalesce(p_report_type, '')) > 200 then
    raise exception using errcode = 'PT400', detail = 'invalid_generation_request',
      message = 'The regulatory context is limited to 20,000 characters and the report type to 200.';
  end if;
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if not private.can_work_on_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT403', detail = 'generation_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can ask for proposals.';
  end if;
  if v_version.phase_name <> v_phase then
    raise exception using errcode = 'PT409', detail = 'version_wrong_phase',
      message = format('%s are proposed in %s versions; this is a %s version.',
        replace(p_kind, '_', ' '), v_phase, v_version.phase_name);
  end if;
  if v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Proposals are added to drafts only; this version is %s.', v_version.version_status);
  end if;

  select * into v_job from public.background_jobs j
   where j.version_id = p_version_id and j.job_type like 'generation.%' and j.status in ('queued', 'running');
  if found then
    return v_job;
  end if;

  v_targets := private.generation_targets(v_version, p_kind);
  if jsonb_array_length(v_targets) = 0 then
    raise exception using errcode = 'PT409', detail = 'nothing_to_generate',
      message = case p_kind
        when 'planning_attributes' then 'Every column of this draft''s ready data sources already has an attribute.'
        else 'Every approved attribute with a data source already has a rule in this draft.' end,
      hint = case p_kind
        when 'planning_attributes' then 'Add a data source (or test its connection) first.'
        else 'Approve attributes mapped to data sources in planning first.' end;
  end if;

  -- The active job may finish between the two statements; then a new one is queued on the next turn.
  loop
    insert into public.background_jobs (job_type, metadata, cycle_report_id, version_id, created_by)
    values ('generation.' || p_kind,
            jsonb_build_object('version_id', p_version_id, 'kind', p_kind, 'targets', v_targets,
              'regulatory_context', nullif(btrim(p_regulatory_context), ''), 'report_type', nullif(btrim(p_report_type), '')),
            v_version.cycle_report_id, p_version_id, auth.uid())
    on conflict (version_id)
      where job_type in ('generation.planning_attributes', 'generation.profiling_rules') and status in ('queued', 'running')
      do nothing
    returning * into v_job;
    exit when v_job.id is not null;
    select * into v_job from public.background_jobs j
     where j.version_id = p_version_id and j.job_type like 'generation.%' and j.status in ('queued', 'running');
    exit when v_job.id is not null;
  end loop;
  return v_job;
end;
$$;
comment on function public.request_generation(uuid, text, text, text) is
  'Queues LLM proposals for a draft and returns the job: p_kind planning_attributes (planning draft: an attribute with PDE mappings per column without one) or profiling_rules (data-profiling draft: rules per approved attribute without one), with an optional regulatory context and report type. While a generation job of the version is queued or running, returns that one. Assigned testers and admins. Errors: PT400 invalid_generation_request; PT404 version_not_found; PT403 generation_requires_tester; PT409 version_wrong_phase | version_not_draft | nothing_to_generate.';

revoke execute on function private.generation_targets(public.artifact_versions, text) from public;
revoke execute on function public.request_generation(uuid, text, text, text) from public, anon, authenticated, service_role;
grant execute on function public.request_generation(uuid, text, text, text) to authenticated;
