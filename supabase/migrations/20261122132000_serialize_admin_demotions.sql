-- The last admin keeps the role, also when two admins are demoted at the same time.
--
-- Before: guard_profile_update counted the other admins without a lock, so two concurrent transactions
-- demoting the last two admins each still saw the other one as an admin, and both committed.
-- Now every demotion of an admin first writes the one row of private.admin_role_lock. The second demotion
-- waits there until the first one's transaction ends; under read committed it then counts the admins anew
-- and sees the first demotion (PT409 last_admin), under repeatable read or serializable its write of the
-- row conflicts with the first one's (40001), so it can never count from a stale snapshot. A write rather
-- than an advisory lock for that reason. Promotions and other profile edits take no lock.

create table private.admin_role_lock (
  id boolean primary key default true check (id),
  changed_at timestamptz not null default now()
);
comment on table private.admin_role_lock is
  'One row, written by every demotion of an admin before the admins are counted, so demotions are serialized (guard_profile_update).';
alter table private.admin_role_lock enable row level security;
revoke all on table private.admin_role_lock from public, anon, authenticated, service_role;
insert into private.admin_role_lock (id) values (true);

create or replace function private.guard_profile_update()
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
    if old.app_role = 'admin' then
      -- One demotion at a time (held until the transaction ends); re-creates the row if someone deleted it.
      insert into private.admin_role_lock as l (id, changed_at) values (true, now())
        on conflict (id) do update set changed_at = excluded.changed_at;
      if not exists (select 1 from public.profiles p where p.app_role = 'admin' and p.id <> old.id) then
        raise exception using errcode = 'PT409', detail = 'last_admin',
          message = 'The last admin cannot lose the admin role.',
          hint = 'Make another user an admin first.';
      end if;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.guard_profile_update() is
  'Trigger: refuses role changes unless the caller is an admin, the service_role or a database operator, and never removes the last admin (PT409 last_admin). Demotions of admins are serialized by a write to private.admin_role_lock before the other admins are counted, so two concurrent demotions of the last two admins cannot both pass: the second waits for the first and counts again (read committed) or fails to serialize (40001).';
