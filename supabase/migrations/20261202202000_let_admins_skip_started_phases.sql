-- A phase can always move on. Admins may skip a phase that has not produced an approved version, whether it
-- has started or not, and reopen a completed one; both need a reason. A phase whose artifact does not exist yet
-- (has_artifact, but no item table registered in phase_definitions.item_tables, so no version of it can ever
-- be submitted) no longer demands an approved version to complete.
-- Restates three parts of guard_workflow_phase (from 20261202201000_split_workflow_phase_guard).

create function private.phase_needs_approved_version(p_phase_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select d.has_artifact and cardinality(d.item_tables) > 0
                     from public.phase_definitions d where d.name = p_phase_name), false)
$$;
comment on function private.phase_needs_approved_version(text) is
  'True when a phase completes only with an approved version: it has an artifact and its item tables exist (phase_definitions.item_tables). A phase whose items are not built yet never demands one.';
revoke all on function private.phase_needs_approved_version(text) from public;

create or replace function private.check_phase_artifact_approved(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.artifact_versions v
              where v.phase_id = p_old.id and v.version_status in ('draft', 'pending_approval')) then
    raise exception using errcode = 'PT409', detail = 'version_open',
      message = format('The %s phase cannot complete while a version is in draft or awaiting approval.', p_old.phase_name);
  end if;
  if private.phase_needs_approved_version(p_old.phase_name)
     and not exists (select 1 from public.artifact_versions v where v.phase_id = p_old.id and v.version_status = 'approved') then
    raise exception using errcode = 'PT409', detail = 'approved_version_required',
      message = format('The %s phase cannot complete before a version of its artifact is approved.', p_old.phase_name);
  end if;
end;
$$;
comment on function private.check_phase_artifact_approved(public.workflow_phases) is
  'Part of guard_workflow_phase: a phase completes with no version open and, where it needs one (phase_needs_approved_version), an approved version. Errors: PT409 version_open | approved_version_required.';

create or replace function private.check_phase_skip(p_old public.workflow_phases, p_new public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_old.status not in ('not_started', 'in_progress') then
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('A phase cannot go from %s to %s.', p_old.status, p_new.status),
      hint = 'An admin reopens a completed phase first; a skipped one stays skipped.';
  end if;
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'skip_requires_admin',
      message = 'Only an admin can skip a phase.';
  end if;
  if nullif(btrim(coalesce(p_new.skip_reason, '')), '') is null then
    raise exception using errcode = 'PT400', detail = 'skip_reason_required',
      message = 'Skipping a phase needs a reason.';
  end if;
  if exists (select 1 from public.artifact_versions v where v.phase_id = p_old.id and v.version_status = 'approved') then
    raise exception using errcode = 'PT409', detail = 'phase_has_approved_version',
      message = format('The %s phase has an approved version; complete it instead of skipping it.', p_old.phase_name);
  end if;
end;
$$;
comment on function private.check_phase_skip(public.workflow_phases, public.workflow_phases) is
  'Part of guard_workflow_phase: not_started or in_progress → skipped, by admins, with a reason, while the phase has no approved version. Errors: PT403 skip_requires_admin, PT400 skip_reason_required, PT409 illegal_phase_transition | phase_has_approved_version.';

create or replace function private.check_phase_reopen(p_old public.workflow_phases, p_new public.workflow_phases)
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
  if nullif(btrim(coalesce(p_new.reopen_reason, '')), '') is null then
    raise exception using errcode = 'PT400', detail = 'reopen_reason_required',
      message = 'Reopening a phase needs a reason.';
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
  'Part of guard_workflow_phase: completed → in_progress, by admins, with a reason, while no phase that depends on it has started. Errors: PT403 reopen_requires_admin, PT400 reopen_reason_required, PT409 dependent_phase_started.';

comment on column public.workflow_phases.status is
  'not_started → in_progress → completed; not_started or in_progress → skipped (admins, with a reason, while no version is approved); completed → in_progress (admins reopening, with a reason). Changed through start_phase, complete_phase, skip_phase and reopen_phase.';
comment on column public.phase_definitions.has_artifact is
  'True when the phase produces a versioned artifact. Once its item tables exist (item_tables), the phase needs an approved version before it completes.';
