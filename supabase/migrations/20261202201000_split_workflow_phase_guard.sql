-- The phase guard in small named parts, one per transition, so that a change of one transition restates a
-- dozen lines instead of the whole guard. Behaviour is unchanged, except that the reasons added by the previous
-- migration are the guard's to keep: a skip sets skip_reason, a reopening sets reopen_reason, a completion
-- clears reopen_reason, and nothing else changes them.
-- Redefines private.guard_workflow_phase (last restated in 20261201800000_allow_admins_to_reopen_phases).

create function private.check_phase_start(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unmet text[];
begin
  if not private.can_work_on_cycle_report(p_old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'start_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can start a phase.';
  end if;
  select array_agg(p.phase_name order by p.phase_order) into v_unmet
    from public.phase_definitions d
    join public.workflow_phases p on p.cycle_report_id = p_old.cycle_report_id and p.phase_name = any (d.depends_on)
   where d.name = p_old.phase_name and p.status not in ('completed', 'skipped');
  if v_unmet is not null then
    raise exception using errcode = 'PT409', detail = 'phase_dependencies_incomplete',
      message = format('The %s phase cannot start before %s %s completed.', p_old.phase_name,
        array_to_string(v_unmet, ', '), case when cardinality(v_unmet) = 1 then 'is' else 'are' end);
  end if;
end;
$$;
comment on function private.check_phase_start(public.workflow_phases) is
  'Part of guard_workflow_phase: not_started → in_progress needs an assigned tester (or an admin) and every phase it depends on completed or skipped. Errors: PT403 start_requires_tester, PT409 phase_dependencies_incomplete.';

create function private.check_phase_activities_done(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_open_activities text[];
begin
  select array_agg(a.activity_name order by a.activity_order) into v_open_activities
    from public.workflow_activities a
   where a.phase_id = p_old.id and a.is_required and a.status not in ('completed', 'skipped');
  if v_open_activities is not null then
    raise exception using errcode = 'PT409', detail = 'activities_incomplete',
      message = format('The %s phase cannot complete: required activities are not done: %s.', p_old.phase_name,
        array_to_string(v_open_activities, '; '));
  end if;
end;
$$;
comment on function private.check_phase_activities_done(public.workflow_phases) is
  'Part of guard_workflow_phase: a phase completes only when its required activities are completed or skipped. Errors: PT409 activities_incomplete.';

create function private.check_phase_artifact_approved(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (select d.has_artifact from public.phase_definitions d where d.name = p_old.phase_name) then
    return;
  end if;
  if exists (select 1 from public.artifact_versions v
              where v.phase_id = p_old.id and v.version_status in ('draft', 'pending_approval')) then
    raise exception using errcode = 'PT409', detail = 'version_open',
      message = format('The %s phase cannot complete while a version is in draft or awaiting approval.', p_old.phase_name);
  end if;
  if not exists (select 1 from public.artifact_versions v where v.phase_id = p_old.id and v.version_status = 'approved') then
    raise exception using errcode = 'PT409', detail = 'approved_version_required',
      message = format('The %s phase cannot complete before a version of its artifact is approved.', p_old.phase_name);
  end if;
end;
$$;
comment on function private.check_phase_artifact_approved(public.workflow_phases) is
  'Part of guard_workflow_phase: where the phase has an artifact, it completes only with an approved version and none open. Errors: PT409 version_open | approved_version_required.';

create function private.check_phase_completion(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.can_work_on_cycle_report(p_old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'complete_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can complete a phase.';
  end if;
  perform private.check_phase_activities_done(p_old);
  perform private.check_phase_artifact_approved(p_old);
end;
$$;
comment on function private.check_phase_completion(public.workflow_phases) is
  'Part of guard_workflow_phase: in_progress → completed needs an assigned tester (or an admin), the required activities done and, where the phase has an artifact, an approved version. Errors: PT403 complete_requires_tester (and those of check_phase_activities_done, check_phase_artifact_approved).';

create function private.check_phase_skip(p_old public.workflow_phases, p_new public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_old.status <> 'not_started' then
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('A phase cannot go from %s to %s.', p_old.status, p_new.status);
  end if;
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'skip_requires_admin',
      message = 'Only an admin can skip a phase.';
  end if;
end;
$$;
comment on function private.check_phase_skip(public.workflow_phases, public.workflow_phases) is
  'Part of guard_workflow_phase: → skipped, by admins. Errors: PT403 skip_requires_admin, PT409 illegal_phase_transition.';

create function private.check_phase_reopen(p_old public.workflow_phases, p_new public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_started text[];
begin
  -- Reopening: an admin's decision, while nothing that builds on the phase has started, so no later phase ever
  -- saw a result that then changes.
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'reopen_requires_admin',
      message = 'Only an admin can reopen a completed phase.';
  end if;
  select array_agg(p.phase_name order by p.phase_order) into v_started
    from public.phase_definitions d
    join public.workflow_phases p on p.cycle_report_id = p_old.cycle_report_id and p.phase_name = d.name
   where p_old.phase_name = any (d.depends_on) and p.status in ('in_progress', 'completed');
  if v_started is not null then
    raise exception using errcode = 'PT409', detail = 'dependent_phase_started',
      message = format('The %s phase cannot reopen: %s, which %s on it, %s started.', p_old.phase_name,
        array_to_string(v_started, ', '), case when cardinality(v_started) = 1 then 'depends' else 'depend' end,
        case when cardinality(v_started) = 1 then 'has' else 'have' end);
  end if;
end;
$$;
comment on function private.check_phase_reopen(public.workflow_phases, public.workflow_phases) is
  'Part of guard_workflow_phase: completed → in_progress, by admins, while no phase that depends on it has started. Errors: PT403 reopen_requires_admin, PT409 dependent_phase_started.';

create function private.check_phase_edit(p_old public.workflow_phases, p_new public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (p_new.risk_level, p_new.phase_metadata) is not distinct from (p_old.risk_level, p_old.phase_metadata) then
    return;
  end if;
  if p_old.status in ('completed', 'skipped') then
    raise exception using errcode = 'PT409', detail = 'phase_closed',
      message = format('The %s phase is %s and cannot change.', p_old.phase_name, p_old.status);
  end if;
  if not private.can_work_on_cycle_report(p_old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'phase_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can edit a phase.';
  end if;
end;
$$;
comment on function private.check_phase_edit(public.workflow_phases, public.workflow_phases) is
  'Part of guard_workflow_phase: a phase''s risk and data change only while it is open, by an assigned tester or an admin. Errors: PT409 phase_closed, PT403 phase_edit_requires_tester.';

create or replace function private.guard_workflow_phase()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (new.id, new.cycle_report_id, new.phase_name, new.phase_order, new.created_at)
     is distinct from (old.id, old.cycle_report_id, old.phase_name, old.phase_order, old.created_at) then
    raise exception using errcode = 'PT409', detail = 'phase_column_immutable',
      message = 'A workflow phase''s cycle report, name and order cannot change.';
  end if;
  -- Stamps and reasons are the database's: each transition sets its own.
  new.started_at := old.started_at; new.started_by := old.started_by;
  new.completed_at := old.completed_at; new.completed_by := old.completed_by;
  if new.status = old.status then
    new.skip_reason := old.skip_reason; new.reopen_reason := old.reopen_reason;
    perform private.check_phase_edit(old, new);
    return new;
  end if;
  if new.status <> 'skipped' then
    new.skip_reason := old.skip_reason;
  end if;

  if old.status = 'not_started' and new.status = 'in_progress' then
    perform private.check_phase_start(old);
    new.started_at := now(); new.started_by := auth.uid();
    new.reopen_reason := old.reopen_reason;
  elsif old.status = 'in_progress' and new.status = 'completed' then
    perform private.check_phase_completion(old);
    new.completed_at := now(); new.completed_by := auth.uid();
    new.reopen_reason := null;
  elsif new.status = 'skipped' then
    perform private.check_phase_skip(old, new);
    new.completed_at := now(); new.completed_by := auth.uid();
    new.reopen_reason := old.reopen_reason;
  elsif old.status = 'completed' and new.status = 'in_progress' then
    perform private.check_phase_reopen(old, new);
    new.completed_at := null; new.completed_by := null;
  else
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('A phase cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_workflow_phase() is
  'Trigger: the immutable columns, stamps and reasons are the database''s; each transition is checked by its part: not_started → in_progress (check_phase_start), in_progress → completed (check_phase_completion), → skipped (check_phase_skip), completed → in_progress (check_phase_reopen); other changes by check_phase_edit. Errors: PT409 phase_column_immutable | illegal_phase_transition (besides the parts'').';

revoke all on function private.check_phase_start(public.workflow_phases), private.check_phase_activities_done(public.workflow_phases),
  private.check_phase_artifact_approved(public.workflow_phases), private.check_phase_completion(public.workflow_phases),
  private.check_phase_skip(public.workflow_phases, public.workflow_phases),
  private.check_phase_reopen(public.workflow_phases, public.workflow_phases),
  private.check_phase_edit(public.workflow_phases, public.workflow_phases) from public;
