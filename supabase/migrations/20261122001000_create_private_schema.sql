-- The private schema: helpers, trigger functions and internals that the REST API never exposes.
-- Functions are not executable by PUBLIC by default. Supabase's default grants still make new functions in
-- public executable by anon, authenticated and service_role, so every migration revokes those on each function
-- it creates in public and grants it to exactly the roles that call it (a pgTAP test checks the whole list).

create schema if not exists private;
comment on schema private is
  'Internals of the workflow engine (helpers used by policies, trigger functions). Not exposed by the REST API.';
revoke all on schema private from public;
-- Policies call helpers in this schema as the querying role, so the API roles need usage (not create).
grant usage on schema private to authenticated, service_role;

alter default privileges for role postgres revoke execute on functions from public;

-- updated_at ---------------------------------------------------------------------------------------
create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_updated_at() is
  'Trigger: sets updated_at to the transaction time on every update.';

-- Who is acting ------------------------------------------------------------------------------------
create function private.is_operator()
returns boolean
language sql
stable
set search_path = ''
as $$
  -- No JWT at all, not switched to an API role, not connected through the API's login role:
  -- a database operator (postgres in Studio or psql, migrations, the seed).
  select auth.uid() is null
    and coalesce(nullif(auth.role(), ''), 'none') not in ('anon', 'authenticated', 'service_role')
    and current_setting('role') not in ('anon', 'authenticated', 'service_role')
    and session_user::text not in ('authenticator', 'anon', 'authenticated', 'service_role')
$$;
comment on function private.is_operator() is
  'True for a database operator (postgres in Studio or psql, migrations, seed): no JWT and not an API role.';

create function private.is_service()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.role(), '') = 'service_role' or current_setting('role') = 'service_role'
$$;
comment on function private.is_service() is
  'True when the caller is the service_role (edge functions), which acts for the system.';

revoke execute on function private.touch_updated_at(), private.is_operator(), private.is_service() from public;
grant execute on function private.is_operator(), private.is_service() to authenticated, service_role;
