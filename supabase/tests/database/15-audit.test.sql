-- The audit log: written by trigger on every workflow change, immutable for everyone.
begin;
select plan(12);
-- Audit rows are chained when their transaction commits; this test never commits, so it chains them at once
-- (a truncate would otherwise meet the pending chaining before the refusal).
set constraints all immediate;

select tests.create_fixture();
\set t1 '''tester1@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));

select results_eq(
  format($$select actor_id, actor_role, operation, new_values ->> 'status', old_values ->> 'status'
             from public.audit_log where table_name = 'public.workflow_phases' and row_id = '%s' and operation = 'UPDATE'$$,
         tests.phase('planning1')),
  format($$values ('%s'::uuid, 'authenticated', 'UPDATE', 'in_progress', 'not_started')$$, tests.id('t1')),
  'starting a phase is audited with the actor, the operation and the changed values');
select ok(
  (select not (new_values ? 'phase_name') from public.audit_log
    where table_name = 'public.workflow_phases' and row_id = tests.phase('planning1')::text and operation = 'UPDATE'),
  'an update records only the columns that changed');
select is(
  (select count(*)::int from public.audit_log where table_name = 'public.cycle_reports' and row_id = tests.id('cr1') and operation = 'INSERT'),
  1, 'inserts are audited');
select is(
  (select actor_role from public.audit_log where table_name = 'public.cycle_reports' and row_id = tests.id('cr1') and operation = 'INSERT'),
  'postgres', 'a change made by postgres in Studio is attributed to postgres');
select is(
  (select row_id from public.audit_log where table_name = 'public.cycle_report_testers' and operation = 'INSERT'
      and new_values ->> 'tester_id' = tests.id('t1')),
  tests.id('cr1') || ',' || tests.id('t1'), 'composite primary keys are recorded');

delete from public.cycle_report_testers where cycle_report_id = tests.id('cr2')::bigint;
select ok(
  (select old_values ->> 'tester_id' = tests.id('t2') from public.audit_log
    where table_name = 'public.cycle_report_testers' and operation = 'DELETE'
      and row_id = tests.id('cr2') || ',' || tests.id('t2')),
  'deletes are audited with the old row');

-- counters are not worth a row, decisions are
select tests.create_item_table('audit_items', 'planning');
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.audit_items (version_id, name, tester_decision) values ('%s', 'a', 'approved')$$, tests.id('v1')));
select is(
  (select count(*)::int from public.audit_log where table_name = 'public.artifact_versions' and row_id = tests.id('v1') and operation = 'UPDATE'),
  0, 'counter updates of a version do not flood the log');
select is(
  (select count(*)::int from public.audit_log where table_name = 'tests.audit_items' and operation = 'INSERT'),
  1, 'items of attached tables are audited');

-- immutable
select throws_ok('update public.audit_log set actor_role = ''forged''', 'PT403', null, 'postgres cannot update the audit log');
select throws_ok('delete from public.audit_log', 'PT403', null, 'postgres cannot delete from the audit log');
select throws_ok('truncate public.audit_log', 'PT403', null, 'postgres cannot truncate the audit log');
select is(tests.try_as('service_role', 'delete from public.audit_log'), '42501', 'the service_role cannot delete from the audit log');

select * from finish();
rollback;
