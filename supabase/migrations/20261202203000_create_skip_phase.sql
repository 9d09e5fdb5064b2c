-- skip_phase and reopen_phase: an admin moves a phase on, giving a reason that the phase keeps and the audit log
-- records. reopen_phase(p_phase_id) without a reason is replaced by reopen_phase(p_phase_id, p_reason).

create function public.skip_phase(p_phase_id bigint, p_reason text)
returns public.workflow_phases
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.workflow_phases := private.lock_visible_phase(p_phase_id);
begin
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'skip_requires_admin',
      message = 'Only an admin can skip a phase.';
  end if;
  if v_row.status in ('completed', 'skipped') then
    raise exception using errcode = 'PT409', detail = 'illegal_phase_transition',
      message = format('The %s phase is %s; only a phase not started or in progress can be skipped.', v_row.phase_name, v_row.status),
      hint = 'An admin reopens a completed phase first; a skipped one stays skipped.';
  end if;
  update public.workflow_phases set status = 'skipped', skip_reason = btrim(p_reason)
   where id = p_phase_id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.skip_phase(bigint, text) is
  'Skips a phase that has not produced an approved version (not started or in progress), so the phases after it can start. Admins only, with a reason (kept in skip_reason and the audit log). Errors: PT404 phase_not_found, PT403 skip_requires_admin, PT400 skip_reason_required, PT409 illegal_phase_transition | phase_has_approved_version.';

drop function public.reopen_phase(bigint);

create function public.reopen_phase(p_phase_id bigint, p_reason text)
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
  update public.workflow_phases set status = 'in_progress', reopen_reason = btrim(p_reason)
   where id = p_phase_id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.reopen_phase(bigint, text) is
  'Reopens a completed phase (back to in_progress), so its results may change again. Admins only, with a reason (kept in reopen_reason and the audit log), while no phase that depends on it has started. Errors: PT404 phase_not_found, PT403 reopen_requires_admin, PT400 reopen_reason_required, PT409 phase_not_completed | dependent_phase_started.';

revoke all on function public.skip_phase(bigint, text), public.reopen_phase(bigint, text) from public, anon, authenticated, service_role;
grant execute on function public.skip_phase(bigint, text), public.reopen_phase(bigint, text) to authenticated;
