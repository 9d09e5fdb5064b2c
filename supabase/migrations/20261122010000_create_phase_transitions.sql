-- Phase and activity transitions: a phase starts only when the phases it depends on are completed (or
-- skipped); it completes only when its required activities are done and, where it has an artifact, a version
-- is approved and none is open. Enforced by triggers (so direct writes obey too) behind small RPCs.

create function private.guard_workflow_phase()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unmet text[];
  v_open_activities text[];
  v_has_artifact boolean;
begin
  if (new.id, new.cycle_report_id, new.phase_name, new.phase_order, new.created_at)
     is distinct from (old.id, old.cycle_report_id, old.phase_name, old.phase_order, old.created_at) then
    raise exception using errcode = 'PT409', detail = 'phase_column_immutable',
      message = 'A workflow phase''s cycle report, name and order cannot change.';
  end if;
  -- Stamps are the database's.
  new.started_at := old.started_at; new.started_by := old.started_by;
  new.completed_at := old.completed_at; new.completed_by := old.completed_by;

  if new.status = old.status then
    if (new.risk_level, new.phase_metadata) is distinct from (old.risk_level, old.phase_metadata) then
      if old.status in ('completed', 'skipped') then
        raise exception using errcode = 'PT409', detail = 'phase_closed',
          message = format('The %s phase is %s and cannot change.', old.phase_name, old.status);
      end if;
      if not private.can_work_on_cycle_report(old.cycle_report_id) then
        raise exception using errcode = 'PT403', detail = 'phase_edit_requires_tester',
          message = 'Only a tester assigned to this cycle report (or an admin) can edit a phase.';
      end if;
    end if;
    return new;
  end if;

  if old.status = 'not_started' and new.status = 'in_progress' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'start_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can start a phase.';
    end if;
    select array_agg(p.phase_name order by p.phase_order) into v_unmet
      from public.phase_definitions d
      join public.workflow_phases p on p.cycle_report_id = old.cycle_report_id and p.phase_name = any (d.depends_on)
     where d.name = old.phase_name and p.status not in ('completed', 'skipped');
    if v_unmet is not null then
      raise exception using errcode = 'PT409', detail = 'phase_dependencies_incomplete',
        message = format('The %s phase cannot start before %s %s completed.', old.phase_name,
          array_to_string(v_unmet, ', '), case when cardinality(v_unmet) = 1 then 'is' else 'are' end);
    end if;
    new.started_at := now();
    new.started_by := auth.uid();

  elsif old.status = 'in_progress' and new.status = 'completed' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'complete_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can complete a phase.';
    end if;
    select array_agg(a.activity_name order by a.activity_order) into v_open_activities
      from public.workflow_activities a
     where a.phase_id = old.id and a.is_required and a.status not in ('completed', 'skipped');
    if v_open_activities is not null then
      raise exception using errcode = 'PT409', detail = 'activities_incomplete',
        message = format('The %s phase cannot complete: required activities are not done: %s.', old.phase_name,
          array_to_string(v_open_activities, '; '));
    end if;
    select d.has_artifact into v_has_artifact from public.phase_definitions d where d.name = old.phase_name;
    if v_has_artifact then
      if exists (select 1 from public.artifact_versions v
                  where v.phase_id = old.id and v.version_status in ('draft', 'pending_approval')) then
        raise exception using errcode = 'PT409', detail = 'version_open',
          message = format('The %s phase cannot complete while a version is in draft or awaiting approval.', old.phase_name);
      end if;
      if not exists (select 1 from public.artifact_versions v where v.phase_id = old.id and v.version_status = 'approved') then
        raise exception using errcode = 'PT409', detail = 'approved_version_required',
          message = format('The %s phase cannot complete before a version of its artifact is approved.', old.phase_name);
      end if;
    end if;
    new.completed_at := now();
    new.completed_by := auth.uid();

  elsif old.status = 'not_started' and new.status = 'skipped' then
    if not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'skip_requires_admin',
        message = 'Only an admin can skip a phase.';
    end if;
    new.completed_at := now();
    new.completed_by := auth.uid();

  else
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('A phase cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_workflow_phase() is
  'Trigger: not_started → in_progress (dependencies completed or skipped), in_progress → completed (required activities done; approved version and no open one where the phase has an artifact), not_started → skipped (admins); stamps who and when; assigned testers and admins only.';

create trigger guard_workflow_phase
  before update on public.workflow_phases
  for each row execute function private.guard_workflow_phase();

create function private.derive_cycle_report_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.cycle_reports cr
     set status = s.status
    from (
      select case
               when bool_and(p.status in ('completed', 'skipped')) then 'completed'
               when bool_or(p.status in ('in_progress', 'completed')) then 'in_progress'
               else 'not_started'
             end::public.cycle_report_status as status
        from public.workflow_phases p where p.cycle_report_id = new.cycle_report_id
    ) s
   where cr.id = new.cycle_report_id and cr.status is distinct from s.status;
  return null;
end;
$$;
comment on function private.derive_cycle_report_status() is
  'Trigger: keeps cycle_reports.status in step with its phases (in_progress once one starts, completed when all are completed or skipped).';

create trigger derive_cycle_report_status
  after update of status on public.workflow_phases
  for each row execute function private.derive_cycle_report_status();

-- Activities ------------------------------------------------------------------------------------------------
create function private.guard_workflow_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase record;
begin
  if (new.id, new.phase_id, new.cycle_report_id, new.activity_code, new.activity_name, new.activity_order,
      new.is_required, new.created_at)
     is distinct from
     (old.id, old.phase_id, old.cycle_report_id, old.activity_code, old.activity_name, old.activity_order,
      old.is_required, old.created_at) then
    raise exception using errcode = 'PT409', detail = 'activity_column_immutable',
      message = 'An activity''s phase, code, name, order and requirement cannot change.';
  end if;
  new.started_at := old.started_at; new.started_by := old.started_by;
  new.completed_at := old.completed_at; new.completed_by := old.completed_by;
  if (new.status, new.notes) is not distinct from (old.status, old.notes) then
    return new;
  end if;

  select p.phase_name, p.status into v_phase from public.workflow_phases p where p.id = old.phase_id;
  if not private.can_work_on_cycle_report(old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'activity_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can work on activities.';
  end if;
  if v_phase.status <> 'in_progress' then
    raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
      message = format('The %s phase is %s; its activities change only while it is in progress.', v_phase.phase_name, v_phase.status);
  end if;
  if new.status = old.status then
    return new;
  end if;

  if old.status = 'not_started' and new.status = 'in_progress' then
    new.started_at := now();
    new.started_by := auth.uid();
  elsif old.status in ('not_started', 'in_progress') and new.status = 'completed' then
    new.started_at := coalesce(old.started_at, now());
    new.started_by := coalesce(old.started_by, auth.uid());
    new.completed_at := now();
    new.completed_by := auth.uid();
  elsif old.status in ('not_started', 'in_progress') and new.status = 'skipped' then
    if old.is_required and not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'skip_required_activity_requires_admin',
        message = format('"%s" is required; only an admin can skip it.', old.activity_name);
    end if;
    new.completed_at := now();
    new.completed_by := auth.uid();
  else
    raise exception using errcode = 'PT409', detail = 'illegal_activity_transition',
      message = format('An activity cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_workflow_activity() is
  'Trigger: activities change only while their phase is in progress, by an assigned tester or an admin: not_started → in_progress → completed, or skipped (required ones by admins only); stamps who and when.';

create trigger guard_workflow_activity
  before update on public.workflow_activities
  for each row execute function private.guard_workflow_activity();

-- RPCs ------------------------------------------------------------------------------------------------------
create function private.lock_visible_phase(p_phase_id bigint)
returns public.workflow_phases
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_phases;
begin
  select * into v_row from public.workflow_phases p where p.id = p_phase_id for update;
  if not found or not private.can_read_cycle_report(v_row.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'phase_not_found',
      message = format('Workflow phase %s does not exist or is not visible to you.', p_phase_id);
  end if;
  return v_row;
end;
$$;
comment on function private.lock_visible_phase(bigint) is
  'Locks a workflow phase for a transition; raises PT404 when it does not exist or the caller cannot read it.';

create function public.start_phase(p_phase_id bigint)
returns public.workflow_phases
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_phases := private.lock_visible_phase(p_phase_id);
begin
  if v_row.status <> 'not_started' then
    raise exception using errcode = 'PT409', detail = 'phase_not_startable',
      message = format('The %s phase is already %s.', v_row.phase_name, v_row.status);
  end if;
  update public.workflow_phases set status = 'in_progress' where id = p_phase_id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.start_phase(bigint) is
  'Starts a phase. Needs every phase it depends on completed or skipped. Errors: PT404 phase_not_found, PT403 start_requires_tester, PT409 phase_not_startable | phase_dependencies_incomplete.';

create function public.complete_phase(p_phase_id bigint)
returns public.workflow_phases
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_phases := private.lock_visible_phase(p_phase_id);
begin
  if v_row.status <> 'in_progress' then
    raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
      message = format('Only a phase in progress can be completed; the %s phase is %s.', v_row.phase_name, v_row.status);
  end if;
  update public.workflow_phases set status = 'completed' where id = p_phase_id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.complete_phase(bigint) is
  'Completes a phase. Needs its required activities completed (or skipped) and, where the phase has an artifact, an approved version and no open one. Errors: PT404 phase_not_found, PT403 complete_requires_tester, PT409 phase_not_in_progress | activities_incomplete | version_open | approved_version_required.';

create function private.set_activity_status(p_activity_id bigint, p_status public.activity_status)
returns public.workflow_activities
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_activities;
begin
  select * into v_row from public.workflow_activities a where a.id = p_activity_id for update;
  if not found or not private.can_read_cycle_report(v_row.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'activity_not_found',
      message = format('Activity %s does not exist or is not visible to you.', p_activity_id);
  end if;
  if v_row.status = p_status then
    raise exception using errcode = 'PT409', detail = 'illegal_activity_transition',
      message = format('"%s" is already %s.', v_row.activity_name, v_row.status);
  end if;
  update public.workflow_activities set status = p_status where id = p_activity_id returning * into v_row;
  return v_row;
end;
$$;
comment on function private.set_activity_status(bigint, public.activity_status) is
  'Shared body of start_activity, complete_activity and skip_activity.';

create function public.start_activity(p_activity_id bigint)
returns public.workflow_activities
language sql
security definer
set search_path = ''
as $$ select private.set_activity_status(p_activity_id, 'in_progress') $$;
comment on function public.start_activity(bigint) is
  'Marks an activity in progress. Errors: PT404 activity_not_found, PT403 activity_requires_tester, PT409 phase_not_in_progress | illegal_activity_transition.';

create function public.complete_activity(p_activity_id bigint)
returns public.workflow_activities
language sql
security definer
set search_path = ''
as $$ select private.set_activity_status(p_activity_id, 'completed') $$;
comment on function public.complete_activity(bigint) is
  'Marks an activity completed. Errors: PT404 activity_not_found, PT403 activity_requires_tester, PT409 phase_not_in_progress | illegal_activity_transition.';

create function public.skip_activity(p_activity_id bigint)
returns public.workflow_activities
language sql
security definer
set search_path = ''
as $$ select private.set_activity_status(p_activity_id, 'skipped') $$;
comment on function public.skip_activity(bigint) is
  'Skips an activity (a required one: admins only). Errors: PT404 activity_not_found, PT403 activity_requires_tester | skip_required_activity_requires_admin, PT409 phase_not_in_progress | illegal_activity_transition.';

revoke execute on function public.start_phase(bigint), public.complete_phase(bigint), public.start_activity(bigint),
  public.complete_activity(bigint), public.skip_activity(bigint) from public, anon, authenticated, service_role;
grant execute on function public.start_phase(bigint), public.complete_phase(bigint), public.start_activity(bigint),
  public.complete_activity(bigint), public.skip_activity(bigint) to authenticated;
