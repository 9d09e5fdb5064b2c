-- Requests to data providers: one mechanism for the data request (phase 3: an in-scope attribute's source data)
-- and the requests for information (phase 6: evidence for a sample x attribute), as there is one version
-- mechanism. Which phases hold requests, and what their items name, is data in phase_definitions.

alter table public.phase_definitions
  add column request_item_kind text check (request_item_kind in ('attribute', 'sample_attribute'));
comment on column public.phase_definitions.request_item_kind is
  'What the phase''s requests to data providers ask for: attribute (an in-scope attribute''s source data), sample_attribute (evidence for a sample x attribute), or null when the phase has no requests. A phase with requests completes only when every request is accepted or closed.';
update public.phase_definitions set request_item_kind = 'attribute' where name = 'data_request';
update public.phase_definitions set request_item_kind = 'sample_attribute' where name = 'request_info';

create type public.request_status as enum ('draft', 'sent', 'responded', 'accepted', 'returned', 'closed');
comment on type public.request_status is
  'A request''s lifecycle: draft -> sent (to the assignee) -> responded -> accepted, or returned (to the assignee, with a reason) -> responded again; closed (with a reason) from any state. Overdue is derived: sent or returned after the due date.';

create table public.requests (
  id bigint generated always as identity primary key,
  phase_id bigint not null references public.workflow_phases (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  phase_name text not null,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  instructions text check (char_length(instructions) <= 10000),
  assignee_id uuid references public.profiles (id),
  due_date date,
  status public.request_status not null default 'draft',
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  sent_by uuid references public.profiles (id) on delete set null,
  sent_at timestamptz,
  responded_by uuid references public.profiles (id) on delete set null,
  responded_at timestamptz,
  accepted_by uuid references public.profiles (id) on delete set null,
  accepted_at timestamptz,
  returned_by uuid references public.profiles (id) on delete set null,
  returned_at timestamptz,
  return_reason text check (char_length(return_reason) <= 4000),
  return_count integer not null default 0,
  closed_by uuid references public.profiles (id) on delete set null,
  closed_at timestamptz,
  close_reason text check (char_length(close_reason) <= 4000),
  updated_at timestamptz not null default now()
);
create index requests_phase_id_idx on public.requests (phase_id);
create index requests_cycle_report_id_idx on public.requests (cycle_report_id);
create index requests_assignee_id_idx on public.requests (assignee_id, due_date) where status <> 'draft';
comment on table public.requests is
  'Requests to data providers, for every phase with requests (phase_definitions.request_item_kind): the data request and the requests for information. Created and sent by the cycle report''s tester, answered by the assignee (a data_provider), accepted or returned by the tester. Status and stamps change only through the transitions (send_request, respond_to_request, accept_request, return_request, close_request).';
comment on column public.requests.cycle_report_id is 'The phase''s cycle report, set by the database from phase_id.';
comment on column public.requests.phase_name is 'The phase''s name, set by the database from phase_id.';
comment on column public.requests.assignee_id is 'The data provider who answers; a profile with app_role data_provider.';
comment on column public.requests.due_date is 'When the answer is due; the request is overdue when still sent or returned after it.';
comment on column public.requests.return_reason is 'Why the tester last returned the request to the assignee.';
comment on column public.requests.return_count is 'How many times the request was returned.';
comment on column public.requests.close_reason is 'Why the request was closed without being accepted (or after).';

-- Helpers for policies and transitions ------------------------------------------------------------------------
create function private.readable_request_ids()
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select r.id from public.requests r where r.cycle_report_id in (select private.readable_cycle_report_ids())
  union
  select r.id from public.requests r where r.assignee_id = auth.uid() and r.status <> 'draft'
$$;
comment on function private.readable_request_ids() is
  'Ids of the requests the signed-in user may read: those of the cycle reports they read (testers, owners, admins), and the requests sent to them as assignee. Used by policies as `x in (select …)`.';
revoke all on function private.readable_request_ids() from public;
grant execute on function private.readable_request_ids() to authenticated, service_role;

create function private.can_read_request(p_request_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.requests r
     where r.id = p_request_id
       and (private.can_read_cycle_report(r.cycle_report_id) or (r.assignee_id = auth.uid() and r.status <> 'draft'))
  )
$$;
comment on function private.can_read_request(bigint) is
  'True when the caller may read the request: a reader of its cycle report, or its assignee once it was sent.';
revoke all on function private.can_read_request(bigint) from public;
grant execute on function private.can_read_request(bigint) to authenticated, service_role;

create function private.is_data_provider(p_profile_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = p_profile_id and p.app_role = 'data_provider')
$$;
comment on function private.is_data_provider(uuid) is 'True when the profile has app_role data_provider.';
revoke all on function private.is_data_provider(uuid) from public;

create function private.request_is_overdue(p_status public.request_status, p_due_date date)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_status in ('sent', 'returned') and p_due_date is not null and p_due_date < current_date
$$;
comment on function private.request_is_overdue(public.request_status, date) is
  'True when a request awaits its assignee''s answer (sent or returned) after its due date.';
revoke all on function private.request_is_overdue(public.request_status, date) from public;
grant execute on function private.request_is_overdue(public.request_status, date) to authenticated, service_role;

-- The guard --------------------------------------------------------------------------------------------------
create function private.guard_request()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase record;
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception using errcode = 'PT409', detail = 'request_not_draft',
        message = 'Only a draft request can be deleted; close a sent request with a reason instead.';
    end if;
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'request_edit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can change its requests.';
    end if;
    return old;
  end if;

  if tg_op = 'INSERT' then
    select p.id, p.cycle_report_id, p.phase_name, p.status, d.request_item_kind into v_phase
      from public.workflow_phases p join public.phase_definitions d on d.name = p.phase_name
     where p.id = new.phase_id;
    if not found then
      raise exception using errcode = 'PT404', detail = 'phase_not_found',
        message = format('Workflow phase %s does not exist.', new.phase_id);
    end if;
    new.cycle_report_id := v_phase.cycle_report_id;
    new.phase_name := v_phase.phase_name;
    if not private.can_work_on_cycle_report(new.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'request_edit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can create its requests.';
    end if;
    if v_phase.request_item_kind is null then
      raise exception using errcode = 'PT409', detail = 'phase_has_no_requests',
        message = format('The %s phase does not send requests to data providers.', replace(v_phase.phase_name, '_', ' '));
    end if;
    if v_phase.status <> 'in_progress' then
      raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
        message = format('Requests are made while their phase is in progress; the %s phase is %s.',
          replace(v_phase.phase_name, '_', ' '), v_phase.status);
    end if;
    if new.status <> 'draft' then
      raise exception using errcode = 'PT409', detail = 'request_must_start_as_draft',
        message = 'A request starts as a draft; send it with send_request.';
    end if;
    if new.assignee_id is not null and not private.is_data_provider(new.assignee_id) then
      raise exception using errcode = 'PT409', detail = 'assignee_not_data_provider',
        message = 'A request is assigned to a user with the data provider role.';
    end if;
    new.created_by := auth.uid();
    new.created_at := now();
    new.sent_by := null; new.sent_at := null; new.responded_by := null; new.responded_at := null;
    new.accepted_by := null; new.accepted_at := null; new.returned_by := null; new.returned_at := null;
    new.return_reason := null; new.return_count := 0; new.closed_by := null; new.closed_at := null;
    new.close_reason := null;
    return new;
  end if;

  -- UPDATE
  if (new.id, new.phase_id, new.cycle_report_id, new.phase_name, new.created_by, new.created_at)
     is distinct from (old.id, old.phase_id, old.cycle_report_id, old.phase_name, old.created_by, old.created_at) then
    raise exception using errcode = 'PT409', detail = 'request_column_immutable',
      message = 'A request''s phase, cycle report and creation stamps cannot change.';
  end if;
  select p.status into v_phase from public.workflow_phases p where p.id = old.phase_id;
  if v_phase.status <> 'in_progress' then
    raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
      message = format('Requests change while their phase is in progress; the %s phase is %s.',
        replace(old.phase_name, '_', ' '), v_phase.status);
  end if;
  -- Stamps are the database's.
  new.sent_by := old.sent_by; new.sent_at := old.sent_at;
  new.responded_by := old.responded_by; new.responded_at := old.responded_at;
  new.accepted_by := old.accepted_by; new.accepted_at := old.accepted_at;
  new.returned_by := old.returned_by; new.returned_at := old.returned_at; new.return_count := old.return_count;
  new.closed_by := old.closed_by; new.closed_at := old.closed_at;
  if new.status is not distinct from old.status or new.status <> 'returned' then
    new.return_reason := old.return_reason;
  end if;
  if new.status is not distinct from old.status or new.status <> 'closed' then
    new.close_reason := old.close_reason;
  end if;

  if new.status = old.status then
    if (new.title, new.instructions, new.assignee_id, new.due_date)
       is not distinct from (old.title, old.instructions, old.assignee_id, old.due_date) then
      return new;
    end if;
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'request_edit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can change its requests.';
    end if;
    if old.status in ('accepted', 'closed') then
      raise exception using errcode = 'PT409', detail = 'request_final',
        message = format('The request is %s and cannot change.', old.status);
    end if;
    if old.status <> 'draft' and (new.title, new.instructions, new.assignee_id)
       is distinct from (old.title, old.instructions, old.assignee_id) then
      raise exception using errcode = 'PT409', detail = 'request_not_draft',
        message = 'Once sent, only a request''s due date can change; close it and send a new one instead.';
    end if;
    if new.assignee_id is not null and new.assignee_id is distinct from old.assignee_id
       and not private.is_data_provider(new.assignee_id) then
      raise exception using errcode = 'PT409', detail = 'assignee_not_data_provider',
        message = 'A request is assigned to a user with the data provider role.';
    end if;
    return new;
  end if;

  if (new.title, new.instructions, new.assignee_id, new.due_date)
     is distinct from (old.title, old.instructions, old.assignee_id, old.due_date) then
    raise exception using errcode = 'PT409', detail = 'request_column_immutable',
      message = 'A transition changes the status only; edit the request separately.';
  end if;

  if old.status = 'draft' and new.status = 'sent' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'send_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can send its requests.';
    end if;
    if old.assignee_id is null then
      raise exception using errcode = 'PT409', detail = 'request_assignee_required',
        message = 'Choose the data provider who answers before sending the request.';
    end if;
    if not private.is_data_provider(old.assignee_id) then
      raise exception using errcode = 'PT409', detail = 'assignee_not_data_provider',
        message = 'A request is assigned to a user with the data provider role.';
    end if;
    if old.due_date is null then
      raise exception using errcode = 'PT409', detail = 'request_due_date_required',
        message = 'Set a due date before sending the request.';
    end if;
    if not exists (select 1 from public.request_items i where i.request_id = old.id) then
      raise exception using errcode = 'PT409', detail = 'request_empty',
        message = 'A request names at least one item before it is sent.';
    end if;
    new.sent_by := auth.uid(); new.sent_at := now();

  elsif old.status in ('sent', 'returned') and new.status = 'responded' then
    if old.assignee_id is distinct from auth.uid() then
      raise exception using errcode = 'PT403', detail = 'respond_requires_assignee',
        message = 'Only the data provider the request is assigned to can respond to it.';
    end if;
    if not exists (select 1 from public.request_responses s
                    where s.request_id = old.id and s.round = old.return_count) then
      raise exception using errcode = 'PT409', detail = 'response_required',
        message = case when old.status = 'returned' then 'Add a response answering why the request was returned before responding.'
                       else 'Add a response (text or files) before responding.' end;
    end if;
    new.responded_by := auth.uid(); new.responded_at := now();

  elsif old.status = 'responded' and new.status = 'accepted' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'accept_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can accept a response.';
    end if;
    new.accepted_by := auth.uid(); new.accepted_at := now();

  elsif old.status = 'responded' and new.status = 'returned' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'return_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can return a response.';
    end if;
    if nullif(btrim(new.return_reason), '') is null then
      raise exception using errcode = 'PT400', detail = 'return_reason_required',
        message = 'Say why the response is returned, so the data provider knows what to do.';
    end if;
    new.return_reason := btrim(new.return_reason);
    new.returned_by := auth.uid(); new.returned_at := now(); new.return_count := old.return_count + 1;

  elsif old.status <> 'closed' and new.status = 'closed' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'close_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can close a request.';
    end if;
    if nullif(btrim(new.close_reason), '') is null then
      raise exception using errcode = 'PT400', detail = 'close_reason_required',
        message = 'Say why the request is closed.';
    end if;
    new.close_reason := btrim(new.close_reason);
    new.closed_by := auth.uid(); new.closed_at := now();

  else
    raise exception using errcode = 'PT409', detail = 'illegal_request_transition',
      message = format('A request cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_request() is
  'Trigger: requests are created as drafts in a phase with requests that is in progress, by its tester; drafts are edited and deleted by the tester; once sent only the due date changes; transitions draft -> sent (tester; assignee, due date and an item needed), sent | returned -> responded (the assignee, after adding a response), responded -> accepted | returned (tester; a reason to return), any -> closed (tester, with a reason); stamps who and when.';
revoke all on function private.guard_request() from public;

create trigger guard_request before insert or update or delete on public.requests
  for each row execute function private.guard_request();
create trigger touch_updated_at before update on public.requests
  for each row execute function private.touch_updated_at();
create trigger refuse_truncate before truncate on public.requests
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.requests');

alter table public.requests enable row level security;
create policy "Readers of a cycle report and assignees of sent requests can read requests" on public.requests
  for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids())
         or (assignee_id = (select auth.uid()) and status <> 'draft'));
create policy "Testers can create requests in their cycle reports" on public.requests
  for insert to authenticated
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));
create policy "Testers can edit the requests of their cycle reports" on public.requests
  for update to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()))
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));
create policy "Testers can delete the draft requests of their cycle reports" on public.requests
  for delete to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()) and status = 'draft');

revoke all on public.requests from anon, authenticated;
grant select, insert, delete on public.requests to authenticated;
grant update (title, instructions, assignee_id, due_date) on public.requests to authenticated;
grant all on public.requests to service_role;
