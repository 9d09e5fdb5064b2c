-- The role check of an item added or deleted runs once per statement and cycle report instead of once per row: a
-- draw of 200 samples asked private.can_work_on_cycle_report (five security-definer calls, the profile and the
-- assignment read) 200 times for the same answer, and a redraw 400 times, about half of the time its rows took
-- (bench/sampling). private.check_item_change remembers, in the transaction-local setting
-- regtest.item_change_allowed, the one cycle report and caller it allowed; a before-statement trigger on every item
-- table (forget_item_change_checks) clears it, so an answer never outlives the statement that got it, and a value a
-- client set by hand is gone before the first row is checked. The state check (a draft) still runs per row.
-- Restates private.check_item_change (from 20261201501000_split_versioned_item_guard) and
-- private.attach_item_update_guard.

create function private.forget_item_change_checks()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('regtest.item_change_allowed', '', true);
  return null;
end;
$$;
comment on function private.forget_item_change_checks() is
  'Statement trigger (before insert, update or delete) on every item table: forgets the role check private.check_item_change remembered, so each statement checks its caller afresh.';
revoke all on function private.forget_item_change_checks() from public;

create or replace function private.check_item_change(p_version private.item_version, p_verb text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_key text;
begin
  if p_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Items can only be %s while their version is a draft; this version is %s.', p_verb, p_version.version_status);
  end if;
  v_key := format('%s/%s/%s', p_version.cycle_report_id, auth.uid(), current_user);
  if current_setting('regtest.item_change_allowed', true) = v_key then
    return;
  end if;
  if not private.can_work_on_cycle_report(p_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can change items.';
  end if;
  perform set_config('regtest.item_change_allowed', v_key, true);
end;
$$;
comment on function private.check_item_change(p_version private.item_version, p_verb text) is
  'Item guard: items are added, edited and deleted (p_verb) only in a draft (PT409 version_not_draft), by an assigned tester or an admin (PT403 item_edit_requires_tester). The role check''s answer is remembered for the rest of the statement (regtest.item_change_allowed, cleared before each statement on an item table by forget_item_change_checks).';

create or replace function private.attach_item_update_guard(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger guard_versioned_item_updates after update on %s
    referencing old table as old_items new table as new_items
    for each statement execute function private.guard_versioned_item_updates()', p_table);
  execute format('create trigger forget_item_change_checks before insert or update or delete on %s
    for each statement execute function private.forget_item_change_checks()', p_table);
end;
$$;
comment on function private.attach_item_update_guard(p_table regclass) is
  'Installs the once-per-statement checks of item changes on a versioned item table: private.guard_versioned_item_updates after updates, and private.forget_item_change_checks before every insert, update and delete, so check_item_change''s remembered answer lasts one statement; run for every table registered in private.versioned_item_tables.';

do $$
declare
  v_table regclass;
begin
  for v_table in select t.table_name from private.versioned_item_tables t loop
    execute format('create trigger forget_item_change_checks before insert or update or delete on %s
      for each statement execute function private.forget_item_change_checks()', v_table);
  end loop;
end;
$$;
