-- Segregation of duties by person, whatever the roles say: a report's owner is never among its testers, nobody
-- records both decisions on an item, the approver made no tester decision in the version; admins may, and each
-- time they do it is recorded in duty_segregation_overrides.
begin;
select plan(27);

select tests.create_profiling_fixture('upload_pgtapsod');
select tests.create_item_table('sod_items', 'data_profiling');
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set t3 '''tester3@test.local'''
\set o3 '''owner3@test.local'''
\set admin '''admin@test.local'''
insert into tests.fixture_ids values ('t3', tests.create_user('tester3@test.local', 'tester')),
  ('o3', tests.create_user('owner3@test.local', 'report_owner'));
update public.reports set owner_id = tests.id('o3')::uuid where id = tests.id('report_a')::bigint;
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t3')::uuid);

-- roles and assignments ---------------------------------------------------------------------------------------------
select is(tests.try_as(:admin, format($$update public.profiles set app_role = 'tester' where id = %L$$, tests.id('o3'))),
  'PT409 role_change_orphans_reports', 'an owner of reports cannot be made a tester');
select is(tests.try_as(:admin, format($$update public.profiles set app_role = 'admin' where id = %L$$, tests.id('o3'))),
  'rows 1', 'an owner of reports may become an admin');
update public.profiles set app_role = 'report_owner' where id = tests.id('t1')::uuid;
select is(tests.try_as(:admin, format($$update public.reports set owner_id = %L where id = %s$$, tests.id('t1'), tests.id('report_a'))),
  'PT409 owner_is_assigned_tester', 'a tester assigned to a report''s cycle report cannot become its owner, whatever their role');
select is(tests.try_as(:admin, format($$update public.reports set owner_id = %L where id = %s$$, tests.id('t1'), tests.id('report_c'))),
  'rows 1', 'they may own a report they do not test');
update public.profiles set app_role = 'tester' where id = tests.id('t1')::uuid;
-- Data from before the rule: an owner who has the tester role.
alter table public.profiles disable trigger keep_reports_owned_on_role_change;
update public.profiles set app_role = 'tester' where id = tests.id('o3')::uuid;
alter table public.profiles enable trigger keep_reports_owned_on_role_change;
select is(tests.try_as(:admin, format($$insert into public.cycle_report_testers (cycle_report_id, tester_id) values (%s, %L)$$, tests.id('cr1'), tests.id('o3'))),
  'PT409 tester_is_report_owner', 'a report''s owner cannot be assigned as its tester, whatever their role');
select is(tests.try_as(:admin, format($$insert into public.cycle_report_testers (cycle_report_id, tester_id) values (%s, %L)$$, tests.id('cr2'), tests.id('o3'))),
  'rows 1', 'they may test a report they do not own');
update public.profiles set app_role = 'report_owner' where id = tests.id('o3')::uuid;

-- one item, two decisions, two people --------------------------------------------------------------------------------
insert into tests.fixture_ids
select 'dv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.sod_items (version_id, name, tester_decision) values
  (%1$L, 'a', 'approved'), (%1$L, 'b', 'approved'), (%1$L, 'c', 'approved')$$, tests.id('dv1')));
select tests.run_as(:t3, format($$insert into tests.sod_items (version_id, name, tester_decision) values (%L, 'd', 'approved')$$, tests.id('dv1')));
select tests.run_as(:t3, format($$update tests.sod_items set tester_decision = 'rejected' where version_id = %L and name = 'c'$$, tests.id('dv1')));
select is((select tester_decided_by from tests.sod_items where version_id = tests.id('dv1')::uuid and name = 'c'), tests.id('t3')::uuid,
  'tester3 now holds the tester decision on c');
select tests.run_as(:t3, format('select public.submit_version(%L)', tests.id('dv1')));
-- tester1 leaves the cycle report, becomes a report owner and the owner of report A.
delete from public.cycle_report_testers where tester_id = tests.id('t1')::uuid;
update public.profiles set app_role = 'report_owner' where id = tests.id('t1')::uuid;
update public.reports set owner_id = tests.id('t1')::uuid where id = tests.id('report_a')::bigint;
select is(tests.try_as(:t1, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'a'$$, tests.id('dv1'))),
  'PT403 owner_decision_by_item_tester', 'the tester of an item cannot record its owner decision after a role change');
select is(tests.try_as(:t1, format($$update tests.sod_items set report_owner_notes = 'fine' where version_id = %L and name = 'a'$$, tests.id('dv1'))),
  'PT403 owner_decision_by_item_tester', 'nor an owner''s note');
select is(tests.try_as(:t1, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'c'$$, tests.id('dv1'))),
  'PT403 owner_decision_by_item_tester', 'also when someone else has since replaced their tester decision');
select is(tests.try_as(:t1, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'd'$$, tests.id('dv1'))),
  'rows 1', 'they record the owner decision on an item someone else decided');
