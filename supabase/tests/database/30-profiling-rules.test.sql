-- Profiling rules: based on the approved planning version, attribute and definition checks, dual decisions
-- through the lifecycle, RLS per role, and requests to run an approved version (one active job per version).
begin;
select plan(39);

-- Fixture: cr1's planning version approved with one upload (id, amount, ssn; ssn restricted) and a rejected
-- attribute; scoping and data request skipped; data profiling started with a draft version.
select tests.create_fixture();
create table source_data.upload_pgtapprofiling (id integer, amount numeric, ssn text);
insert into source_data.upload_pgtapprofiling values (1, 10, '111-11-1111'), (2, -5, '222'), (null, 3, null);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
  values (tests.id('planning_v')::uuid, 'Loans', 'file_upload', 'upload_pgtapprofiling',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "ssn", "pgType": "text"}]}', 3, 'approved')
  returning id
) insert into tests.fixture_ids select 'source', id::text from s;
with a as (
  insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
  values (tests.id('planning_v')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id', 'internal', 'approved'),
         (tests.id('planning_v')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'approved'),
         (tests.id('planning_v')::uuid, 'SSN', 'string', tests.id('source')::uuid, 'ssn', 'restricted', 'approved'),
         (tests.id('planning_v')::uuid, 'Dropped', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'rejected')
  returning id, name
) insert into tests.fixture_ids select 'attr ' || name, id::text from a;
select public.submit_version(tests.id('planning_v')::uuid);
select public.approve_version(tests.id('planning_v')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
select public.start_phase(tests.phase('data_profiling1'));
insert into tests.fixture_ids select 'prof_v', id::text from public.create_version(tests.phase('data_profiling1'));

-- The version is based on the approved planning version ---------------------------------------------------
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('prof_v')::uuid),
  tests.id('planning_v'), 'a profiling version references the approved planning version it is built from');
select is(tests.try_as('postgres', format('update public.artifact_versions set based_on_version_id = null where id = %L', tests.id('prof_v'))),
  'PT409 version_column_immutable', 'the reference never changes, not even for an operator');

-- acting as the assigned tester: adding rules --------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'rows 1', 'the assigned tester adds a rule on an approved attribute');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('prof_v'), tests.id('attr Dropped'))), 'PT409 attribute_not_approved', 'a rejected attribute gets no rules');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "not_null", "column": "nope"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'PT400 rule_does_not_fit_data_source', 'a rule on a column the data source lacks is refused');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "range", "column": "ssn", "min": "a"}')$$,
  tests.id('prof_v'), tests.id('attr SSN'))), 'PT400 invalid_rule_definition', 'an invalid definition is refused with the reason');
select throws_ok(format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "regex", "column": "ssn", "pattern": "^[0-9{3}$"}')$$,
  tests.id('prof_v'), tests.id('attr SSN')), 'PT400',
  'The rule definition is invalid: pattern: invalid regular expression: brackets [] not balanced',
  'a regex pattern PostgreSQL cannot compile is refused when the rule is saved, with the compiler''s message');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "expression", "expression": {"op": "!~", "args": [{"column": "ssn"}, {"text": "(?i)x"}]}}')$$,
  tests.id('prof_v'), tests.id('attr SSN'))), 'PT400 invalid_rule_definition', 'so is a regex literal of an expression, and embedded options are refused');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "expression", "expression": {"fn": "pg_sleep", "args": [{"number": "1"}]}}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'PT400 invalid_rule_definition', 'an expression calling a function outside the allow-list is refused');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'timeliness', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), '23514', 'rule types are the five of the design');
select is(tests.try_as('postgres', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "bogus"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'PT400 invalid_rule_definition', 'an operator gets the same refusal');
select is(tests.try_as('owner1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'PT403 item_edit_requires_tester', 'the report owner cannot add rules');
select is(tests.try_as('tester2@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), 'PT403 item_edit_requires_tester', 'a tester of another cycle report cannot add rules');

select tests.run_as('service_role', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, severity, llm_metadata) values
    (%1$L, %2$L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}', 'high', '{"provider": "heuristic", "rationale": "amounts are positive", "confidence": 0.9}'),
    (%1$L, %3$L, 'Id present', 'completeness', '{"kind": "not_null", "column": "id"}', 'medium', null),
    (%1$L, %4$L, 'SSN format', 'validity', '{"kind": "regex", "column": "ssn", "pattern": "^[0-9]{3}-[0-9]{2}-[0-9]{4}$"}', 'low', null)$$,
  tests.id('prof_v'), tests.id('attr Amount'), tests.id('attr Loan id'), tests.id('attr SSN')));
insert into tests.fixture_ids select 'rule ' || name, id::text from public.profiling_rules where version_id = tests.id('prof_v')::uuid;

select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'Amount positive', 'validity', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('prof_v'), tests.id('attr Amount'))), '23505', 'names are unique per attribute and version');
select is(tests.try_as('service_role', format(
  $$update public.profiling_rules set llm_metadata = '{"confidence": 2}' where id = %L$$, tests.id('rule Id present'))),
  '23514', 'LLM confidence is between 0 and 1');
select is((select item_count from public.artifact_versions where id = tests.id('prof_v')::uuid), 3, 'the version counts its rules');

