-- Who reviews test cases is data (decision 031): per phase (phase_definitions.item_reviewer), and per cycle report's
-- phase where it departs (workflow_phases.item_reviewer): a second assigned tester by default, or the report owner. Either way the preparer never reviews, and whoever the setting does not
-- name cannot sign off.
begin;
select plan(21);

select tests.create_test_execution_fixture('upload_reviewerpgtaptests');
insert into tests.fixture_ids
select 'tv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$update public.test_cases set result = 'pass', source_value = reported_value where version_id = %L$$, tests.id('tv1')));

-- The default: a second tester reviews; the owner cannot.
select is((select item_reviewer from public.phase_definitions where name = 'test_execution'), 'assigned_tester',
  'test execution is reviewed by an assigned tester unless an admin says otherwise');
select is(tests.try_as('owner1@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'PT403 tester_decision_requires_tester', 'with tester review the report owner cannot sign off a test case');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Amount'$$, tests.id('tv1'))),
  'rows 1', 'the second tester can');

-- Only admins choose the reviewer, and only where the owner does not decide each item already.
select is(tests.try_as('tester1@test.local', $$update public.phase_definitions set item_reviewer = 'report_owner' where name = 'test_execution'$$),
  'rows 0', 'a tester cannot change who reviews');
select throws_ok($$update public.phase_definitions set item_reviewer = 'report_owner' where name = 'scoping'$$,
  '23514', null, 'a phase whose owner decides each item cannot name the owner as its reviewer too');
select throws_ok($$update public.phase_definitions set item_reviewer = 'anyone' where name = 'test_execution'$$,
  '23514', null, 'the reviewer is an assigned tester or the report owner');
select is(tests.try_as('admin@test.local', $$update public.phase_definitions set item_reviewer = 'report_owner' where name = 'test_execution'$$),
  'rows 1', 'an admin names the report owner as the reviewer of test execution');
update public.phase_definitions set item_reviewer = 'report_owner' where name = 'test_execution';

-- One cycle report can depart from its phase's reviewer, in Studio only.
select is(tests.try_as('admin@test.local', format(
  $$update public.workflow_phases set item_reviewer = 'assigned_tester' where id = %s$$, tests.phase('test_execution1'))),
  '42501', 'the departure is set in Studio, not through the API');
update public.workflow_phases set item_reviewer = 'assigned_tester' where id = tests.phase('test_execution1');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'rows 1', 'this cycle report''s own setting wins over the phase''s: a second tester reviews it');
select throws_ok(format($$update public.workflow_phases set item_reviewer = 'report_owner' where id = %s$$, tests.phase('scoping1')),
  'PT400', null, 'a cycle report''s phase whose owner decides each item cannot name the owner as reviewer (owner_reviews_items_already)');
update public.workflow_phases set item_reviewer = 'report_owner' where id = tests.phase('test_execution1');
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT403 review_requires_report_owner', 'nor can a tester where the cycle report names the owner');
update public.workflow_phases set item_reviewer = null where id = tests.phase('test_execution1');

-- The report owner reviews: testers may not.
select is(tests.try_as('tester2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT403 review_requires_report_owner', 'with owner review a second tester cannot sign off');
select is(tests.try_as('tester2@test.local', format(
  $$select public.decide_items(%1$L, 'public.test_cases', array(select id::text from public.test_cases where version_id = %1$L and tester_decision is null), 'tester', 'approved', null)$$,
  tests.id('tv1'))),
  'PT403 review_requires_report_owner', 'nor in bulk');
select is(tests.try_as('owner1@test.local', format(
  $$update public.test_cases set source_value = 'x' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'PT403 item_edit_requires_tester', 'the owner does not prepare tests, so the reviewer is never the preparer');
select is(tests.try_as('owner2@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '1' and attribute_name = 'Loan id'$$, tests.id('tv1'))),
  'rows 0', 'another report''s owner reaches nothing');
select tests.run_as('owner1@test.local', format(
  $$select public.decide_items(%1$L, 'public.test_cases', array(select id::text from public.test_cases where version_id = %1$L and tester_decision is null), 'tester', 'approved', 'checked against the statements')$$,
  tests.id('tv1')));
select is((select count(*)::integer from public.test_cases where version_id = tests.id('tv1')::uuid and tester_decided_by = tests.id('o1')::uuid),
  15, 'the report owner signs off the cases awaiting review, stamped as the reviewer');

-- An admin who prepared a case does not review it, whoever the phase's reviewer is.
select tests.run_as('admin@test.local', format(
  $$update public.test_cases set test_notes = 'admin correction' where version_id = %L and sample_key = '2' and attribute_name = 'Rating'$$, tests.id('tv1')));
select is((select (tester_decision, review_void_reason)::text from public.test_cases
            where version_id = tests.id('tv1')::uuid and sample_key = '2' and attribute_name = 'Rating'),
  (null::public.review_decision, 'Changed after review: test_notes')::text, 'a change after the owner''s sign-off voids it too');
select is(tests.try_as('admin@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '2' and attribute_name = 'Rating'$$, tests.id('tv1'))),
  'PT403 reviewer_is_preparer', 'the preparer never reviews, admins included');
select tests.run_as('owner1@test.local', format(
  $$update public.test_cases set tester_decision = 'approved' where version_id = %L and sample_key = '2' and attribute_name = 'Rating'$$, tests.id('tv1')));

-- The tester submits; the owner who reviewed the cases approves the version.
select is(tests.run_as('tester1@test.local', format('select (public.submit_version(%L)).version_status', tests.id('tv1'))) -> 0 ->> 'version_status',
  'pending_approval', 'every case prepared and reviewed by the owner: the version is submitted');
select is(tests.run_as('owner1@test.local', format('select (public.approve_version(%L)).version_status', tests.id('tv1'))) -> 0 ->> 'version_status',
  'approved', 'the report owner approves the version whose cases they reviewed');
select is((select count(*)::integer from public.duty_segregation_overrides where version_id = tests.id('tv1')::uuid and rule = 'approver_made_tester_decisions'),
  0, 'no segregation override was needed');

select * from finish();
rollback;
