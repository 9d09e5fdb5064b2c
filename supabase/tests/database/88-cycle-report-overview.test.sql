-- The cycle view (decision 032): one row per cycle report with phase progress, open and overdue requests, failed
-- tests and observations by severity and status, read with the caller's rights, so a report owner sees only the
-- cycle reports of their reports, a data provider none, an admin every one.
begin;
select plan(10);

select tests.create_observation_fixture('upload_pgtaptests');
insert into tests.fixture_ids values ('p1', tests.create_user('provider1@test.local', 'data_provider'));
-- Requests as they stand at some point of phase 3: one overdue, one answered, one accepted (final).
set local session_replication_role = replica;
insert into public.requests (phase_id, cycle_report_id, phase_name, title, assignee_id, due_date, status)
values (tests.phase('data_request1'), tests.id('cr1')::bigint, 'data_request', 'Late', tests.id('p1')::uuid, current_date - 3, 'sent'),
       (tests.phase('data_request1'), tests.id('cr1')::bigint, 'data_request', 'Answered', tests.id('p1')::uuid, current_date - 3, 'responded'),
       (tests.phase('data_request1'), tests.id('cr1')::bigint, 'data_request', 'Done', tests.id('p1')::uuid, current_date - 3, 'accepted');
set local session_replication_role = origin;
select tests.run_as('tester1@test.local', format('select id from public.propose_observations(%s)', tests.id('cr1')));

create temporary table seen on commit drop as
select tests.run_as('owner1@test.local', format('select * from public.cycle_report_overview where cycle_report_id = %s', tests.id('cr1'))) -> 0 as row;

select is((select (row ->> 'phases_done', row ->> 'phases_total', row ->> 'current_phase') from seen)::text,
  ('7', '9', 'Observation management')::text, 'phase progress: phases done of all, and the phase in progress');
select is((select (row ->> 'requests_open', row ->> 'requests_overdue') from seen)::text, ('2', '1')::text,
  'open requests (sent, responded, returned) and the overdue ones (awaiting the provider after the due date)');
select is((select (row ->> 'tests_total', row ->> 'tests_passed', row ->> 'tests_failed') from seen)::text,
  ((select count(*) from public.test_cases where version_id = tests.id('tv1')::uuid)::text,
   (select count(*) from public.test_cases where version_id = tests.id('tv1')::uuid and result = 'pass')::text, '2')::text,
  'the approved test execution''s cases: tested, passed, failed');
select is((select row -> 'observations' from seen), '{"medium": {"draft": 1}}'::jsonb, 'observations by severity and status');
select is((select jsonb_array_length(row -> 'testers') > 0 and (row -> 'testers') @> jsonb_build_array(jsonb_build_object('id', tests.id('t1'))) from seen),
  true, 'the assigned testers, to filter by');

select tests.run_as('tester1@test.local', format($$select public.move_observation(%L, 'open', 'Raised')$$,
  (select id from public.observations where cycle_report_id = tests.id('cr1')::bigint)));
select is(tests.run_as('admin@test.local', format('select observations from public.cycle_report_overview where cycle_report_id = %s', tests.id('cr1'))) -> 0 -> 'observations',
  '{"medium": {"open": 1}}'::jsonb, 'a move shows at once');

-- Row-level security decides the rows.
select is(tests.run_as('owner2@test.local', 'select array_agg(cycle_report_id) as ids from public.cycle_report_overview') -> 0 -> 'ids',
  jsonb_build_array(tests.id('cr2')::bigint), 'another owner sees only the cycle reports of their own reports');
select is(tests.run_as('provider1@test.local', 'select count(*) as n from public.cycle_report_overview') -> 0 ->> 'n', '0',
  'a data provider sees none');
select is(tests.run_as('admin@test.local', 'select count(*) as n from public.cycle_report_overview') -> 0 ->> 'n',
  (select count(*) from public.cycle_reports)::text, 'an admin sees every cycle report');
select is(tests.try_as('anon', 'select count(*) from public.cycle_report_overview'), '42501', 'anonymous callers get nothing');

select * from finish();
rollback;