-- RLS: who reads the rules ------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('select count(*) from public.profiling_rules where version_id = %L', tests.id('prof_v'))), 'rows 3', 'the assigned tester reads the rules');
select is(tests.try_as('owner1@test.local', format('select count(*) from public.profiling_rules where version_id = %L', tests.id('prof_v'))), 'rows 3', 'the report owner reads the rules');
select is(tests.try_as('admin@test.local', format('select count(*) from public.profiling_rules where version_id = %L', tests.id('prof_v'))), 'rows 3', 'an admin reads the rules');
select is(tests.try_as('tester2@test.local', format('select count(*) from public.profiling_rules where version_id = %L', tests.id('prof_v'))), 'rows 0', 'a tester of another cycle report reads none');
select is(tests.try_as('owner2@test.local', format('select count(*) from public.profiling_rules where version_id = %L', tests.id('prof_v'))), 'rows 0', 'the owner of another report reads none');
select is(tests.try_as('anon', 'select count(*) from public.profiling_rules'), '42501', 'anon reads nothing');
select is(tests.try_as('tester2@test.local', format('delete from public.profiling_rules where id = %L', tests.id('rule Id present'))),
  'rows 0', 'a tester of another cycle report deletes nothing');

-- Dual decisions ------------------------------------------------------------------------------------------------
select is(tests.try_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where id = %L$$, tests.id('rule Id present'))),
  'PT409 owner_decision_not_pending', 'no owner decision while the version is a draft');
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved' where id in (%L, %L)$$,
  tests.id('rule Amount positive'), tests.id('rule Id present')));
select is(tests.try_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('prof_v'))),
  'PT409 tester_decisions_missing', 'submit needs a tester decision on every rule');
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved' where id = %L$$, tests.id('rule SSN format')));
select is((select tester_decided_by::text from public.profiling_rules where id = tests.id('rule SSN format')::uuid), tests.id('t1'),
  'the tester''s decision is stamped with who made it');
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('prof_v')));
select is(tests.try_as('tester1@test.local', format($$update public.profiling_rules set severity = 'low' where id = %L$$, tests.id('rule Id present'))),
  'PT409 version_not_draft', 'rules are frozen once submitted');
select is(tests.try_as('tester1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where id = %L$$, tests.id('rule Id present'))),
  'PT403 owner_decision_requires_report_owner', 'the tester cannot record the owner''s decision');
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where id in (%L, %L)$$,
  tests.id('rule Amount positive'), tests.id('rule Id present')));
select is(tests.try_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('prof_v'))),
  'PT409 owner_decisions_missing', 'approval needs the owner''s decision on every rule (owner item review is on)');
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'rejected', report_owner_notes = 'too loose' where id = %L$$, tests.id('rule SSN format')));

-- Running: only an approved version, by its tester -----------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('select public.request_profiling_execution(%L)', tests.id('prof_v'))),
  'PT409 version_not_approved', 'a version awaiting approval is not run');
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('prof_v')));
select is((select array_agg(item_status::text order by name) from public.profiling_rules where version_id = tests.id('prof_v')::uuid),
  array['approved', 'approved', 'rejected'], 'each rule''s status follows the owner''s decision');
select is(tests.try_as('owner1@test.local', format('select public.request_profiling_execution(%L)', tests.id('prof_v'))),
  'PT403 execution_requires_tester', 'the report owner cannot run the rules');
select is(tests.try_as('tester2@test.local', format('select public.request_profiling_execution(%L)', tests.id('prof_v'))),
  'PT404 version_not_found', 'a tester of another cycle report cannot see the version');
select is(tests.try_as('tester1@test.local', format('select public.request_profiling_execution(%L)', tests.id('planning_v'))),
  'PT409 version_not_profiling', 'only profiling versions are run');

insert into tests.fixture_ids
select 'job', tests.run_as('tester1@test.local', format('select (public.request_profiling_execution(%L)).id', tests.id('prof_v'))) -> 0 ->> 'id';
select is(tests.run_as('tester1@test.local', format('select (public.request_profiling_execution(%L)).id', tests.id('prof_v'))) -> 0 ->> 'id',
  tests.id('job'), 'asking again while the job is active returns the same job');
select is((select (job_type, metadata ->> 'version_id', created_by::text, cycle_report_id::text)::text from public.background_jobs where id = tests.id('job')::uuid),
  ('profiling.execute', tests.id('prof_v'), tests.id('t1'), tests.id('cr1'))::text, 'the job names its version, requester and cycle report');
select is(tests.try_as('postgres', format($$insert into public.background_jobs (job_type, version_id) values ('profiling.execute', %L)$$, tests.id('prof_v'))),
  '23505', 'at most one active execution job per version, even on direct inserts');
select is(tests.try_as('tester1@test.local', format('select count(*) from public.background_jobs where id = %L', tests.id('job'))),
  'rows 1', 'the tester reads the job''s progress');
update public.background_jobs set status = 'completed', completed_at = now() where id = tests.id('job')::uuid;
select isnt(tests.run_as('tester1@test.local', format('select (public.request_profiling_execution(%L)).id', tests.id('prof_v'))) -> 0 ->> 'id',
  tests.id('job'), 'once the job is finished, asking again queues a new run');

select * from finish();
rollback;
