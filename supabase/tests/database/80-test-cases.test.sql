-- Test execution through the version machinery: cases made from the approved samples × in-scope attributes tested
-- by samples, the preparer and the reviewer (never the same person), a change voiding the review, submit and
-- approval preconditions, traceability, exceptions and RLS.
begin;
select plan(35);

select tests.create_test_execution_fixture('upload_pgtaptests');

-- acting as tester1: the version and its cases
insert into tests.fixture_ids
select 'tv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('tv1')::uuid), tests.id('sv1'),
  'a test-execution version is based on the approved sample-selection version');
select is((select (item_count, tester_decided_count)::text from public.artifact_versions where id = tests.id('tv1')::uuid),
  (15, 0)::text, 'the version holds 15 test cases, none reviewed');
select is((select array_agg(distinct attribute_name order by attribute_name) from public.test_cases where version_id = tests.id('tv1')::uuid),
  array['Amount', 'Loan id', 'Rating'],
  'cases cover the in-scope attributes tested by samples: not Branch (out of scope) nor Region (data-quality rules only)');
select is((select array_agg(distinct sample_key order by sample_key) from public.test_cases where version_id = tests.id('tv1')::uuid),
  array['1', '2', '3', '4', '5'], 'and every approved sample');
select is((select public.masked_reported_value(t) from public.test_cases t where version_id = tests.id('tv1')::uuid and sample_key = '3' and attribute_name = 'Amount'),
  '300', 'the reported value is the sample''s value of the attribute''s source column');
select is((select count(*)::integer from public.test_cases
            where version_id = tests.id('tv1')::uuid and sample_selection_version_id = tests.id('sv1')::uuid
              and planning_version_id = tests.id('pv1')::uuid and scoping_version_id = tests.id('sc1')::uuid and profiling_version_id is null),
  15, 'each case records the approved sample-selection, planning and scoping versions (profiling was skipped)');

-- Cases are the database's.
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.test_cases (version_id, sample_decision_id, attribute_id, sample_key, attribute_name, planning_version_id, sample_selection_version_id)
    select version_id, sample_decision_id, attribute_id, 'X', 'X', planning_version_id, sample_selection_version_id from public.test_cases where version_id = %L limit 1$$,
  tests.id('tv1'))), '42501', 'a tester cannot add a test case');
select is(tests.try_as('tester1@test.local', format(
  $$update public.test_cases set reported_value = 'forged' where version_id = %L and sample_key = '1'$$, tests.id('tv1'))),
  '42501', 'nor rewrite the reported value');
