-- Phase 8 completes only when every observation has the owner's answer: responded or further on, or closed.
-- A rule of the phase's own, so a trigger of its own rather than a branch in the shared phase guard.

create function private.check_observations_answered()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_open text[];
begin
  select array_agg(o.title || ' (' || o.status || ')' order by o.created_at) into v_open
    from public.observations o
   where o.cycle_report_id = new.cycle_report_id
     and o.status not in ('responded', 'remediating', 'pending_validation', 'validated', 'closed');
  if v_open is not null then
    raise exception using errcode = 'PT409', detail = 'observations_unanswered',
      message = format('The observation phase cannot complete while observations are in draft, open without the owner''s response or reopened: %s.',
        array_to_string(v_open, '; '));
  end if;
  return new;
end;
$$;
comment on function private.check_observations_answered() is
  'Trigger on workflow_phases when the observation phase completes: every observation of the cycle report is at least open with the owner''s response (responded, remediating, pending_validation, validated) or closed. Errors: PT409 observations_unanswered.';
revoke execute on function private.check_observations_answered() from public;

create trigger check_observations_answered before update of status on public.workflow_phases
  for each row when (new.phase_name = 'observation_mgmt' and new.status = 'completed' and old.status is distinct from 'completed')
  execute function private.check_observations_answered();
