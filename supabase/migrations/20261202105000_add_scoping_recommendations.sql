-- Scoping recommendations through the generation jobs: POST /functions/v1/generation/versions/:id/scoping queues
-- generation.scoping_recommendations for a scoping draft's decisions that have no recommendation yet; the offline
-- provider recommends in/out, risk and approach from the planning data by documented rules (docs/llm.md), an LLM
-- provider may word the reasons; every call is recorded in llm_interactions like other generation.
--
-- Redefines public.request_generation (from 20261122042000_create_generation_requests; the kind's phase is now read
-- from phase_definitions.job_types) and private.generation_targets (same origin; profiling rules are proposed only
-- for attributes in scope, and the scoping kind is added).

alter table public.scoping_decisions add column recommendation_job_id uuid references public.background_jobs (id) on delete set null;
comment on column public.scoping_decisions.recommendation_job_id is 'The generation job that made the recommendation.';
create index scoping_decisions_recommendation_job_id_idx on public.scoping_decisions (recommendation_job_id);

update public.phase_definitions set job_types = '{generation.scoping_recommendations}' where name = 'scoping';

-- One active generation job per version, of any generation kind.
drop index public.background_jobs_one_active_generation;
create unique index background_jobs_one_active_generation on public.background_jobs (version_id)
  where job_type like 'generation.%' and status in ('queued', 'running');

create or replace function private.generation_targets(p_version public.artifact_versions, p_kind text)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
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
    when 'scoping_recommendations' then (
      -- Decisions of the draft without a recommendation, by attribute name.
      select coalesce(jsonb_agg(d.id order by a.name, d.id), '[]')
        from public.scoping_decisions d
        join public.planning_attributes a on a.id = d.attribute_id
       where d.version_id = p_version.id and d.recommended_in_scope is null)
    else (
      -- Approved attributes in scope, of the planning version the draft is based on, that have no rule in it yet.
      select coalesce(jsonb_agg(a.id order by a.name, a.id), '[]')
        from public.planning_attributes a
        join public.planning_data_sources s on s.id = a.data_source_id
       where a.version_id = p_version.based_on_version_id and a.item_status = 'approved'
         and a.source_column is not null and s.schema is not null
         and private.is_attribute_in_scope(p_version.cycle_report_id, a.id)
         and not exists (select 1 from public.profiling_rules r where r.version_id = p_version.id and r.attribute_id = a.id))
  end;
end;
$$;
comment on function private.generation_targets(public.artifact_versions, text) is
  'What a generation job of this kind should cover in the draft: planning_attributes, [{data_source_id, column}] for the columns of ready data sources without an attribute; scoping_recommendations, the ids of the draft''s scoping decisions without a recommendation; profiling_rules, the ids of approved, mapped attributes in scope of the basis planning version without a rule in the draft.';

create or replace function public.request_generation(
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
  -- The phase whose versions a kind of generation works on: the one naming its job type.
  v_phase text := (select d.name from public.phase_definitions d where 'generation.' || p_kind = any (d.job_types));
  v_targets jsonb;
  v_job public.background_jobs;
begin
  if v_phase is null or p_kind !~ '^[a-z_]+$' then
    raise exception using errcode = 'PT400', detail = 'invalid_generation_request',
      message = 'Generation proposes planning_attributes, scoping_recommendations or profiling_rules.';
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
        when 'scoping_recommendations' then 'Every decision of this draft already has a recommendation.'
        else 'Every approved attribute in scope with a data source already has a rule in this draft.' end,
      hint = case p_kind
        when 'planning_attributes' then 'Add a data source (or test its connection) first.'
        when 'scoping_recommendations' then 'Create a new scoping version for attributes planning changed.'
        else 'Approve attributes mapped to data sources in planning, and keep them in scope, first.' end;
  end if;

  -- The active job may finish between the two statements; then a new one is queued on the next turn.
  loop
    insert into public.background_jobs (job_type, metadata, cycle_report_id, version_id, created_by)
    values ('generation.' || p_kind,
            jsonb_build_object('version_id', p_version_id, 'kind', p_kind, 'targets', v_targets,
              'regulatory_context', nullif(btrim(p_regulatory_context), ''), 'report_type', nullif(btrim(p_report_type), '')),
            v_version.cycle_report_id, p_version_id, auth.uid())
    on conflict (version_id) where job_type like 'generation.%' and status in ('queued', 'running')
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
  'Queues LLM proposals for a draft and returns the job: p_kind planning_attributes (planning draft: an attribute with PDE mappings per column without one), scoping_recommendations (scoping draft: a recommendation per decision without one) or profiling_rules (data-profiling draft: rules per approved attribute in scope without one), with an optional regulatory context and report type. The kind''s phase is the one whose phase_definitions.job_types names generation.<kind>. While a generation job of the version is queued or running, returns that one. Assigned testers and admins. Errors: PT400 invalid_generation_request; PT404 version_not_found; PT403 generation_requires_tester; PT409 version_wrong_phase | version_not_draft | nothing_to_generate.';
