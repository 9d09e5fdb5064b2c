-- Access to a cycle report's LLM calls, jobs and audit rows follows the current assignment: the tester a row
-- names reads it while assigned, and no longer once unassigned; rows about no cycle report stay theirs.
begin;
select plan(12);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$update public.artifact_versions set summary = '{"note": "x"}' where id = %L$$, tests.id('v1')));
select tests.run_as(:t1, $$update public.profiles set full_name = 'Tester One' where id = auth.uid()$$);
insert into public.llm_interactions (purpose, provider, model, request, user_id, version_id)
values ('planning_attributes', 'heuristic', 'rules', '{"prompt": "columns of the loan tape"}', tests.id('t1')::uuid, tests.id('v1')::uuid),
       ('other', 'heuristic', 'rules', '{}', tests.id('t1')::uuid, null);
insert into public.background_jobs (job_type, created_by, cycle_report_id, metadata)
values ('test.job', tests.id('t1')::uuid, tests.id('cr1')::bigint, '{"secret": "metadata"}'),
       ('test.job', tests.id('t1')::uuid, null, '{}');

-- while assigned ------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, 'select count(*) from public.llm_interactions'), 'rows 2', 'the assigned tester reads the calls for them');
select is(tests.try_as(:t1, 'select count(*) from public.background_jobs'), 'rows 2', 'and their jobs');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.artifact_versions'$$), 'rows 2',
  'and their audit rows about the cycle report (the draft''s creation and its update)');

-- unassigned ----------------------------------------------------------------------------------------------------
delete from public.cycle_report_testers where tester_id = tests.id('t1')::uuid;
select is(tests.try_as(:t1, 'select count(*) from public.llm_interactions where cycle_report_id is not null'), 'rows 0',
  'an unassigned tester no longer reads the cycle report''s calls made for them');
select is(tests.try_as(:t1, 'select count(*) from public.background_jobs where cycle_report_id is not null'), 'rows 0',
  'nor its jobs they created');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.artifact_versions'$$), 'rows 0',
  'nor their own audit rows about it, the update included');
select is(tests.try_as(:t1, 'select count(*) from public.llm_interactions where cycle_report_id is null'), 'rows 1',
  'a call about no cycle report stays theirs');
select is(tests.try_as(:t1, 'select count(*) from public.background_jobs where cycle_report_id is null'), 'rows 1',
  'so does a job about none');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.profiles'$$), 'rows 1',
  'and their audit rows about no cycle report (their profile)');
select is(tests.try_as(:o1, $$select count(*) from public.llm_interactions$$), 'rows 1',
  'the report''s owner reads the cycle report''s call');
select is(tests.try_as(:admin, $$select count(*) from public.audit_log where table_name = 'public.artifact_versions' and actor_id = tests.id('t1')::uuid$$),
  'rows 2', 'admins read the whole log');

-- assigned again ------------------------------------------------------------------------------------------------
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t1')::uuid);
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.artifact_versions'$$), 'rows 2',
  'assigned again, they read them again');

select * from finish();
rollback;
