-- Profiling results: written only by the service_role for an approved version's execution, samples masked,
-- immutable except the anomaly flag, which only an assigned tester (or admin) sets; RLS per role.
begin;
select plan(27);

-- Fixture: cr1's planning version approved with one upload (id, amount, ssn, email; ssn restricted, email
-- internal but its PDE mapping flagged as personal data) and a rejected attribute; scoping and data request skipped; data profiling started with a draft version.
select tests.create_fixture();
create table source_data.upload_pgtapprofiling (id integer, amount numeric, ssn text, email text);
insert into source_data.upload_pgtapprofiling values (1, 10, '111-11-1111', 'a@example.com'), (2, -5, '222', null), (null, 3, null, null);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
  values (tests.id('planning_v')::uuid, 'Loans', 'file_upload', 'upload_pgtapprofiling',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "ssn", "pgType": "text"}, {"name": "email", "pgType": "text"}]}', 3, 'approved')
  returning id
) insert into tests.fixture_ids select 'source', id::text from s;
with a as (
  insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
  values (tests.id('planning_v')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id', 'internal', 'approved'),
         (tests.id('planning_v')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'approved'),
         (tests.id('planning_v')::uuid, 'SSN', 'string', tests.id('source')::uuid, 'ssn', 'restricted', 'approved'),
         (tests.id('planning_v')::uuid, 'Email', 'string', tests.id('source')::uuid, 'email', 'internal', 'approved'),
         (tests.id('planning_v')::uuid, 'Dropped', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'rejected')
  returning id, name
) insert into tests.fixture_ids select 'attr ' || name, id::text from a;
insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, tester_decision)
values (tests.id('planning_v')::uuid, tests.id('attr Email')::uuid, 'Borrower email', 'LOANS.EMAIL', '{"pii_flag": true}', 'approved');
select public.submit_version(tests.id('planning_v')::uuid);
select public.approve_version(tests.id('planning_v')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
select public.start_phase(tests.phase('data_profiling1'));
insert into tests.fixture_ids select 'prof_v', id::text from public.create_version(tests.phase('data_profiling1'));
with r as (
  insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
  values (tests.id('prof_v')::uuid, tests.id('attr Amount')::uuid, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}', 'approved'),
         (tests.id('prof_v')::uuid, tests.id('attr SSN')::uuid, 'SSN format', 'validity', '{"kind": "regex", "column": "ssn", "pattern": "^[0-9]{3}-[0-9]{2}-[0-9]{4}$"}', 'approved')
  returning id, name
) insert into tests.fixture_ids select 'rule ' || name, id::text from r;
select public.submit_version(tests.id('prof_v')::uuid);
update public.profiling_rules set report_owner_decision = 'approved' where version_id = tests.id('prof_v')::uuid;
select public.approve_version(tests.id('prof_v')::uuid);
with j as (
  insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
  values ('profiling.execute', tests.id('prof_v')::uuid, tests.id('cr1')::bigint, jsonb_build_object('version_id', tests.id('prof_v')))
  returning id
) insert into tests.fixture_ids select 'job', id::text from j;
with j as (
  insert into public.background_jobs (job_type, metadata) values ('other.job', '{}') returning id
) insert into tests.fixture_ids select 'other job', id::text from j;

create temporary table result_insert (sql text);
insert into result_insert values (format(
  $$insert into public.profiling_rule_results (execution_id, rule_id, version_id, cycle_report_id, status, total_count, passed_count, failed_count, pass_rate, failed_sample, failed_rows_query)
    values (%L, %L, %L, %s, 'completed', 3, 2, 1, 66.6667, '[{"id": 2, "amount": -5, "ssn": "***"}]', 'select * from source_data.upload_pgtapprofiling where amount < 0')$$,
  tests.id('job'), tests.id('rule Amount positive'), tests.id('prof_v'), tests.id('cr1')));
grant select on result_insert to authenticated, service_role;

-- Only the service_role writes results ---------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', (select sql from result_insert)), '42501', 'the tester cannot write results');
select is(tests.try_as('admin@test.local', (select sql from result_insert)), '42501', 'an admin cannot write results through the API');
select is(tests.try_as('service_role', (select sql from result_insert)), 'rows 1', 'the service_role (the worker) writes a result');
select is(tests.try_as('service_role', replace((select sql from result_insert), '"***"', '"111-11-1111"')),
  'PT400 sample_not_masked', 'a sample showing a restricted column is refused');
select is(private.profiling_masked_source_columns(tests.id('source')::uuid), array['email', 'ssn'],
  'masked: the restricted attribute''s column and the column whose PDE mapping is flagged as personal data');
select is(tests.try_as('service_role', replace((select sql from result_insert), '"ssn": "***"', '"ssn": "***", "email": "a@example.com"')),
  'PT400 sample_not_masked', 'a sample showing a column that a PDE mapping flags as personal data is refused');
select is(tests.try_as('service_role', replace((select sql from result_insert), tests.id('job'), tests.id('other job'))),
  'PT409 execution_other_version', 'a result belongs to an execution of its rule''s version');
select is(tests.try_as('service_role', replace((select sql from result_insert), '''[{"id": 2, "amount": -5, "ssn": "***"}]''',
  format('%L', (select jsonb_agg(jsonb_build_object('id', g)) from generate_series(1, 21) g)))),
  '23514', 'a sample holds at most 20 rows');
select is(tests.try_as('service_role', replace((select sql from result_insert), '3, 2, 1,', '3, 2, 2,')), '23514',
  'passed and failed add up to the total');

select tests.run_as('service_role', (select sql from result_insert));
select is(tests.try_as('service_role', (select sql from result_insert)), '23505', 'one result per rule per execution');
select is(tests.try_as('service_role', format('update public.profiling_rule_results set failed_count = 0, passed_count = 3 where execution_id = %L', tests.id('job'))),
  'PT409 result_immutable', 'results never change, even for the service_role');
select is(tests.try_as('postgres', format('delete from public.profiling_rule_results where execution_id = %L', tests.id('job'))),
  'PT409 result_immutable', 'results are never deleted, even by an operator');
select is(tests.try_as('tester1@test.local', format('update public.profiling_rule_results set failed_count = 0 where execution_id = %L', tests.id('job'))),
  '42501', 'the tester cannot change counts');

-- RLS: who reads results -----------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('select count(*) from public.profiling_rule_results where execution_id = %L', tests.id('job'))), 'rows 1', 'the assigned tester reads results');
select is(tests.try_as('owner1@test.local', format('select count(*) from public.profiling_rule_results where execution_id = %L', tests.id('job'))), 'rows 1', 'the report owner reads results');
select is(tests.try_as('admin@test.local', format('select count(*) from public.profiling_rule_results where execution_id = %L', tests.id('job'))), 'rows 1', 'an admin reads results');
select is(tests.try_as('tester2@test.local', format('select count(*) from public.profiling_rule_results where execution_id = %L', tests.id('job'))), 'rows 0', 'a tester of another cycle report reads none');
select is(tests.try_as('owner2@test.local', format('select count(*) from public.profiling_rule_results where execution_id = %L', tests.id('job'))), 'rows 0', 'the owner of another report reads none');
select is(tests.try_as('anon', 'select count(*) from public.profiling_rule_results'), '42501', 'anon reads nothing');

