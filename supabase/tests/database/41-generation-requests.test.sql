-- Asking for proposals: request_generation queues one job per draft with fixed targets (columns without an
-- attribute; approved attributes without a rule), returns the active job when asked again, and refuses the
-- wrong caller, phase or state with coded errors.
begin;
select plan(20);

select tests.create_fixture();
create table source_data.upload_pgtapgeneration (id integer, amount numeric, note text);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
  values (tests.id('planning_v')::uuid, 'Loans', 'file_upload', 'upload_pgtapgeneration',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "note", "pgType": "text"}]}', 3)
  returning id
) insert into tests.fixture_ids select 'source', id::text from s;
insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column)
values (tests.id('planning_v')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id');

-- acting as the assigned tester ----------------------------------------------------------------------------
insert into tests.fixture_ids
select 'job', tests.run_as('tester1@test.local', format(
  $$select id from public.request_generation(%L, 'planning_attributes', 'Basel III', 'FR Y-9C')$$, tests.id('planning_v'))) -> 0 ->> 'id';
select is(
  (select jsonb_build_object('type', job_type, 'status', status, 'by', created_by, 'cr', cycle_report_id)
     from public.background_jobs where id = tests.id('job')::uuid),
  jsonb_build_object('type', 'generation.planning_attributes', 'status', 'queued', 'by', tests.id('t1'), 'cr', tests.id('cr1')::bigint),
  'the tester''s request queues a planning-attributes job for the cycle report');
select is(
  (select metadata - 'version_id' from public.background_jobs where id = tests.id('job')::uuid),
  jsonb_build_object('kind', 'planning_attributes', 'regulatory_context', 'Basel III', 'report_type', 'FR Y-9C',
    'targets', jsonb_build_array(
      jsonb_build_object('data_source_id', tests.id('source'), 'column', 'amount'),
      jsonb_build_object('data_source_id', tests.id('source'), 'column', 'note'))),
  'the targets are the columns without an attribute, in column order, fixed in the job');
select is(
  (tests.run_as('tester1@test.local', format($$select id from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))) -> 0 ->> 'id'),
  tests.id('job'), 'asking again while the job is queued returns it');
select is(
  (tests.run_as('tester1@test.local', format($$select count(*) as n from public.background_jobs where id = %L$$, tests.id('job'))) -> 0 ->> 'n'),
  '1', 'the tester reads the job through the API');
select is(tests.try_as('postgres', format($$insert into public.background_jobs (job_type, version_id) values ('generation.planning_attributes.second', %L)$$, tests.id('planning_v'))),
  '23505', 'at most one generation job is active per version');

-- refusals ------------------------------------------------------------------------------------------------
select is(tests.try_as('tester2@test.local', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  'PT404 version_not_found', 'a tester of another cycle report does not see the version');
select is(tests.try_as('owner1@test.local', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  'PT403 generation_requires_tester', 'the report owner does not ask for proposals');
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'profiling_rules')$$, tests.id('planning_v'))),
  'PT409 version_wrong_phase', 'rules are not proposed in a planning version');
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'samples')$$, tests.id('planning_v'))),
  'PT400 invalid_generation_request', 'only the two kinds exist');
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'planning_attributes', null, repeat('x', 201))$$, tests.id('planning_v'))),
  'PT400 invalid_generation_request', 'the report type is short');
select is(tests.try_as('anon', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  '42501', 'anon cannot ask');
select is(tests.try_as('service_role', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  '42501', 'the service_role does not ask for itself');

update public.background_jobs set status = 'completed' where id = tests.id('job')::uuid;
insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column)
values (tests.id('planning_v')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount'),
       (tests.id('planning_v')::uuid, 'Note', 'text', tests.id('source')::uuid, 'note');
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  'PT409 nothing_to_generate', 'with every column covered there is nothing to propose');

-- Profiling drafts: approved attributes without a rule ---------------------------------------------------------
update public.planning_data_sources set tester_decision = 'approved' where version_id = tests.id('planning_v')::uuid;
update public.planning_attributes set tester_decision = (case when name = 'Note' then 'rejected' else 'approved' end)::public.review_decision
 where version_id = tests.id('planning_v')::uuid;
select public.submit_version(tests.id('planning_v')::uuid);
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('planning_v'))),
  'PT409 version_not_draft', 'proposals go into drafts only');
select public.approve_version(tests.id('planning_v')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
select public.start_phase(tests.phase('data_profiling1'));
insert into tests.fixture_ids select 'prof_v', id::text from public.create_version(tests.phase('data_profiling1'));
insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
select tests.id('prof_v')::uuid, a.id, 'Present', 'completeness', '{"kind": "not_null", "column": "id"}'
  from public.planning_attributes a where a.version_id = tests.id('planning_v')::uuid and a.name = 'Loan id';

select is(
  tests.run_as('tester1@test.local', format($$select job_type, metadata -> 'targets' as targets from public.request_generation(%L, 'profiling_rules')$$, tests.id('prof_v'))),
  jsonb_build_array(jsonb_build_object('job_type', 'generation.profiling_rules', 'targets',
    (select jsonb_agg(a.id) from public.planning_attributes a where a.version_id = tests.id('planning_v')::uuid and a.name = 'Amount'))),
  'a profiling draft''s targets are the approved attributes without a rule');
select is(tests.try_as('tester1@test.local', format($$select * from public.request_generation(%L, 'planning_attributes')$$, tests.id('prof_v'))),
  'PT409 version_wrong_phase', 'attributes are not proposed in a profiling version');
select is(
  (select count(*)::int from public.background_jobs where version_id = tests.id('prof_v')::uuid and status = 'queued'),
  1, 'one job is queued for the profiling draft');

-- deleting a draft that generation ran on -----------------------------------------------------------------------
insert into tests.fixture_ids
select 'prof_job1', id::text from public.background_jobs where version_id = tests.id('prof_v')::uuid and status = 'queued';
update public.background_jobs set status = 'completed', completed_at = now() where id = tests.id('prof_job1')::uuid;
insert into tests.fixture_ids
select 'prof_job2', tests.run_as('tester1@test.local', format($$select id from public.request_generation(%L, 'profiling_rules')$$, tests.id('prof_v'))) -> 0 ->> 'id';
update public.background_jobs set status = 'running', attempts = 1, lease_owner = 'worker-x', lease_expires_at = now() + interval '5 minutes'
 where id = tests.id('prof_job2')::uuid;
select is(tests.run_as('tester1@test.local', format($$delete from public.artifact_versions where id = %L$$, tests.id('prof_v'))),
  '1'::jsonb, 'the tester deletes a draft that generation jobs ran on');
select results_eq(
  format($$select status::text, version_id, lease_owner, cycle_report_id from public.background_jobs where id in (%L, %L) order by status::text$$,
    tests.id('prof_job1'), tests.id('prof_job2')),
  format($$values ('cancelled', null::uuid, null::text, %1$s::bigint), ('completed', null::uuid, null::text, %1$s::bigint)$$, tests.id('cr1')),
  'the jobs stay on record without the version; the running one is cancelled, the finished one keeps its outcome');
select is(tests.try_as('service_role', format($$select public.heartbeat_job(%L, 'worker-x')$$, tests.id('prof_job2'))),
  'PT409 lease_lost', 'the worker that ran the cancelled job loses its lease and stops');

select * from finish();
rollback;
