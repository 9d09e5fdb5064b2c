-- The request lifecycle as RPCs. Each locks a request the caller can read (PT404 otherwise) and changes its status;
-- the guard on public.requests decides who may make the move and stamps it, so Studio edits meet the same rules.

create function private.lock_visible_request(p_request_id bigint)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests;
begin
  select * into v_row from public.requests r where r.id = p_request_id for update;
  if not found or not private.can_read_request(p_request_id) then
    raise exception using errcode = 'PT404', detail = 'request_not_found',
      message = format('Request %s does not exist or is not visible to you.', p_request_id);
  end if;
  return v_row;
end;
$$;
comment on function private.lock_visible_request(bigint) is
  'Locks a request for a transition; raises PT404 request_not_found when it does not exist or the caller cannot read it.';
revoke all on function private.lock_visible_request(bigint) from public;

create function public.send_request(p_request_id bigint)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests := private.lock_visible_request(p_request_id);
begin
  update public.requests set status = 'sent' where id = v_row.id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.send_request(bigint) is
  'Sends a draft request to its assignee. Tester of the cycle report. Errors: PT404 request_not_found; PT403 send_requires_tester; PT409 illegal_request_transition, request_assignee_required, assignee_not_data_provider, request_due_date_required, request_empty, phase_not_in_progress.';

create function public.respond_to_request(p_request_id bigint)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests := private.lock_visible_request(p_request_id);
begin
  update public.requests set status = 'responded' where id = v_row.id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.respond_to_request(bigint) is
  'Hands a sent or returned request back to the tester once its responses are added. The assignee only. Errors: PT404 request_not_found; PT403 respond_requires_assignee; PT409 illegal_request_transition, response_required, phase_not_in_progress.';

create function public.accept_request(p_request_id bigint)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests := private.lock_visible_request(p_request_id);
begin
  update public.requests set status = 'accepted' where id = v_row.id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.accept_request(bigint) is
  'Accepts a responded request. Tester of the cycle report. Errors: PT404 request_not_found; PT403 accept_requires_tester; PT409 illegal_request_transition, phase_not_in_progress.';

create function public.return_request(p_request_id bigint, p_reason text)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests := private.lock_visible_request(p_request_id);
begin
  update public.requests set status = 'returned', return_reason = p_reason where id = v_row.id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.return_request(bigint, text) is
  'Returns a responded request to its assignee with a reason. Tester of the cycle report. Errors: PT404 request_not_found; PT403 return_requires_tester; PT400 return_reason_required; PT409 illegal_request_transition, phase_not_in_progress.';

create function public.close_request(p_request_id bigint, p_reason text)
returns public.requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.requests := private.lock_visible_request(p_request_id);
begin
  update public.requests set status = 'closed', close_reason = p_reason where id = v_row.id returning * into v_row;
  return v_row;
end;
$$;
comment on function public.close_request(bigint, text) is
  'Closes a request with a reason (nothing more is needed from it). Tester of the cycle report. Errors: PT404 request_not_found; PT403 close_requires_tester; PT400 close_reason_required; PT409 illegal_request_transition, phase_not_in_progress.';

create function public.create_requests(
  p_phase_id bigint,
  p_items jsonb,
  p_assignee_id uuid default null,
  p_due_date date default null,
  p_title text default null,
  p_instructions text default null,
  p_one_request_per_item boolean default false
)
returns setof public.requests
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_item jsonb;
  v_request public.requests;
  v_attribute_id uuid;
  v_sample_id uuid;
  v_name text;
begin
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0 then
    raise exception using errcode = 'PT400', detail = 'no_items_chosen',
      message = 'Choose at least one item to request.';
  end if;
  for v_item in select value from jsonb_array_elements(p_items) loop
    begin
      v_attribute_id := (v_item ->> 'attribute_id')::uuid;
      v_sample_id := (v_item ->> 'sample_id')::uuid;
    exception when invalid_text_representation then
      raise exception using errcode = 'PT400', detail = 'invalid_item_id',
        message = 'Items are given as {"attribute_id": uuid, "sample_id": uuid or null}.';
    end;
    if v_attribute_id is null or jsonb_typeof(v_item) <> 'object' then
      raise exception using errcode = 'PT400', detail = 'invalid_item_id',
        message = 'Items are given as {"attribute_id": uuid, "sample_id": uuid or null}.';
    end if;
    if v_request.id is null or p_one_request_per_item then
      if p_one_request_per_item then
        select a.name into v_name from public.planning_attributes a where a.id = v_attribute_id;
      end if;
      insert into public.requests (phase_id, title, instructions, assignee_id, due_date)
      values (p_phase_id,
              coalesce(nullif(btrim(p_title), '') || case when p_one_request_per_item and v_name is not null then ': ' || v_name else '' end,
                       v_name, 'Request'),
              p_instructions, p_assignee_id, p_due_date)
      returning * into v_request;
      return next v_request;
    end if;
    insert into public.request_items (request_id, attribute_id, sample_id) values (v_request.id, v_attribute_id, v_sample_id);
  end loop;
  return;
end;
$$;
comment on function public.create_requests(bigint, jsonb, uuid, date, text, text, boolean) is
  'Creates draft requests for a selection of items in one call: one request naming every item, or one request per item (titled with the attribute''s name). p_items: [{"attribute_id": uuid, "sample_id": uuid | null}]. Runs as the caller, so the requests'' and items'' rules apply; one refusal creates nothing. Errors: PT400 no_items_chosen, invalid_item_id; and those of the requests and request_items guards.';

revoke execute on function public.send_request(bigint), public.respond_to_request(bigint), public.accept_request(bigint),
  public.return_request(bigint, text), public.close_request(bigint, text),
  public.create_requests(bigint, jsonb, uuid, date, text, text, boolean) from public, anon, service_role;
grant execute on function public.send_request(bigint), public.respond_to_request(bigint), public.accept_request(bigint),
  public.return_request(bigint, text), public.close_request(bigint, text),
  public.create_requests(bigint, jsonb, uuid, date, text, text, boolean) to authenticated;

-- Overdue, counts and the latest activity of each request, for lists. Runs as the caller (RLS applies).
create view public.request_summaries with (security_invoker = true) as
select r.id, r.phase_id, r.cycle_report_id, r.phase_name, r.title, r.assignee_id, r.due_date, r.status,
       private.request_is_overdue(r.status, r.due_date) as is_overdue,
       (select count(*) from public.request_items i where i.request_id = r.id) as item_count,
       (select count(*) from public.request_responses s where s.request_id = r.id) as response_count,
       (select count(*) from public.request_files f where f.request_id = r.id) as file_count,
       r.sent_at, r.responded_at, r.returned_at, r.return_reason, r.return_count, r.accepted_at, r.closed_at,
       r.close_reason, r.updated_at
  from public.requests r;
comment on view public.request_summaries is
  'One row per request the caller can read, with is_overdue (sent or returned after the due date) and its item, response and file counts.';
revoke all on public.request_summaries from anon, authenticated;
grant select on public.request_summaries to authenticated, service_role;
