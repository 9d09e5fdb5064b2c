-- A phase with requests (phase_definitions.request_item_kind) completes only when each of its requests is
-- accepted or closed with a reason. A phase without any request completes as before, on its activities: see
-- docs/decisions/021-requests-to-data-providers.md.

create function private.check_phase_requests_final()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_open bigint;
begin
  if not exists (select 1 from public.phase_definitions d where d.name = old.phase_name and d.request_item_kind is not null) then
    return new;
  end if;
  select count(*) into v_open from public.requests r
   where r.phase_id = old.id and r.status not in ('accepted', 'closed');
  if v_open > 0 then
    raise exception using errcode = 'PT409', detail = 'requests_open',
      message = format('The %s phase cannot complete: %s %s neither accepted nor closed.', replace(old.phase_name, '_', ' '),
        v_open, case when v_open = 1 then 'request is' else 'requests are' end),
      hint = 'Accept each response, or close the request with a reason.';
  end if;
  return new;
end;
$$;
comment on function private.check_phase_requests_final() is
  'Trigger: a phase with requests completes only when every request of it is accepted or closed. Errors: PT409 requests_open.';
revoke all on function private.check_phase_requests_final() from public;

create trigger request_phase_completion before update of status on public.workflow_phases
  for each row when (old.status = 'in_progress' and new.status = 'completed')
  execute function private.check_phase_requests_final();
