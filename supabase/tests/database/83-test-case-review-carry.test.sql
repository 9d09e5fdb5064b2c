-- Sign-offs on a new test-execution version (decision 031): the version machinery's copy carries each signed-off
-- case with its sign-off as given and its lineage; a case whose basis changed is not carried signed off and says
-- why; any change in the new version voids the carried sign-off as any other.
begin;
select plan(14);

select tests.create_test_execution_fixture('upload_carrypgtap');

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''

-- Version 1: prepared by tester1 (one case with evidence), signed off by tester2, submitted, rejected by the owner.
insert into tests.fixture_ids
select 'tv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$update public.test_cases set result = 'pass', source_value = reported_value where version_id = %L$$, tests.id('tv1')));
select tests.run_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, file_name, location)
    select id, 'reference', 'Loan file', 'dms://loans/1' from public.test_cases where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$,
  tests.id('tv1')));
select tests.run_as(:t2, format($$update public.test_cases set tester_decision = 'approved', tester_notes = 'agreed' where version_id = %L$$, tests.id('tv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('tv1')));
select tests.run_as(:o1, format($$select public.reject_version(%L, 'Recheck the amount of loan 3')$$, tests.id('tv1')));

-- The approved scoping now tests Rating by data-quality rules only (set as the operator: only the effect matters here).
set local session_replication_role = replica;
update public.scoping_decisions set testing_approach = 'data_quality_rules'
 where version_id = tests.id('sc1')::uuid and attribute_id = tests.id('pv1 Rating')::uuid;
set local session_replication_role = origin;

-- Version 2, built from version 1 by the copy.
insert into tests.fixture_ids
select 'tv2', tests.run_as(:t1, format('select (public.create_version(%s, %L)).id', tests.phase('test_execution1'), tests.id('tv1'))) -> 0 ->> 'id';
select is((select (item_count, tester_decided_count)::text from public.artifact_versions where id = tests.id('tv2')::uuid),
  (15, 10)::text, 'the revision holds the 15 cases, 10 of them still signed off');
select is((select count(*)::integer from public.test_cases c join public.test_cases p on p.id = c.parent_item_id
            where c.version_id = tests.id('tv2')::uuid and c.attribute_name <> 'Rating'
              and c.tester_decision = 'approved' and c.tester_decided_by = p.tester_decided_by
              and c.tester_decided_at = p.tester_decided_at and c.tester_notes = p.tester_notes),
  10, 'a carried sign-off keeps its reviewer, time and notes as given');
select is((select count(*)::integer from public.test_cases c
            where c.version_id = tests.id('tv2')::uuid and c.attribute_name <> 'Rating' and c.review_carried_from_id = c.parent_item_id),
  10, 'and says which case of the parent version it was carried from');
select is((select count(*)::integer from public.test_cases c
            where c.version_id = tests.id('tv2')::uuid and c.prepared_by = tests.id('t1')::uuid and c.result = 'pass'),
  15, 'results and preparers are carried unchanged');
select is((select array_agg(distinct c.review_void_reason) from public.test_cases c
            where c.version_id = tests.id('tv2')::uuid and c.attribute_name = 'Rating'),
  array['Not carried to version 2: the attribute is no longer in scope for sample testing'],
  'a case whose attribute left sample testing is not carried signed off, and says why');
select is((select count(*)::integer from public.test_cases c
            where c.version_id = tests.id('tv2')::uuid and c.attribute_name = 'Rating'
              and c.tester_decision is null and c.tester_decided_by is null and c.review_carried_from_id is null),
  5, 'its sign-off and stamps are cleared');
select is((select (e.carried_from_id is not null, t.evidence ->> 0 is not null, t.tester_decision)::text
             from public.test_case_evidence e join public.test_cases t on t.id = e.test_case_id
            where t.version_id = tests.id('tv2')::uuid),
  (true, true, 'approved'::public.review_decision)::text, 'the evidence links go along without voiding the carried sign-off');

-- The lineage is the database's.
update public.test_cases set review_carried_from_id = null where version_id = tests.id('tv2')::uuid and sample_key = '1' and attribute_name = 'Loan id';
select is((select review_carried_from_id = parent_item_id from public.test_cases
            where version_id = tests.id('tv2')::uuid and sample_key = '1' and attribute_name = 'Loan id'),
  true, 'the operator cannot erase a sign-off''s lineage');

-- A change in the revision voids the carried sign-off, as any change does.
select tests.run_as(:t1, format(
  $$update public.test_cases set source_value = '301', test_notes = 'rechecked' where version_id = %L and sample_key = '3' and attribute_name = 'Amount'$$, tests.id('tv2')));
select is((select (tester_decision, review_void_reason, review_carried_from_id)::text from public.test_cases
            where version_id = tests.id('tv2')::uuid and sample_key = '3' and attribute_name = 'Amount'),
  (null::public.review_decision, 'Changed after review: source_value, test_notes', null::uuid)::text,
  'the changed case loses its carried sign-off and its lineage, with the reason');
select is(tests.try_as(:t1, format('select public.submit_version(%L)', tests.id('tv2'))),
  'PT409 tester_decisions_missing', 'the revision is submitted only once the changed and uncarried cases are reviewed again');
select is(tests.try_as(:t1, format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '3' and attribute_name = 'Amount'$$, tests.id('tv2'))),
  'PT403 reviewer_is_preparer', 'the preparer still never reviews');
select tests.run_as(:t2, format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and tester_decision is null$$, tests.id('tv2')));
select is((select (tester_decided_by::text, review_carried_from_id is null)::text from public.test_cases
            where version_id = tests.id('tv2')::uuid and sample_key = '3' and attribute_name = 'Amount'),
  (tests.id('t2'), true)::text, 'a sign-off given in the revision has no carried lineage');
select is(tests.run_as(:t1, format('select (public.submit_version(%L)).version_status', tests.id('tv2'))) -> 0 ->> 'version_status',
  'pending_approval', 'then the revision is submitted');
select is(tests.run_as(:o1, format('select (public.approve_version(%L)).version_status', tests.id('tv2'))) -> 0 ->> 'version_status',
  'approved', 'and approved by the owner');

select * from finish();
rollback;
