-- The profile guard in small named parts.
--
-- private.guard_profile_update (restated whole once so far) is now a short trigger over two named parts:
-- what a profile's own columns allow (check_profile_identity) and who may change a role, never leaving
-- the workflow without an admin (check_role_change). Behaviour, refusals and their order are unchanged.

create function private.check_profile_identity(p_old public.profiles, p_new public.profiles)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_new.id is distinct from p_old.id then
    raise exception using errcode = 'PT409', detail = 'profile_id_immutable',
      message = 'A profile''s id cannot change.';
  end if;
  -- The email follows auth.users (handle_user_email_change runs at trigger depth 2).
  if p_new.email is distinct from p_old.email and pg_catalog.pg_trigger_depth() = 1 and not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'profile_email_managed_by_auth',
      message = 'The email of a profile follows the sign-in email and cannot be edited here.';
  end if;
end;
$$;
comment on function private.check_profile_identity(public.profiles, public.profiles) is
  'Profile guard: a profile''s id never changes (PT409 profile_id_immutable); its email follows the sign-in email (PT403 profile_email_managed_by_auth, except for admins, the service role and operators).';

create function private.check_role_change(p_old public.profiles, p_new public.profiles)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_new.app_role is not distinct from p_old.app_role then
    return;
  end if;
  if not private.is_privileged() then
    raise exception using errcode = 'PT403', detail = 'role_change_requires_admin',
      message = 'Only an admin can change a user''s role.',
      hint = 'Ask an admin to change the role.';
  end if;
  if p_old.app_role = 'admin' then
    -- One demotion at a time (held until the transaction ends); re-creates the row if someone deleted it.
    insert into private.admin_role_lock as l (id, changed_at) values (true, now())
      on conflict (id) do update set changed_at = excluded.changed_at;
    if not exists (select 1 from public.profiles p where p.app_role = 'admin' and p.id <> p_old.id) then
      raise exception using errcode = 'PT409', detail = 'last_admin',
        message = 'The last admin cannot lose the admin role.',
        hint = 'Make another user an admin first.';
    end if;
  end if;
end;
$$;
comment on function private.check_role_change(public.profiles, public.profiles) is
  'Profile guard: only an admin, the service role or an operator changes a role (PT403 role_change_requires_admin); the last admin keeps the role (PT409 last_admin), demotions serialized by a write to private.admin_role_lock before the other admins are counted.';

create or replace function private.guard_profile_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.check_profile_identity(old, new);
  perform private.check_role_change(old, new);
  return new;
end;
$$;
comment on function private.guard_profile_update() is
  'Trigger: refuses role changes unless the caller is an admin, the service_role or a database operator, and never removes the last admin (PT409 last_admin). Demotions of admins are serialized by a write to private.admin_role_lock before the other admins are counted, so two concurrent demotions of the last two admins cannot both pass: the second waits for the first and counts again (read committed) or fails to serialize (40001). The parts: check_profile_identity, check_role_change.';

revoke execute on function private.check_profile_identity(public.profiles, public.profiles) from public;
revoke execute on function private.check_role_change(public.profiles, public.profiles) from public;
