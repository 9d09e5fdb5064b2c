-- Profiles: the application's data about each auth.users row (name, email, application role).

create type public.app_role as enum ('admin', 'tester', 'report_owner');
comment on type public.app_role is 'Application role: admin (everything), tester (works on assigned cycle reports), report_owner (reviews and approves the work on their reports).';

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  full_name text,
  app_role public.app_role not null default 'tester',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'One row per user (created by a trigger on auth.users). app_role decides what the user may do; only admins change it.';
comment on column public.profiles.id is 'The user''s id in auth.users.';
comment on column public.profiles.email is 'Copied from auth.users on sign-up and on email change.';
comment on column public.profiles.app_role is 'admin | tester | report_owner. New users are testers; only admins (or a database operator) change roles.';

create index profiles_app_role_idx on public.profiles (app_role);

-- Who is acting (need profiles) -------------------------------------------------------------------------
create function private.current_app_role()
returns public.app_role
language sql
stable
security definer
set search_path = ''
as $$
  select p.app_role from public.profiles p where p.id = auth.uid()
$$;
comment on function private.current_app_role() is
  'The application role of the signed-in user (auth.uid()), or null without a profile.';

create function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select p.app_role = 'admin' from public.profiles p where p.id = auth.uid()), false)
$$;
comment on function private.is_admin() is 'True when the signed-in user''s profile has app_role admin.';

create function private.is_privileged()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_admin() or private.is_service() or private.is_operator()
$$;
comment on function private.is_privileged() is
  'True for an admin user, the service_role or a database operator: actors exempt from role and assignment rules (never from state rules).';

-- Profile per new user ---------------------------------------------------------------------------------
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (
    new.id,
    coalesce(new.email, ''),
    nullif(coalesce(new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'name'), '')
  )
  on conflict (id) do nothing;
  return new;
end;
$$;
comment on function private.handle_new_user() is
  'Trigger on auth.users: creates the profile (role tester) of every new user. User metadata never sets the role.';

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

create function private.handle_user_email_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.profiles set email = coalesce(new.email, '') where id = new.id;
  return new;
end;
$$;
comment on function private.handle_user_email_change() is 'Trigger on auth.users: keeps profiles.email in step.';

create trigger on_auth_user_email_changed
  after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function private.handle_user_email_change();

-- Only admins change roles ------------------------------------------------------------------------------
create function private.guard_profile_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.id is distinct from old.id then
    raise exception using errcode = 'PT409', detail = 'profile_id_immutable',
      message = 'A profile''s id cannot change.';
  end if;
  if new.email is distinct from old.email and pg_trigger_depth() = 1 and not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'profile_email_managed_by_auth',
      message = 'The email of a profile follows the sign-in email and cannot be edited here.';
  end if;
  if new.app_role is distinct from old.app_role then
    if not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'role_change_requires_admin',
        message = 'Only an admin can change a user''s role.',
        hint = 'Ask an admin to change the role.';
    end if;
    if old.app_role = 'admin'
       and not exists (select 1 from public.profiles p where p.app_role = 'admin' and p.id <> old.id) then
      raise exception using errcode = 'PT409', detail = 'last_admin',
        message = 'The last admin cannot lose the admin role.',
        hint = 'Make another user an admin first.';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.guard_profile_update() is
  'Trigger: refuses role changes unless the caller is an admin, the service_role or a database operator, and never removes the last admin.';

create trigger guard_profile_update
  before update on public.profiles
  for each row execute function private.guard_profile_update();

create trigger touch_updated_at
  before update on public.profiles
  for each row execute function private.touch_updated_at();

-- RLS ---------------------------------------------------------------------------------------------------
alter table public.profiles enable row level security;
revoke all on table public.profiles from anon, authenticated;
grant select on table public.profiles to authenticated;
grant update (full_name, app_role) on table public.profiles to authenticated;

-- The select policy is widened to teammates once cycle reports exist (20261122005000).
create policy "Users can read their own profile and admins all profiles"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or (select private.is_admin()));

create policy "Users can update their own profile and admins any profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()) or (select private.is_admin()))
  with check (id = (select auth.uid()) or (select private.is_admin()));

grant execute on function private.is_admin(), private.current_app_role(), private.is_privileged()
  to authenticated, service_role;