-- Anomalies ------------------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('update public.profiling_rule_results set is_anomaly = true where execution_id = %L', tests.id('job'))),
  'PT400 anomaly_note_required', 'an anomaly needs a note');
select is(tests.try_as('owner1@test.local', format($$update public.profiling_rule_results set is_anomaly = true, anomaly_note = 'odd' where execution_id = %L$$, tests.id('job'))),
  'rows 0', 'the report owner cannot mark anomalies');
select is(tests.try_as('tester2@test.local', format($$update public.profiling_rule_results set is_anomaly = true, anomaly_note = 'odd' where execution_id = %L$$, tests.id('job'))),
  'rows 0', 'a tester of another cycle report cannot mark anomalies');
select is(tests.try_as('service_role', format($$update public.profiling_rule_results set is_anomaly = true, anomaly_note = 'odd' where execution_id = %L$$, tests.id('job'))),
  'PT403 anomaly_requires_tester', 'the service_role does not judge anomalies');
select is(tests.try_as('tester1@test.local', format('update public.profiling_rule_results set anomaly_marked_by = %L where execution_id = %L', tests.id('o1'), tests.id('job'))),
  '42501', 'who marked an anomaly cannot be sent by the client');
select tests.run_as('tester1@test.local', format($$update public.profiling_rule_results set is_anomaly = true, anomaly_note = 'negative amount in a loan' where execution_id = %L$$,
  tests.id('job')));
select is((select (is_anomaly, anomaly_note, anomaly_marked_by::text, anomaly_marked_at is not null)::text from public.profiling_rule_results where execution_id = tests.id('job')::uuid),
  (true, 'negative amount in a loan', tests.id('t1'), true)::text, 'the assigned tester marks an anomaly; who and when are stamped by the database');
select tests.run_as('tester1@test.local', format('update public.profiling_rule_results set is_anomaly = false, anomaly_note = null where execution_id = %L', tests.id('job')));
select is((select (is_anomaly, anomaly_marked_by is null, anomaly_marked_at is null)::text from public.profiling_rule_results where execution_id = tests.id('job')::uuid),
  (false, true, true)::text, 'unmarking clears the stamps');
select is((select count(*)::int from public.audit_log where table_name = 'public.profiling_rule_results'
  and row_id in (select id::text from public.profiling_rule_results where execution_id = tests.id('job')::uuid)), 3, 'results and anomaly marks are audited');

select * from finish();
rollback;
