-- The last admin also stays when a user is deleted.
--
-- Before: guard_profile_update kept the last admin from being demoted, but deleting that admin's login
-- (auth.users, in Studio or through the Auth admin API) cascaded to the profile and left no admin, so no one
-- could change roles any more. Now deleting an admin's profile takes the same admin-role lock as a demotion
-- and is refused (PT409 last_admin) when no other admin remains; the cascade makes the login's deletion fail
-- with it, so the login stays too.

create function private.guard_profile_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.app_role = 'admin' then
    -- Serialized with demotions and other deletions of admins (see guard_profile_update).
    insert into private.admin_role_lock as l (id, changed_at) values (true, now())
      on conflict (id) do update set changed_at = excluded.changed_at;
    if not exists (select 1 from public.profiles p where p.app_role = 'admin' and p.id <> old.id) then
      raise exception using errcode = 'PT409', detail = 'last_admin',
        message = 'The last admin cannot be deleted.',
        hint = 'Make another user an admin first.';
    end if;
  end if;
  return old;
end;
$$;
comment on function private.guard_profile_delete() is
  'Trigger: refuses to delete the profile of the last admin (PT409 last_admin), also when the deletion cascades from auth.users. Takes private.admin_role_lock first, like demotions, so concurrent deletions and demotions cannot remove the last two admins together.';

create trigger profiles_keep_last_admin
before delete on public.profiles
for each row execute function private.guard_profile_delete();
