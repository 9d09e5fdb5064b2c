-- Segregation of duties on item updates, once per statement: the checks read the statement's rows as a set, and
-- who recorded each tester decision is remembered with one insert per statement.
--
-- Before: segregate_item_decisions (before update, per row) and record_tester_decider_on_update (after update, per
-- row, one insert into private.item_tester_deciders each). Now segregate_item_updates (after update, transition
-- tables) finds the rows breaking a rule, in the order the statement changed them: the first refuses the whole
-- statement (PT403 owner_decision_by_item_tester, tester_decision_by_item_owner) unless the caller is an admin, who
-- gets one duty_segregation_overrides row per item and rule, as before; then it records the statement's new tester
-- deciders. It reads item_tester_deciders before recording this statement's, as the row checks (before) did before
-- the row records (after). Inserts keep record_tester_decider_on_insert.
--
-- Redefines private.attach_segregation_of_duties (20261201301000_segregate_decisions_by_person): tables registered later get the statement
-- trigger instead of the two row triggers.

create function private.segregate_item_updates()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
begin
  for r in
    with n as (
      select n.*, row_number() over () as ord from new_items n
    ), breaches as (
      select n.ord, 1 as step, n.id::text as item_id, n.version_id, 'owner_decision_by_item_tester' as rule,
             'You recorded the tester decision on this item, so someone else records the owner decision.' as message
        from n join old_items o on o.id = n.id
       where n.report_owner_decided_by is not null
         and (n.report_owner_decision, n.report_owner_notes) is distinct from (o.report_owner_decision, o.report_owner_notes)
         and (n.report_owner_decided_by = n.tester_decided_by
              or exists (select 1 from private.item_tester_deciders d
                          where d.item_table = tg_relid and d.item_id = n.id::text and d.decider_id = n.report_owner_decided_by))
      union all
      select n.ord, 2, n.id::text, n.version_id, 'tester_decision_by_item_owner',
             'You recorded the owner decision this item carries, so someone else records its tester decision.'
        from n join old_items o on o.id = n.id
       where n.tester_decided_by is not null
         and (n.tester_decision, n.tester_notes) is distinct from (o.tester_decision, o.tester_notes)
         and n.tester_decided_by = n.report_owner_decided_by
    )
    select b.*, v.cycle_report_id
      from breaches b join public.artifact_versions v on v.id = b.version_id
     order by b.ord, b.step
  loop
    -- Refuses at the first breach, or records the admin's override of each.
    perform private.override_or_refuse_duty(r.rule, r.message, r.cycle_report_id, r.version_id, tg_relid, r.item_id);
  end loop;

  insert into private.item_tester_deciders (item_table, item_id, version_id, decider_id)
  select tg_relid, n.id::text, n.version_id, n.tester_decided_by
    from new_items n join old_items o on o.id = n.id
   where n.tester_decided_by is not null and n.tester_decided_by is distinct from o.tester_decided_by
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.segregate_item_updates() is
  'Statement trigger (after update, transition tables old_items and new_items) on every versioned item table: nobody records both the tester and the owner decision on one item (PT403 owner_decision_by_item_tester, tester_decision_by_item_owner), counting every tester decision ever recorded on it; the first breach refuses the whole statement, an admin''s are recorded in duty_segregation_overrides instead. Then remembers the statement''s new tester deciders in item_tester_deciders.';
revoke all on function private.segregate_item_updates() from public;

create or replace function private.attach_segregation_of_duties(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger segregate_item_updates after update on %s
    referencing old table as old_items new table as new_items
    for each statement execute function private.segregate_item_updates()', p_table);
  execute format('create trigger record_tester_decider_on_insert after insert on %s for each row when (new.tester_decided_by is not null) execute function private.record_tester_decider()', p_table);
  execute format('insert into private.item_tester_deciders (item_table, item_id, version_id, decider_id)
    select %L::regclass, t.id::text, t.version_id, t.tester_decided_by from %s t where t.tester_decided_by is not null
    on conflict do nothing', p_table, p_table);
end;
$$;
comment on function private.attach_segregation_of_duties(regclass) is
  'Installs the segregation-of-duties triggers on a versioned item table (segregate_item_updates once per update statement, record_tester_decider_on_insert per inserted row) and records its current tester deciders. Run for every table registered in private.versioned_item_tables.';

do $$
declare
  t regclass;
begin
  for t in select v.table_name from private.versioned_item_tables v loop
    execute format('drop trigger segregate_item_decisions on %s', t);
    execute format('drop trigger record_tester_decider_on_update on %s', t);
    execute format('create trigger segregate_item_updates after update on %s
      referencing old table as old_items new table as new_items
      for each statement execute function private.segregate_item_updates()', t);
  end loop;
end;
$$;

comment on function private.segregate_item_decisions() is
  'No longer attached to any table: private.segregate_item_updates checks segregation of duties once per update statement (20261203301000).';
