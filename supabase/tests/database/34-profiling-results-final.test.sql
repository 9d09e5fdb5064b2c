-- Results are final once the data profiling phase is: after it completed, its rules cannot be run again and
-- anomaly marks cannot change (PT409 phase_completed, whoever asks), until an admin reopens the phase.
begin;
select plan(19);

-- Fixture: cr1 in data profiling with an approved version of one approved rule, one execution and its result.
select tests.create_profiling_fixture('upload_pgtapfinal');
insert into source_data.upload_pgtapfinal values (1, 10), (2, -5);
insert into tests.fixture_ids
select 'prof_v', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
with r as (
  insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
  values (tests.id('prof_v')::uuid, tests.id('pv1 Amount')::uuid, 'Amount positive', 'validity',
          '{"kind": "range", "column": "amount", "min": 0}', 'approved')
  returning id
) insert into tests.fixture_ids select 'rule', id::text from r;
select public.submit_version(tests.id('prof_v')::uuid);
update public.profiling_rules set report_owner_decision = 'approved' where version_id = tests.id('prof_v')::uuid;
select public.approve_version(tests.id('prof_v')::uuid);
insert into tests.fixture_ids
select 'job', tests.run_as('tester1@test.local', format($$select (public.request_profiling_execution('%s')).id$$, tests.id('prof_v'))) -> 0 ->> 'id';
create temporary table result_insert (sql text);
insert into result_insert values (format(
  $$insert into public.profiling_rule_results (execution_id, rule_id, version_id, cycle_report_id, status, total_count, passed_count, failed_count, pass_rate)
    values (%L, %L, %L, %s, 'completed', 2, 1, 1, 50)$$,
  tests.id('job'), tests.id('rule'), tests.id('prof_v'), tests.id('cr1')));
grant select on result_insert to authenticated, service_role;
select tests.run_as('service_role', (select sql from result_insert));
update public.background_jobs set status = 'completed' where id = tests.id('job')::uuid;

create temporary table statements (name text primary key, sql text);
insert into statements values
  ('mark', format($$update public.profiling_rule_results set is_anomaly = true, anomaly_note = 'a negative amount' where execution_id = %L$$, tests.id('job'))),
  ('unmark', format($$update public.profiling_rule_results set is_anomaly = false, anomaly_note = null where execution_id = %L$$, tests.id('job'))),
  ('rerun', format($$select public.request_profiling_execution('%s')$$, tests.id('prof_v'))),
  ('complete', format('select (public.complete_phase(%s)).status', tests.phase('data_profiling1'))),
  ('reopen', format('select (public.reopen_phase(%s, ''A late correction'')).status', tests.phase('data_profiling1')));
grant select on statements to authenticated, service_role;
create function pg_temp.statement(p_name text) returns text language sql as $$ select sql from statements where name = p_name $$;

-- While the phase is in progress, results can be judged and rules run again --------------------------------------
select tests.run_as('tester1@test.local', pg_temp.statement('mark'));
select is((select is_anomaly from public.profiling_rule_results where execution_id = tests.id('job')::uuid), true,
  'in progress: the tester marks an anomaly');
select is(tests.try_as('tester1@test.local', pg_temp.statement('rerun')), 'rows 1', 'in progress: the tester runs the rules again');
update public.background_jobs set status = 'completed' where version_id = tests.id('prof_v')::uuid;

-- Completed: final ---------------------------------------------------------------------------------------------------
select tests.run_as('tester1@test.local', format('select public.complete_activity(a) from tests.manual_activity_ids(%s) a', tests.phase('data_profiling1')));
select is(tests.run_as('tester1@test.local', pg_temp.statement('complete')) -> 0 ->> 'status', 'completed',
  'the tester completes data profiling');
select is(tests.try_as('tester1@test.local', pg_temp.statement('unmark')), 'PT409 phase_completed', 'completed: the tester cannot clear an anomaly mark');
select is(tests.try_as('admin@test.local', pg_temp.statement('unmark')), 'PT409 phase_completed', 'nor can an admin without reopening');
select is(tests.try_as('postgres', pg_temp.statement('unmark')), 'PT409 phase_completed', 'nor a database operator');
select is(tests.try_as('tester1@test.local', replace(pg_temp.statement('mark'), 'a negative amount', 'another note')),
  'PT409 phase_completed', 'completed: a note cannot change');
select is(tests.try_as('tester1@test.local', pg_temp.statement('rerun')), 'PT409 phase_completed', 'completed: the rules cannot run again');
select is(tests.try_as('admin@test.local', pg_temp.statement('rerun')), 'PT409 phase_completed', 'nor for an admin');
select is(tests.try_as('service_role',
  format($$insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata) values ('profiling.execute', %L, %s, '{}')$$,
    tests.id('prof_v'), tests.id('cr1'))),
  'PT409 phase_completed', 'no execution job can be queued directly either');
select is(tests.try_as('service_role', replace((select sql from result_insert), 'completed'', 2, 1, 1, 50', 'completed'', 2, 2, 0, 100')),
  'PT409 phase_completed', 'no new result is stored for a completed phase (a job queued before it completed)');
select is((select (is_anomaly, anomaly_note)::text from public.profiling_rule_results where execution_id = tests.id('job')::uuid),
  (true, 'a negative amount')::text, 'the mark is as it was when the phase completed');

-- Reopening -------------------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', pg_temp.statement('reopen')), 'PT403 reopen_requires_admin', 'a tester cannot reopen a phase');
select is(tests.try_as('admin@test.local', format('select public.reopen_phase(%s, ''A late correction'')', tests.phase('planning1'))),
  'PT409 phase_not_completed', 'only a completed phase reopens');
select is(tests.run_as('admin@test.local', pg_temp.statement('reopen')) -> 0 ->> 'status', 'in_progress', 'an admin reopens data profiling');
select is((select (completed_at is null and completed_by is null)::text from public.workflow_phases where id = tests.phase('data_profiling1')),
  'true', 'reopening clears the completion stamps');
select is(tests.try_as('tester1@test.local', pg_temp.statement('unmark')), 'rows 1', 'reopened: the tester clears the mark');
select is(tests.try_as('tester1@test.local', pg_temp.statement('rerun')), 'rows 1', 'reopened: the rules run again');

-- Once a later phase has built on it, a completed phase stays completed ----------------------------------------------
update public.background_jobs set status = 'completed' where version_id = tests.id('prof_v')::uuid;
select tests.run_as('tester1@test.local', pg_temp.statement('complete'));
select tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('sample_selection1')));
select is(tests.try_as('admin@test.local', pg_temp.statement('reopen')), 'PT409 dependent_phase_started',
  'no reopening once sample selection, which depends on data profiling, has started');

select * from finish();
rollback;
