-- A test case's reported value is masked by the classification of the moment it is read: cases made while Amount
-- was internal read '***' for it once another planning version reading the same table classifies it restricted
-- and is approved, in test_cases, the failed cases (test_exceptions) and the test report's test cases, and no audit
-- row ever held the value. The tester still compares what they see, masked, as at the draw before.
begin;
select plan(13);

select tests.create_test_execution_fixture('upload_pgtapreported');
insert into tests.fixture_ids
select 'tv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';

create function pg_temp.reported_as(p_email text, p_attribute text)
returns text[]
language sql
as $$
  select array(select jsonb_array_elements(tests.run_as(p_email, format(
    'select public.masked_reported_value(t) as v from public.test_cases t where t.version_id = %L and t.attribute_name = %L order by t.sample_key',
    tests.id('tv1'), p_attribute))) ->> 'v')
$$;

-- acting as tester1: the amounts are read while Amount is internal
select is(pg_temp.reported_as('tester1@test.local', 'Amount'), array['100', '200', '300', '400', '500'],
  'while Amount is internal, the tester reads the reported amounts');
select is(tests.run_as('tester1@test.local', format(
  'select count(*) as n from public.test_cases where version_id = %L and reported_value is not null', tests.id('tv1'))) -> 0 -> 'n',
  '0'::jsonb, 'the rows themselves hold no reported value');
select tests.run_as('tester1@test.local', format(
  $$update public.test_cases set result = 'fail', source_value = '250', exception_description = 'Reported 200, the statement says 250'
     where version_id = %L and sample_key = '2' and attribute_name = 'Amount'$$, tests.id('tv1')));
select is(tests.run_as('owner1@test.local', format(
  'select reported_value from public.test_exceptions where version_id = %L', tests.id('tv1'))) -> 0 ->> 'reported_value',
  '200', 'the failed case shows the reported amount to the owner');

-- Another cycle report's planning reads the same table and classifies Amount restricted; it is approved.
select public.start_phase(tests.phase('planning2'));
insert into tests.fixture_ids select 'pv_b', v.id::text from public.create_version(tests.phase('planning2')) v;
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
  values (tests.id('pv_b')::uuid, 'Loans', 'file_upload', 'upload_pgtapreported',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "branch", "pgType": "text"}]}', 5, 'approved')
  returning id
) insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
  select tests.id('pv_b')::uuid, 'Amount', 'decimal', s.id, 'amount', 'restricted', 'approved' from s;
select public.submit_version(tests.id('pv_b')::uuid);
select public.approve_version(tests.id('pv_b')::uuid);

select is(pg_temp.reported_as('tester1@test.local', 'Amount'), array_fill('***'::text, array[5]),
  'the tester now reads the earlier cases'' amounts masked');
select is(pg_temp.reported_as('owner1@test.local', 'Amount'), array_fill('***'::text, array[5]),
  'so does the report owner');
select is(pg_temp.reported_as('tester1@test.local', 'Loan id'), array['1', '2', '3', '4', '5'],
  'the loan ids, not classified, read as before');
select is(tests.run_as('owner1@test.local', format(
  'select reported_value from public.test_exceptions where version_id = %L', tests.id('tv1'))) -> 0 ->> 'reported_value',
  '***', 'the failed case shows the amount masked');
select is(tests.run_as('tester1@test.local', format(
  $$select array_agg(r.reported_value order by t.sample_key) as v
      from public.version_reported_values(%L) r join public.test_cases t on t.id = r.test_case_id
     where t.attribute_name in ('Amount', 'Loan id')
     group by t.attribute_name order by t.attribute_name$$, tests.id('tv1'))),
  '[{"v": ["***", "***", "***", "***", "***"]}, {"v": ["1", "2", "3", "4", "5"]}]'::jsonb,
  'reading the whole version at once (version_reported_values) masks the amounts, not the loan ids');
select is(tests.try_as('owner2@test.local', format('select * from public.version_reported_values(%L)', tests.id('tv1'))),
  'PT404 version_not_found', 'someone who cannot read the version gets PT404');
select is(tests.run_as('tester1@test.local', format(
  $$select public.masked_sample_data(s) ->> 'amount' as v from public.sample_decisions s where s.version_id = %L and s.sample_key = '3'$$,
  tests.id('sv1'))) -> 0 ->> 'v', '***', 'and so does the sample the cases came from');
select is(tests.run_as('owner2@test.local', format(
  $$select public.masked_reported_value(jsonb_populate_record(null::public.test_cases, jsonb_build_object('id', %L))) as v$$,
  (select id from public.test_cases where version_id = tests.id('tv1')::uuid and sample_key = '3' and attribute_name = 'Amount'))) -> 0 ->> 'v',
  null, 'owner2 (who cannot read cr1) reads nothing of a case by its id');

-- The audit log never held the values.
set constraints all immediate;
select is((select count(*)::integer from public.audit_log
            where table_name = 'public.test_cases'
              and (coalesce(new_values -> 'reported_value', 'null') <> 'null' or coalesce(old_values -> 'reported_value', 'null') <> 'null')),
  0, 'no audit row of a test case holds a reported value');
select ok((public.verify_audit_log() ->> 'ok')::boolean, 'the audit chain verifies');

select * from finish();
rollback;
