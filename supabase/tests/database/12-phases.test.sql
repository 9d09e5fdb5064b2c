-- Phase ordering, activities and approval gates.
begin;
select plan(44);

select tests.create_fixture();
select tests.create_item_table('planning_items', 'planning');

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

-- the phase definitions ----------------------------------------------------------------------------------
select results_eq(
  'select name, phase_order, depends_on, has_artifact, owner_item_review from public.phase_definitions order by phase_order',
  $$values ('planning', 1, '{}'::text[], true, false), ('scoping', 2, '{planning}', true, true),
           ('data_request', 3, '{scoping}', false, false), ('data_profiling', 4, '{data_request}', true, true),
           ('sample_selection', 5, '{data_profiling}', true, true), ('request_info', 6, '{sample_selection}', false, false),
           ('test_execution', 7, '{request_info}', true, false), ('observation_mgmt', 8, '{test_execution}', false, false),
           ('test_report', 9, '{observation_mgmt}', true, false)$$,
  'nine phases, linear dependencies, owner item review for scoping, data profiling and sample selection; test execution and the test report have an artifact');
select throws_ok($$update public.phase_definitions set depends_on = '{scoping}' where name = 'planning'$$,
  'PT400', null, 'the dependency graph cannot get a cycle');
select throws_ok($$update public.phase_definitions set depends_on = '{nonsense}' where name = 'scoping'$$,
  'PT400', null, 'dependencies name existing phases');
select throws_ok($$delete from public.phase_definitions where name = 'planning'$$,
  'PT409', null, 'a phase others depend on cannot be removed');

-- created per cycle report ---------------------------------------------------------------------------------
select is((select count(*)::int from public.workflow_phases where cycle_report_id = tests.id('cr1')::bigint), 9,
  'a new cycle report gets nine phases');
select results_eq(
  format('select phase_name, status::text from public.workflow_phases where cycle_report_id = %s order by phase_order limit 2', tests.id('cr1')),
  $$values ('planning', 'not_started'), ('scoping', 'not_started')$$, 'in order, not started');
select is((select count(*)::int from public.workflow_activities where cycle_report_id = tests.id('cr1')::bigint),
  (select count(*)::int from public.activity_definitions), 'and every default activity');

-- ordering -------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format('select public.start_phase(%s)', tests.phase('scoping1'))),
  'PT409 phase_dependencies_incomplete', 'scoping cannot start before planning is completed');
select is(tests.try_as('postgres', format($$update public.workflow_phases set status = 'in_progress' where id = %s$$, tests.phase('scoping1'))),
  'PT409 phase_dependencies_incomplete', 'not even by postgres directly');
select is(tests.try_as(:o1, format('select public.start_phase(%s)', tests.phase('planning1'))),
  'PT403 start_requires_tester', 'the report owner cannot start a phase');
select is(tests.try_as(:t2, format('select public.start_phase(%s)', tests.phase('planning1'))),
  'PT404 phase_not_found', 'an unassigned tester cannot see the phase');
select is(tests.try_as('anon', format('select public.start_phase(%s)', tests.phase('planning1'))),
  '42501', 'anon cannot call start_phase');
select is(tests.try_as(:t1, format($$update public.workflow_phases set status = 'in_progress' where id = %s$$, tests.phase('planning1'))),
  '42501', 'the status changes through start_phase only');

select is(tests.run_as(:t1, format('select (public.start_phase(%s)).status', tests.phase('planning1'))) -> 0 ->> 'status',
  'in_progress', 'the assigned tester starts planning');
select results_eq(
  format('select started_by, started_at is not null from public.workflow_phases where id = %s', tests.phase('planning1')),
  format($$values ('%s'::uuid, true)$$, tests.id('t1')), 'started by and at are stamped');
select is((select status::text from public.cycle_reports where id = tests.id('cr1')::bigint), 'in_progress',
  'the cycle report is in progress once a phase starts');
select is(tests.try_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1'))),
  'PT409 phase_not_startable', 'a phase starts once');
select is(tests.run_as(:t1, format($$update public.workflow_phases set risk_level = 'high', phase_metadata = '{"note":"x"}' where id = %s$$, tests.phase('planning1'))),
  '1'::jsonb, 'the tester sets the risk level and metadata');
select is(tests.try_as('postgres', format($$update public.workflow_phases set started_by = null where id = %s$$, tests.phase('planning1'))),
  'rows 1', 'stamps cannot be rewritten (the update keeps them)');
select isnt((select started_by from public.workflow_phases where id = tests.phase('planning1')), null, 'started_by is still set');

