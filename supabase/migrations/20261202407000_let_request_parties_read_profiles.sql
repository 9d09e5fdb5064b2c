-- Who testers and data providers may see of each other: testers (and admins) read the data providers' profiles
-- to assign requests; a request's readers read the profiles of the people it involves (its assignee, who
-- created, sent, accepted, returned or closed it, who responded or commented).

create function private.request_party_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id from public.profiles p
   where p.app_role = 'data_provider' and private.current_app_role() in ('tester', 'admin')
  union
  select x.id from public.requests r
   cross join lateral (values (r.assignee_id), (r.created_by), (r.sent_by), (r.accepted_by), (r.returned_by),
                              (r.closed_by), (r.responded_by)) x (id)
   where r.id in (select private.readable_request_ids()) and x.id is not null
  union
  select c.author_id from public.request_comments c
   where c.request_id in (select private.readable_request_ids()) and c.author_id is not null
$$;
comment on function private.request_party_ids() is
  'Profiles the signed-in user may read because of requests: every data provider for testers and admins (to assign them), and the people each readable request involves.';
revoke all on function private.request_party_ids() from public;
grant execute on function private.request_party_ids() to authenticated, service_role;

create policy "Request parties can read each other's profiles" on public.profiles
  for select to authenticated
  using (id in (select private.request_party_ids()));
