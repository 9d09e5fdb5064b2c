-- Sign-in events for admins: what the auth server records (sign-ins and sign-outs in auth.audit_log_entries)
-- and what only the app sees (failed sign-ins, sessions that ended by their limits), in one list.

create table private.auth_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  event text not null check (event in ('sign_in_failed', 'session_expired')),
  email text check (char_length(email) <= 320),
  user_id uuid references auth.users (id) on delete set null,
  ip_address inet
);
create index auth_events_occurred_at_idx on private.auth_events (occurred_at desc);
comment on table private.auth_events is
  'Sign-in events the auth server does not keep in auth.audit_log_entries, as the app reports them: failed sign-ins (the email that was tried) and sessions that ended by their idle or absolute limit. Read through list_sign_in_events.';
comment on column private.auth_events.user_id is 'The account with this email, when there is one.';
comment on column private.auth_events.ip_address is 'The browser''s address as the app server saw it.';
alter table private.auth_events enable row level security;
revoke all on private.auth_events from public, anon, authenticated;

create function public.record_auth_event(p_event text, p_email text, p_ip_address text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_email text := nullif(lower(trim(p_email)), '');
  v_ip inet;
begin
  -- Anyone may report these two events, which anyone can cause anyway (a wrong password, an old session);
  -- nobody can report a sign-in or a sign-out, which only the auth server records.
  if p_event is null or p_event not in ('sign_in_failed', 'session_expired') then
    raise exception using errcode = 'PT400', detail = 'auth_event_unknown',
      message = 'Only failed sign-ins and ended sessions can be reported.',
      hint = 'Use sign_in_failed or session_expired.';
  end if;
  if char_length(v_email) > 320 then
    raise exception using errcode = 'PT400', detail = 'auth_event_email_too_long',
      message = 'An email address has at most 320 characters.';
  end if;
  begin
    v_ip := nullif(trim(p_ip_address), '')::inet;
  exception when invalid_text_representation then
    raise exception using errcode = 'PT400', detail = 'auth_event_address_invalid',
      message = 'The address is not an IPv4 or IPv6 address.';
  end;
  insert into private.auth_events (event, email, user_id, ip_address)
  values (p_event, v_email, (select u.id from auth.users u where u.email = v_email limit 1), v_ip);
end;
$$;
comment on function public.record_auth_event(text, text, text) is
  'Records a failed sign-in or an ended session, as the app server saw it (email tried, browser address). anon and authenticated. Errors: PT400 auth_event_unknown, auth_event_email_too_long, auth_event_address_invalid.';
revoke execute on function public.record_auth_event(text, text, text) from public, service_role;
grant execute on function public.record_auth_event(text, text, text) to anon, authenticated;

create function public.list_sign_in_events(p_limit integer default 200)
returns table (occurred_at timestamptz, event text, email text, user_id uuid, ip_address text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception using errcode = 'PT403', detail = 'sign_in_events_require_admin',
      message = 'Only admins can read sign-in events.';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    raise exception using errcode = 'PT400', detail = 'limit_out_of_range',
      message = 'The limit is from 1 to 1000 events.';
  end if;
  return query
  select s.occurred_at, s.event, s.email, s.user_id, s.ip_address
  from (
    select e.created_at as occurred_at,
           case e.payload ->> 'action' when 'login' then 'signed_in' else 'signed_out' end as event,
           nullif(e.payload ->> 'actor_username', '') as email,
           case when (e.payload ->> 'actor_id') ~* '^[0-9a-f-]{36}$' then (e.payload ->> 'actor_id')::uuid end as user_id,
           nullif(e.ip_address, '')::text as ip_address
    from auth.audit_log_entries e
    where e.payload ->> 'action' in ('login', 'logout')
    union all
    select a.occurred_at, a.event, a.email, a.user_id, host(a.ip_address)
    from private.auth_events a
  ) s
  order by s.occurred_at desc
  limit p_limit;
end;
$$;
comment on function public.list_sign_in_events(integer) is
  'The newest sign-in events, newest first: signed_in and signed_out (from the auth server''s audit log), sign_in_failed and session_expired (reported by the app), each with who, when and from which address. Admins only. Errors: PT403 sign_in_events_require_admin; PT400 limit_out_of_range.';
revoke execute on function public.list_sign_in_events(integer) from public, anon, service_role;
grant execute on function public.list_sign_in_events(integer) to authenticated;
