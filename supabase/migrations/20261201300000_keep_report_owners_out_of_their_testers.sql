-- A report's owner is never among the testers of its cycle reports, whatever the roles say.
--
-- Before: assignments checked only that the assignee had the tester role, and a report's owner only that they
-- had the report owner (or admin) role. An admin could change owner@ to tester and assign them to their own
-- report, or make an assigned tester the report's owner, and the same person then did both sides of the work.
-- Now three checks on identities, not roles, refuse it:
--   - assigning a tester to a cycle report whose report they own (PT409 tester_is_report_owner);
--   - making someone the owner of a report while they are assigned to one of its cycle reports
--     (PT409 owner_is_assigned_tester);
--   - taking the report owner (or admin) role from someone who still owns reports (PT409
--     role_change_orphans_reports): the owner must keep a role that may own them, so they cannot turn into a
--     tester first and be assigned second.

create function private.check_tester_not_report_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.cycle_reports cr join public.reports r on r.id = cr.report_id
              where cr.id = new.cycle_report_id and r.owner_id = new.tester_id) then
    raise exception using errcode = 'PT409', detail = 'tester_is_report_owner',
      message = 'The owner of a report cannot be assigned as a tester of it.',
      hint = 'Assign another tester, or give the report another owner first.';
  end if;
  return new;
end;
$$;
comment on function private.check_tester_not_report_owner() is
  'Trigger on cycle_report_testers: the owner of the cycle report''s report is never one of its testers (PT409 tester_is_report_owner).';

create trigger check_tester_not_report_owner
  before insert or update on public.cycle_report_testers
  for each row execute function private.check_tester_not_report_owner();

create function private.check_owner_not_assigned_tester()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.cycle_reports cr join public.cycle_report_testers t on t.cycle_report_id = cr.id
              where cr.report_id = new.id and t.tester_id = new.owner_id) then
    raise exception using errcode = 'PT409', detail = 'owner_is_assigned_tester',
      message = 'This user is assigned as a tester of the report and cannot own it.',
      hint = 'Unassign them from the report''s cycle reports first.';
  end if;
  return new;
end;
$$;
comment on function private.check_owner_not_assigned_tester() is
  'Trigger on reports: a report''s owner is never assigned as a tester of one of its cycle reports (PT409 owner_is_assigned_tester).';

create trigger check_owner_not_assigned_tester
  before insert or update of owner_id on public.reports
  for each row execute function private.check_owner_not_assigned_tester();

create function private.check_role_change_keeps_reports_owned()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.app_role not in ('report_owner', 'admin') and exists (select 1 from public.reports r where r.owner_id = new.id) then
    raise exception using errcode = 'PT409', detail = 'role_change_orphans_reports',
      message = format('This user owns reports, so they keep a role that may own them (report owner or admin), not %s.', new.app_role),
      hint = 'Give their reports another owner first.';
  end if;
  return new;
end;
$$;
comment on function private.check_role_change_keeps_reports_owned() is
  'Trigger on profiles: someone who owns reports keeps the report owner or admin role (PT409 role_change_orphans_reports), so an owner cannot become a tester of their own reports.';

-- Named to fire after guard_profile_update, so a demotion of the last admin is refused as last_admin, after
-- waiting for a concurrent demotion, before this check.
create trigger keep_reports_owned_on_role_change
  before update of app_role on public.profiles
  for each row when (old.app_role is distinct from new.app_role)
  execute function private.check_role_change_keeps_reports_owned();

revoke execute on function private.check_tester_not_report_owner(), private.check_owner_not_assigned_tester(),
  private.check_role_change_keeps_reports_owned() from public;
