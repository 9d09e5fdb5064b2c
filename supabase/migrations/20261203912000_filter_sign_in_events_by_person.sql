-- Admins look up one person's sign-in events: the newest 200 of everyone are soon another day's, so
-- list_sign_in_events takes an optional email (case-insensitive) and returns that person's newest events.
drop function public.list_sign_in_events(integer);

create function public.list_sign_in_events(p_limit integer default 200, p_email text default null)
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
  where p_email is null or lower(s.email) = lower(trim(p_email))
  order by s.occurred_at desc
  limit p_limit;
end;
$$;

comment on function public.list_sign_in_events(integer, text) is
  'The newest sign-in events, newest first, of everyone or of one person (p_email, case-insensitive): signed_in and signed_out (from the auth server''s audit log), sign_in_failed and session_expired (reported by the app), each with who, when and from which address. Admins only. Errors: PT403 sign_in_events_require_admin; PT400 limit_out_of_range.';

revoke all on function public.list_sign_in_events(integer, text) from public, anon, service_role;
grant execute on function public.list_sign_in_events(integer, text) to authenticated;
