-- Admins can reopen a completed phase (completed → in_progress) while no phase that depends on it has started:
-- a completed phase's results are final (see the next migration), and reopening is how an admin lets them change.
-- Redefines private.guard_workflow_phase (from 20261122010000_create_phase_transitions) with that one transition.

create or replace function private.guard_workflow_phase()
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

  elsif old.status = 'completed' and new.status = 'in_progress' then
    -- Reopening: an admin's decision (through reopen_phase or Studio), while nothing that builds on the phase has
    -- started, so no later phase ever saw a result that then changes.
    if not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'reopen_requires_admin',
        message = 'Only an admin can reopen a completed phase.';
    end if;
    select array_agg(p.phase_name order by p.phase_order) into v_unmet
      from public.phase_definitions d
      join public.workflow_phases p on p.cycle_report_id = old.cycle_report_id and p.phase_name = d.name
     where old.phase_name = any (d.depends_on) and p.status in ('in_progress', 'completed');
    if v_unmet is not null then
      raise exception using errcode = 'PT409', detail = 'dependent_phase_started',
        message = format('The %s phase cannot reopen: %s, which %s on it, %s started.', old.phase_name,
          array_to_string(v_unmet, ', '), case when cardinality(v_unmet) = 1 then 'depends' else 'depend' end,
          case when cardinality(v_unmet) = 1 then 'has' else 'have' end);
    end if;
    new.completed_at := null;
    new.completed_by := null;

  else
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('A phase cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_workflow_phase() is
  'Trigger: not_started → in_progress (dependencies completed or skipped), in_progress → completed (required activities done; approved version and no open one where the phase has an artifact), not_started → skipped (admins), completed → in_progress (admins reopening, while no phase depending on it has started; the completion stamps are cleared); stamps who and when; assigned testers and admins only. Errors: PT403 reopen_requires_admin, PT409 dependent_phase_started (besides the transitions'' own).';

create function public.reopen_phase(p_phase_id bigint)
returns public.workflow_phases
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_phases := private.lock_visible_phase(p_phase_id);
begin
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'reopen_requires_admin',
      message = 'Only an admin can reopen a completed phase.';
  end if;
  if v_row.status <> 'completed' then
    raise exception using errcode = 'PT409', detail = 'phase_not_completed',
      message = format('Only a completed phase can be reopened; the %s phase is %s.', v_row.phase_name, v_row.status);
  end if;
  update public.workflow_phases set status = 'in_progress' where id = p_phase_id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.reopen_phase(bigint) is
  'Reopens a completed phase (back to in_progress), so its results may change again. Admins only, while no phase that depends on it has started. Errors: PT404 phase_not_found, PT403 reopen_requires_admin, PT409 phase_not_completed | dependent_phase_started.';

revoke execute on function public.reopen_phase(bigint) from public, anon, authenticated, service_role;
grant execute on function public.reopen_phase(bigint) to authenticated;