-- completing: activities and the approved version ----------------------------------------------------------
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 activities_incomplete', 'planning cannot complete with required activities open');
select is(tests.try_as(:t1, format('select public.complete_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('scoping1')) a))),
  'PT409 phase_not_in_progress', 'activities of a phase not in progress cannot change');
select is(tests.try_as(:o1, format('select public.complete_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('planning1')) a))),
  'PT403 activity_requires_tester', 'the report owner cannot complete activities');
select is(tests.try_as(:t1, format('select public.skip_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('planning1')) a))),
  'PT403 skip_required_activity_requires_admin', 'a tester cannot skip a required activity');
select is(tests.try_as(:t1, format('select public.start_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('planning1')) a))),
  'PT409 activity_proven_by_data', 'an activity a record proves cannot be started by hand');
select is(tests.try_as(:t1, format('select public.complete_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('planning1')) a))),
  'PT409 activity_proven_by_data', 'nor completed by hand');
select is(tests.run_as(:admin, format('select (public.skip_activity(a)).status from tests.activity_ids(%s) a', tests.phase('planning1'))) -> 2 ->> 'status',
  'skipped', 'an admin skips them (this test''s items prove none of them)');
select is(tests.try_as(:admin, format('select public.skip_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('planning1')) a))),
  'PT409 illegal_activity_transition', 'a skipped activity stays skipped');

select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 approved_version_required', 'planning cannot complete before a version is approved');
insert into tests.fixture_ids
select 'pv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.planning_items (version_id, name, tester_decision) values ('%s', 'a', 'approved')$$, tests.id('pv1')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv1')));
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 version_open', 'nor while a version awaits approval');
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('pv1')));
select is(tests.try_as(:o1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT403 complete_requires_tester', 'the report owner cannot complete a phase');
select is(tests.run_as(:t1, format('select (public.complete_phase(%s)).status', tests.phase('planning1'))) -> 0 ->> 'status',
  'completed', 'with activities done and a version approved, the tester completes planning');
select is((select completed_by from public.workflow_phases where id = tests.phase('planning1')), tests.id('t1')::uuid,
  'completed_by is stamped');
select is(tests.try_as(:t1, format('select public.reopen_phase(%s, ''A late correction'')', tests.phase('planning1'))),
  'PT403 reopen_requires_admin', 'only an admin reopens a completed phase');
select is(tests.try_as(:t1, format($$update public.workflow_phases set risk_level = 'low' where id = %s$$, tests.phase('planning1'))),
  'PT409 phase_closed', 'a completed phase cannot be edited');
select is(tests.run_as(:t1, format('select (public.start_phase(%s)).status', tests.phase('scoping1'))) -> 0 ->> 'status',
  'in_progress', 'scoping starts once planning is completed');

-- skipping and phases without an artifact -------------------------------------------------------------------
select is(tests.try_as(:t1, format($$update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = %s$$, tests.phase('data_request1'))),
  '42501', 'testers cannot skip phases');
select is(tests.try_as('postgres', format($$update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = %s$$, tests.phase('data_request1'))),
  'rows 1', 'an admin (here in Studio) can skip a phase');
-- data_request has no artifact: activities alone gate it.
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('planning2'), tests.phase('scoping2'));
select tests.run_as(:t2, format('select public.start_phase(%s)', tests.phase('data_request2')));
select is(tests.run_as(:t2, format('select (public.start_activity(%s)).status', (select min(a) from tests.activity_ids(tests.phase('data_request2')) a))) -> 0 ->> 'status',
  'in_progress', 'the tester starts a manual activity');
select tests.run_as(:t2, format('select public.complete_activity(a) from tests.activity_ids(%s) a', tests.phase('data_request2')));
select is(tests.try_as(:t2, format('select public.complete_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('data_request2')) a))),
  'PT409 illegal_activity_transition', 'a completed activity stays completed');
select results_eq(
  format('select count(*)::int from public.workflow_activities where phase_id = %s and completed_by = ''%s'' and completed_at is not null', tests.phase('data_request2'), tests.id('t2')),
  $$values (3)$$, 'completed by and at are stamped on activities');
select is(tests.run_as(:t2, format('select (public.complete_phase(%s)).status', tests.phase('data_request2'))) -> 0 ->> 'status',
  'completed', 'a phase without an artifact completes when its activities are done');
select is(tests.try_as(:admin, format('select public.skip_activity(%s)', (select min(a) from tests.activity_ids(tests.phase('observation_mgmt1')) a))),
  'PT409 phase_not_in_progress', 'even admins change activities only while their phase is in progress');

update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where cycle_report_id = tests.id('cr2')::bigint and status = 'not_started';
select is((select status::text from public.cycle_reports where id = tests.id('cr2')::bigint), 'completed',
  'a cycle report is completed when every phase is completed or skipped');

select * from finish();
rollback;
