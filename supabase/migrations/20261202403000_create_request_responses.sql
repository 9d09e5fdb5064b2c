-- The assignee's answers to a request: responses (text, about the whole request or one item) and the files
-- attached to them (evidence in Supabase Storage, with a checksum so a later change of the bytes shows). Both
-- are append-only: a returned request is answered by a further response, never by editing the first.

create table public.request_responses (
  id bigint generated always as identity primary key,
  request_id bigint not null references public.requests (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  item_id bigint references public.request_items (id),
  author_id uuid references public.profiles (id) on delete set null,
  body text check (char_length(body) <= 20000),
  round integer not null default 0,
  created_at timestamptz not null default now()
);
create index request_responses_request_id_idx on public.request_responses (request_id, created_at);
comment on table public.request_responses is
  'The assignee''s answers to a request, added while it is sent or returned, about the whole request or one item: a text and the files attached (request_files). Never changed or removed.';
comment on column public.request_responses.item_id is 'The item the response answers, or null for the whole request.';
comment on column public.request_responses.round is 'The request''s return_count when the response was added (set by the database): 0 answers the request as sent, 1 its first return, and so on.';
comment on column public.request_responses.author_id is 'Who responded (set by the database): the assignee.';

create function private.evidence_file_error(p_size_bytes bigint, p_content_type text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_size_bytes is null or p_size_bytes < 0 then 'file_size_invalid'
    when p_size_bytes > 26214400 then 'file_too_large'
    when p_content_type is null or p_content_type not in (
      'text/csv', 'application/pdf', 'text/plain', 'application/json', 'image/png', 'image/jpeg',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document') then 'file_type_not_allowed'
  end
$$;
comment on function private.evidence_file_error(bigint, text) is
  'Why an evidence file is refused (file_size_invalid, file_too_large: over 25 MiB, file_type_not_allowed: not CSV, PDF, text, JSON, PNG, JPEG, Excel or Word), or null. The evidence bucket carries the same limits.';
revoke all on function private.evidence_file_error(bigint, text) from public;

create function private.guard_request_response()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request public.requests;
begin
  if tg_op <> 'INSERT' then
    raise exception using errcode = 'PT409', detail = 'response_immutable',
      message = 'A response and its files are kept as they were given; add another response instead.';
  end if;
  select * into v_request from public.requests r where r.id = new.request_id;
  if not found or not private.can_read_request(v_request.id) then
    raise exception using errcode = 'PT404', detail = 'request_not_found',
      message = 'The request does not exist or is not visible to you.';
  end if;
  if v_request.assignee_id is distinct from auth.uid() then
    raise exception using errcode = 'PT403', detail = 'respond_requires_assignee',
      message = 'Only the data provider the request is assigned to can respond to it.';
  end if;
  if v_request.status not in ('sent', 'returned') then
    raise exception using errcode = 'PT409', detail = 'request_not_awaiting_response',
      message = format('The request is %s: it awaits no response.', v_request.status);
  end if;
  if new.item_id is not null
     and not exists (select 1 from public.request_items i where i.id = new.item_id and i.request_id = new.request_id) then
    raise exception using errcode = 'PT400', detail = 'item_not_in_request',
      message = 'A response answers an item of its own request.';
  end if;
  new.cycle_report_id := v_request.cycle_report_id;
  new.round := v_request.return_count;
  new.author_id := auth.uid();
  new.created_at := now();
  return new;
end;
$$;
comment on function private.guard_request_response() is
  'Trigger: responses are added by the request''s assignee while it is sent or returned, about an item of that request or the whole of it; they never change and are never removed.';
revoke all on function private.guard_request_response() from public;

create trigger guard_request_response before insert or update or delete on public.request_responses
  for each row execute function private.guard_request_response();
create trigger refuse_truncate before truncate on public.request_responses
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.request_responses', '{}');

alter table public.request_responses enable row level security;
create policy "Readers of a request can read its responses" on public.request_responses
  for select to authenticated
  using (request_id in (select private.readable_request_ids()));
create policy "Assignees can respond to the requests sent to them" on public.request_responses
  for insert to authenticated
  with check (request_id in (select private.readable_request_ids()));

revoke all on public.request_responses from anon, authenticated;
grant select on public.request_responses to authenticated;
grant insert (request_id, item_id, body) on public.request_responses to authenticated;
grant all on public.request_responses to service_role;

-- Files ------------------------------------------------------------------------------------------------------
create table public.request_files (
  id uuid primary key default extensions.gen_random_uuid(),
  response_id bigint not null references public.request_responses (id),
  request_id bigint not null references public.requests (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  bucket_id text not null default 'evidence' check (bucket_id = 'evidence'),
  object_path text not null unique,
  file_name text not null check (char_length(file_name) between 1 and 255),
  content_type text not null,
  size_bytes bigint not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid references public.profiles (id) on delete set null,
  uploaded_at timestamptz not null default now()
);
create index request_files_request_id_idx on public.request_files (request_id);
create index request_files_response_id_idx on public.request_files (response_id);
comment on table public.request_files is
  'Evidence files attached to a response, stored in the private evidence bucket under <cycle report id>/<request id>/<name>: name, type, size and the SHA-256 of the bytes, recorded when the file is uploaded so a later change of the stored object shows when it is checked. Never changed or removed.';
comment on column public.request_files.object_path is 'The object''s name in the evidence bucket: <cycle report id>/<request id>/<file id or name>, no other folders.';
comment on column public.request_files.sha256 is 'Hex SHA-256 of the file''s bytes as uploaded; a download is checked against it.';

create function private.guard_request_file()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_response public.request_responses;
  v_error text;
begin
  if tg_op <> 'INSERT' then
    raise exception using errcode = 'PT409', detail = 'response_immutable',
      message = 'A response and its files are kept as they were given; add another response instead.';
  end if;
  select * into v_response from public.request_responses s where s.id = new.response_id;
  if not found or not private.can_read_request(v_response.request_id) then
    raise exception using errcode = 'PT404', detail = 'response_not_found',
      message = 'The response does not exist or is not visible to you.';
  end if;
  if v_response.author_id is distinct from auth.uid() then
    raise exception using errcode = 'PT403', detail = 'respond_requires_assignee',
      message = 'Files are attached by the data provider who wrote the response.';
  end if;
  if not exists (select 1 from public.requests r where r.id = v_response.request_id and r.status in ('sent', 'returned')) then
    raise exception using errcode = 'PT409', detail = 'request_not_awaiting_response',
      message = 'Files are attached while the request awaits a response.';
  end if;
  new.request_id := v_response.request_id;
  new.cycle_report_id := v_response.cycle_report_id;
  if new.object_path is null
     or new.object_path !~ ('^' || new.cycle_report_id || '/' || new.request_id || '/[A-Za-z0-9][A-Za-z0-9._-]{0,199}$')
     or new.object_path ~ '\.\.' then
    raise exception using errcode = 'PT400', detail = 'invalid_object_path',
      message = format('An evidence file of this request is stored under %s/%s/<name>, the name of letters, digits, dots, dashes and underscores.',
        new.cycle_report_id, new.request_id);
  end if;
  v_error := private.evidence_file_error(new.size_bytes, new.content_type);
  if v_error is not null then
    raise exception using errcode = 'PT400', detail = v_error,
      message = case v_error when 'file_too_large' then 'An evidence file is at most 25 MiB.'
                             when 'file_type_not_allowed' then 'Evidence files are CSV, PDF, text, JSON, PNG, JPEG, Excel or Word files.'
                             else 'The file''s size is not valid.' end;
  end if;
  new.sha256 := lower(new.sha256);
  new.uploaded_by := auth.uid();
  new.uploaded_at := now();
  return new;
end;
$$;
comment on function private.guard_request_file() is
  'Trigger: files are attached by the response''s author while the request awaits a response, under the request''s own folder of the evidence bucket, within the size and type limits; they never change and are never removed.';
revoke all on function private.guard_request_file() from public;

create trigger guard_request_file before insert or update or delete on public.request_files
  for each row execute function private.guard_request_file();
create trigger refuse_truncate before truncate on public.request_files
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.request_files', '{}');

alter table public.request_files enable row level security;
create policy "Readers of a request can read its files" on public.request_files
  for select to authenticated
  using (request_id in (select private.readable_request_ids()));
create policy "Assignees can attach files to their responses" on public.request_files
  for insert to authenticated
  with check (request_id in (select private.readable_request_ids()));

revoke all on public.request_files from anon, authenticated;
grant select on public.request_files to authenticated;
grant insert (response_id, object_path, file_name, content_type, size_bytes, sha256) on public.request_files to authenticated;
grant all on public.request_files to service_role;