select tests.run_as(:t1, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'd'$$, tests.id('dv1')));
select tests.run_as(:admin, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name <> 'd'$$, tests.id('dv1')));
select is(tests.try_as(:t1, format('select public.approve_version(%L)', tests.id('dv1'))),
  'PT403 approver_made_tester_decisions', 'nobody approves a version in which they recorded tester decisions');
select is(tests.try_as(:admin, format('select (public.approve_version(%L)).version_status', tests.id('dv1'))),
  'rows 1', 'someone who did not test it approves');
select tests.run_as(:admin, format('select public.approve_version(%L)', tests.id('dv1')));
select is((select count(*)::int from public.duty_segregation_overrides), 0, 'nobody overrode anything so far');

-- admins may do both sides, and it is recorded -------------------------------------------------------------------------
insert into tests.fixture_ids
select 'dv2', tests.run_as(:t3, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as(:admin, format($$update tests.sod_items set tester_decision = 'approved' where version_id = %L and name = 'a'$$, tests.id('dv2')));
select tests.run_as(:t3, format($$update tests.sod_items set tester_decision = 'approved' where version_id = %L and name <> 'a'$$, tests.id('dv2')));
select tests.run_as(:t3, format('select public.submit_version(%L)', tests.id('dv2')));
select is(tests.try_as(:admin, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'a'$$, tests.id('dv2'))),
  'rows 1', 'an admin may record both decisions on an item…');
select tests.run_as(:admin, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name = 'a'$$, tests.id('dv2')));
select tests.run_as(:t1, format($$update tests.sod_items set report_owner_decision = 'approved' where version_id = %L and name <> 'a'$$, tests.id('dv2')));
select is(tests.try_as(:admin, format('select (public.approve_version(%L)).version_status', tests.id('dv2'))),
  'rows 1', '…and approve a version they tested…');
select tests.run_as(:admin, format('select public.approve_version(%L)', tests.id('dv2')));
select results_eq(
  $$select rule, actor_id, version_id, item_table, item_id is not null from public.duty_segregation_overrides order by id$$,
  format($$values ('owner_decision_by_item_tester', %1$L::uuid, %2$L::uuid, 'tests.sod_items', true),
                  ('approver_made_tester_decisions', %1$L::uuid, %2$L::uuid, null, false)$$, tests.id('admin'), tests.id('dv2')),
  '…and each override is recorded, with who, where and which rule');
select is(tests.try_as(:t3, 'select count(*) from public.duty_segregation_overrides'), 'rows 2', 'the cycle report''s tester reads the overrides');
select is(tests.try_as(:t2, 'select count(*) from public.duty_segregation_overrides'), 'rows 0', 'a tester of another cycle report does not');
select is(tests.try_as('postgres', 'delete from public.duty_segregation_overrides'), 'PT403 duty_overrides_immutable', 'the record is append-only');
select is(tests.try_as(:admin, 'insert into public.duty_segregation_overrides (actor_id, rule, cycle_report_id) select id, ''x'', 1 from public.profiles limit 1'),
  '42501', 'nobody writes the record through the API');

-- a carried owner decision and the tester who made it -------------------------------------------------------------
update public.phase_definitions set carry_forward_approved = true where name = 'data_profiling';
insert into tests.fixture_ids
select 'dv3', tests.run_as(:t3, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select is((select count(*)::int from tests.sod_items where version_id = tests.id('dv3')::uuid and report_owner_decided_by = tests.id('t1')::uuid), 3,
  'tester1''s owner decisions are carried into the new draft');
-- tester1 hands report A back, becomes a tester again and is assigned.
update public.reports set owner_id = tests.id('o3')::uuid where id = tests.id('report_a')::bigint;
update public.profiles set app_role = 'tester' where id = tests.id('t1')::uuid;
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t1')::uuid);
select is(tests.try_as(:t1, format($$update tests.sod_items set tester_notes = 'checked' where version_id = %L and name = 'b'$$, tests.id('dv3'))),
  'PT403 tester_decision_by_item_owner', 'the owner of a carried decision cannot record its tester decision');
select is(tests.try_as(:t1, format($$update tests.sod_items set tester_decision = 'rejected' where version_id = %L and name = 'b'$$, tests.id('dv3'))),
  'rows 1', 'a changed tester decision clears the carried owner decision, so they may');
select is(tests.try_as(:t3, format($$update tests.sod_items set tester_notes = 'checked' where version_id = %L and name = 'b'$$, tests.id('dv3'))),
  'rows 1', 'someone else may');
select is(tests.try_as(:admin, format($$update tests.sod_items set tester_notes = 'checked' where version_id = %L and name = 'a'$$, tests.id('dv3'))),
  'rows 1', 'an admin may, on an item carrying their own owner decision…');
select tests.run_as(:admin, format($$update tests.sod_items set tester_notes = 'checked' where version_id = %L and name = 'a'$$, tests.id('dv3')));
select is((select rule from public.duty_segregation_overrides order by id desc limit 1), 'tester_decision_by_item_owner', '…recorded as an override');

select * from finish();
rollback;
