-- A thread of comments on each request, between its tester and its assignee; the report's owner reads it.

create table public.request_comments (
  id bigint generated always as identity primary key,
  request_id bigint not null references public.requests (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id),
  author_id uuid references public.profiles (id) on delete set null,
  body text not null check (char_length(btrim(body)) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index request_comments_request_id_idx on public.request_comments (request_id, created_at);
comment on table public.request_comments is
  'The thread of comments on a request: written by the cycle report''s testers and, once it was sent, by its assignee; read by everyone who reads the request. Never changed or removed.';
comment on column public.request_comments.author_id is 'Who wrote the comment (set by the database).';

create function private.guard_request_comment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request public.requests;
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.requests r where r.id = old.request_id) then
    return old; -- a draft request is being deleted
  end if;
  if tg_op <> 'INSERT' then
    raise exception using errcode = 'PT409', detail = 'comment_immutable',
      message = 'A comment is kept as it was written; add another one instead.';
  end if;
  select * into v_request from public.requests r where r.id = new.request_id;
  if not found or not private.can_read_request(v_request.id) then
    raise exception using errcode = 'PT404', detail = 'request_not_found',
      message = 'The request does not exist or is not visible to you.';
  end if;
  if not (private.can_work_on_cycle_report(v_request.cycle_report_id)
          or (v_request.assignee_id = auth.uid() and v_request.status <> 'draft')) then
    raise exception using errcode = 'PT403', detail = 'comment_requires_participant',
      message = 'Comments on a request are written by its testers and its assignee.';
  end if;
  new.cycle_report_id := v_request.cycle_report_id;
  new.author_id := auth.uid();
  new.created_at := now();
  return new;
end;
$$;
comment on function private.guard_request_comment() is
  'Trigger: comments are written by the request''s testers and (once sent) its assignee; never changed or removed, but with their draft request.';
revoke all on function private.guard_request_comment() from public;

create trigger guard_request_comment before insert or update or delete on public.request_comments
  for each row execute function private.guard_request_comment();
create trigger refuse_truncate before truncate on public.request_comments
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.request_comments', '{}');

alter table public.request_comments enable row level security;
create policy "Readers of a request can read its comments" on public.request_comments
  for select to authenticated
  using (request_id in (select private.readable_request_ids()));
create policy "Testers and assignees can comment on their requests" on public.request_comments
  for insert to authenticated
  with check (request_id in (select private.readable_request_ids()));

revoke all on public.request_comments from anon, authenticated;
grant select on public.request_comments to authenticated;
grant insert (request_id, body) on public.request_comments to authenticated;
grant all on public.request_comments to service_role;
