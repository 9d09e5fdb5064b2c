-- The testing methodology (activities of each phase, auto-approval rules, the scoping policy) is read by the
-- testing team only; a data provider reads none of it, but still the phase definitions their requests name.
begin;
select plan(8);

select tests.create_user('provider90@test.local', 'data_provider');
select tests.create_user('tester90@test.local', 'tester');
select tests.create_user('owner90@test.local', 'report_owner');

select is(tests.try_as('provider90@test.local', 'select count(*) from public.activity_definitions'),
  'rows 0', 'a data provider reads no activity definition');
select is(tests.try_as('provider90@test.local', 'select count(*) from public.planning_auto_approval_rules'),
  'rows 0', 'nor the auto-approval rules');
select is(tests.try_as('provider90@test.local', 'select count(*) from public.scoping_policy'),
  'rows 0', 'nor the scoping policy');
select isnt(tests.try_as('provider90@test.local', 'select count(*) from public.phase_definitions'),
  'rows 0', 'but reads the phase definitions their requests name');

select isnt(tests.try_as('tester90@test.local', 'select count(*) from public.activity_definitions'),
  'rows 0', 'a tester reads the activity definitions');
select isnt(tests.try_as('tester90@test.local', 'select count(*) from public.scoping_policy'),
  'rows 0', 'and the scoping policy');
select isnt(tests.try_as('owner90@test.local', 'select count(*) from public.planning_auto_approval_rules'),
  'rows 0', 'a report owner reads the auto-approval rules');
select isnt(tests.try_as('owner90@test.local', 'select count(*) from public.scoping_policy'),
  'rows 0', 'and the scoping policy');

select * from finish();
rollback;