select throws_ok(format(
  $$update public.test_cases set reported_value = 'forged' where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1')),
  'PT409', null, 'the operator (Studio) cannot either (test_case_column_derived)');
select throws_ok(format(
  $$delete from public.test_cases where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1')),
  'PT409', null, 'nor remove a case from its version (test_case_made_by_database)');

-- Preparing: tester1 records results; a failure needs its description.
select is(tests.try_as('tester1@test.local', format(
  $$update public.test_cases set result = 'fail', source_value = '250' where version_id = %L and sample_key = '2' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'PT400 exception_description_required', 'a failure without a description is refused');
select tests.run_as('tester1@test.local', format(
  $$update public.test_cases set result = 'pass', source_value = public.masked_reported_value(test_cases)
     where version_id = %L and not (sample_key = '2' and attribute_name = 'Amount')$$, tests.id('tv1')));
select tests.run_as('tester1@test.local', format(
  $$update public.test_cases set result = 'fail', source_value = '250', exception_description = 'Reported 200, the statement says 250'
     where version_id = %L and sample_key = '2' and attribute_name = 'Amount'$$, tests.id('tv1')));
select is((select count(*)::integer from public.test_cases
            where version_id = tests.id('tv1')::uuid and prepared_by = tests.id('t1')::uuid and prepared_at is not null and result is not null),
  15, 'every case is prepared, the preparer stamped by the database');

-- Reviewing: never by the preparer; only a prepared case; only a sign-off.
select is(tests.try_as('tester1@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'PT403 reviewer_is_preparer', 'the preparer cannot review their own test');
select is(tests.try_as('admin@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'rows 1', 'an admin who did not prepare it can');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'rejected' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT409 review_is_sign_off', 'a review is a sign-off');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved', result = 'pass', source_value = 'x' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT409 review_with_change', 'a reviewer does not change and sign off at once');
select is(tests.try_as('owner1@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT403 tester_decision_requires_tester', 'the report owner does not review test cases (the owner approves the version)');

-- Submitting before every case is reviewed is refused.
select is(tests.try_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('tv1'))),
  'PT409 tester_decisions_missing', 'the version cannot be submitted before every case is reviewed');

-- tester2 signs off the rest in one bulk decision.
select tests.run_as('tester2@test.local', format(
  $$select public.decide_items(%1$L, 'public.test_cases', array(select id::text from public.test_cases where version_id = %1$L and tester_decision is null), 'tester', 'approved', 'checked')$$,
  tests.id('tv1')));
select is((select (tester_decided_count, approved_count)::text from public.artifact_versions where id = tests.id('tv1')::uuid),
  (15, 15)::text, 'the reviewer''s bulk sign-off reviews every case');
select is((select count(*)::integer from public.test_cases where version_id = tests.id('tv1')::uuid and tester_decided_by = tests.id('t2')::uuid),
  15, 'signed off by tester2, stamped by the database');

-- A change to a reviewed test voids its review, and says why.
select tests.run_as('tester1@test.local', format(
  $$update public.test_cases set source_value = '301', test_notes = 'rechecked the statement' where version_id = %L and sample_key = '3' and attribute_name = 'Amount'$$, tests.id('tv1')));
select is((select (tester_decision, tester_decided_by, review_voided_by::text, review_void_reason)::text from public.test_cases
            where version_id = tests.id('tv1')::uuid and sample_key = '3' and attribute_name = 'Amount'),
  (null::public.review_decision, null::uuid, tests.id('t1'), 'Changed after review: source_value, test_notes')::text,
  'the change cleared the sign-off and recorded who changed what');
select is((select tester_decided_count from public.artifact_versions where id = tests.id('tv1')::uuid), 14,
  'the version counts one case less reviewed');
select is(tests.try_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('tv1'))),
  'PT409 tester_decisions_missing', 'so it cannot be submitted');
select ok((select a.audit_ok from (select count(*) = 1 as audit_ok from public.audit_log l
            where l.table_name = 'public.test_cases' and l.operation = 'UPDATE' and l.new_values ->> 'review_void_reason' like 'Changed after review%'
              and l.row_id = (select id::text from public.test_cases where version_id = tests.id('tv1')::uuid and sample_key = '3' and attribute_name = 'Amount')) a),
  'the voided review is in the audit log');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set review_void_reason = null where version_id = %L and sample_key = '3' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  '42501', 'the reason cannot be erased');
select tests.run_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '3' and attribute_name = 'Amount'$$, tests.id('tv1')));

-- Submit, then the owner approves.
select is(tests.run_as('tester1@test.local', format('select (public.submit_version(%L)).version_status', tests.id('tv1'))) -> 0 ->> 'version_status',
  'pending_approval', 'with every case prepared and reviewed the version is submitted');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set result = 'pass' where version_id = %L and sample_key = '2' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'PT409 version_not_draft', 'a submitted version''s results are frozen');
select is(tests.try_as('tester1@test.local', format('select public.approve_version(%L)', tests.id('tv1'))),
  'PT403 approve_requires_report_owner', 'a tester cannot approve it');
select is(tests.run_as('owner1@test.local', format('select (public.approve_version(%L)).version_status', tests.id('tv1'))) -> 0 ->> 'version_status',
  'approved', 'the report owner approves it');

-- Exceptions and traceability.
select is((select array_agg(sample_key || ' ' || attribute_name || ': ' || exception_description) from public.test_exceptions where version_id = tests.id('tv1')::uuid),
  array['2 Amount: Reported 200, the statement says 250'], 'the failed case is listed as an exception');
select is((select (t.sample_selection_version_id::text, t.planning_version_id::text, t.scoping_version_id::text, t.scoping_decision_id is not null, t.sample_decision_id is not null)::text
             from public.test_case_traceability t
            where t.test_case_id = (select id from public.test_cases where version_id = tests.id('tv1')::uuid and sample_key = '2' and attribute_name = 'Amount')),
  (tests.id('sv1'), tests.id('pv1'), tests.id('sc1'), true, true)::text,
  'the chain of one case names the approved versions and the scoping decision and sample it came from');

-- RLS: another report's tester and owner see nothing; the report owner reads.
select is(tests.run_as('tester2@test.local', 'select count(*) as n from public.test_cases') -> 0 ->> 'n', '15',
  'an assigned tester reads the cases');
delete from public.cycle_report_testers where cycle_report_id = tests.id('cr1')::bigint and tester_id = tests.id('t2')::uuid;
select is(tests.run_as('tester2@test.local', 'select count(*) as n from public.test_cases') -> 0 ->> 'n', '0',
  'once unassigned, nothing');
select is(tests.run_as('owner2@test.local', 'select count(*) as n from public.test_case_traceability') -> 0 ->> 'n', '0',
  'another report''s owner sees no chain');
select is(tests.run_as('owner1@test.local', 'select count(*) as n from public.test_exceptions') -> 0 ->> 'n', '1',
  'the report owner reads the exceptions');

select * from finish();
rollback;
