-- A rule result's failed-row sample is masked by the classification of the moment it is read: rows sampled while
-- Amount was internal read '***' for it once a later planning version classifies it restricted, and neither the
-- result row nor its audit row ever held the rows.
begin;
select plan(10);

select tests.create_profiling_fixture('upload_pgtapfailedmask');
insert into source_data.upload_pgtapfailedmask values (1, 100), (2, 200), (3, 300);
insert into tests.fixture_ids select 'dv1', id::text from public.create_version(tests.phase('data_profiling1'));
with r as (
  insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
  values (tests.id('dv1')::uuid, tests.id('pv1 Amount')::uuid, 'Amount at most 150', 'validity', '{"kind": "range", "column": "amount", "max": 150}', 'approved')
  returning id
) insert into tests.fixture_ids select 'rule', id::text from r;
select public.submit_version(tests.id('dv1')::uuid);
update public.profiling_rules set report_owner_decision = 'approved' where version_id = tests.id('dv1')::uuid;
select public.approve_version(tests.id('dv1')::uuid);
with j as (
  insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
  values ('profiling.execute', tests.id('dv1')::uuid, tests.id('cr1')::bigint, jsonb_build_object('version_id', tests.id('dv1')))
  returning id
) insert into tests.fixture_ids select 'job', id::text from j;

-- the worker (service_role) stores the result with two failing rows
select tests.run_as('service_role', format(
  $$insert into public.profiling_rule_results (execution_id, rule_id, version_id, cycle_report_id, status, total_count, passed_count, failed_count, pass_rate, failed_sample, failed_rows_query)
    values (%L, %L, %L, %s, 'completed', 3, 1, 2, 33.3333, '[{"id": 2, "amount": 200}, {"id": 3, "amount": 300}]', 'select 1')$$,
  tests.id('job'), tests.id('rule'), tests.id('dv1'), tests.id('cr1')));

create function pg_temp.sample_as(p_email text)
returns jsonb
language sql
as $$
  select tests.run_as(p_email, format(
    'select public.masked_failed_sample(r) as v from public.profiling_rule_results r where r.rule_id = %L', tests.id('rule'))) -> 0 -> 'v'
$$;

select is(pg_temp.sample_as('tester1@test.local'), '[{"id": 2, "amount": 200}, {"id": 3, "amount": 300}]'::jsonb,
  'while Amount is internal, the tester reads the failing rows');
select is(tests.run_as('tester1@test.local', format(
  'select failed_sample from public.profiling_rule_results where rule_id = %L', tests.id('rule'))) -> 0 -> 'failed_sample',
  '[]'::jsonb, 'the result row itself holds no rows');
select is(tests.try_as('tester1@test.local', 'select * from private.failed_samples'), '42501',
  'the rows are kept where no API role but the service_role reads them');

-- A new planning version classifies Amount restricted and is approved (planning is still in progress).
insert into tests.fixture_ids select 'pv2', v.id::text from public.create_version(tests.phase('planning1')) v;
update public.planning_attributes set information_security_classification = 'restricted'
 where version_id = tests.id('pv2')::uuid and name = 'Amount';
update public.planning_data_sources set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
update public.planning_attributes set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
select public.submit_version(tests.id('pv2')::uuid);
select public.approve_version(tests.id('pv2')::uuid);

select is(pg_temp.sample_as('tester1@test.local'), '[{"id": 2, "amount": "***"}, {"id": 3, "amount": "***"}]'::jsonb,
  'the tester now reads the amounts of the earlier failing rows masked');
select is(pg_temp.sample_as('owner1@test.local'), '[{"id": 2, "amount": "***"}, {"id": 3, "amount": "***"}]'::jsonb,
  'so does the report owner');
select is(tests.run_as('owner2@test.local', format(
  $$select public.masked_failed_sample(jsonb_populate_record(null::public.profiling_rule_results, jsonb_build_object('id', %s))) as v$$,
  (select id from public.profiling_rule_results where rule_id = tests.id('rule')::uuid))) -> 0 -> 'v',
  '[]'::jsonb, 'owner2 (who cannot read cr1) reads nothing of a result by its id');

select is(tests.run_as('tester1@test.local', format(
  'select failed_sample as v from public.run_failed_samples(%L)', tests.id('job'))) -> 0 -> 'v',
  '[{"id": 2, "amount": "***"}, {"id": 3, "amount": "***"}]'::jsonb,
  'reading the whole run at once (run_failed_samples) masks the amounts too');
select is(tests.try_as('owner2@test.local', format('select * from public.run_failed_samples(%L)', tests.id('job'))),
  'PT404 execution_not_found', 'someone who cannot read the run gets PT404');

-- The audit log never held the rows.
set constraints all immediate;
select is((select count(*)::integer from public.audit_log
            where table_name = 'public.profiling_rule_results'
              and (coalesce(new_values -> 'failed_sample', '[]') <> '[]' or coalesce(old_values -> 'failed_sample', '[]') <> '[]')),
  0, 'no audit row of a result holds failing rows');
select ok((public.verify_audit_log() ->> 'ok')::boolean, 'the audit chain verifies');

select * from finish();
rollback;
