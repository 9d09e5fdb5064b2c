-- The test report through the version machinery: content generated from the records, the conclusion and the
-- tester's sign-off, current when submitted and frozen after, the owner's approval completing the phase and the
-- cycle report, and nothing of the cycle report changing afterwards until an admin reopens the phase.
begin;
select plan(26);

select tests.create_test_report_fixture('upload_pgtaptests');

insert into tests.fixture_ids
select 'rv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_report1'))) -> 0 ->> 'id';
select is((select item_count from public.artifact_versions where id = tests.id('rv1')::uuid), 1, 'a test-report version holds one report');

-- The generated sections.
select is((select content -> 'scope' -> 'attributes' from public.test_reports where version_id = tests.id('rv1')::uuid) @> jsonb_build_array(
            jsonb_build_object('name', 'Branch', 'in_scope', false), jsonb_build_object('name', 'Amount', 'in_scope', true, 'testing_approach', 'both')),
  true, 'scope lists the attributes in and out, with the approach');
select is((select content #>> '{scope,attributes,0,reason}' from public.test_reports where version_id = tests.id('rv1')::uuid),
  'Decided for the test', 'and the reason');
select is((select content -> 'sampling' ->> 'method' from public.test_reports where version_id = tests.id('rv1')::uuid),
  'simple_random', 'the sample design: method');
select is((select (content -> 'sampling' ->> 'sample_size', content -> 'sampling' ->> 'seed', content -> 'sampling' ->> 'size_basis')::text from public.test_reports where version_id = tests.id('rv1')::uuid),
  ('5', 'fixture', 'tester_set')::text, 'size, seed and size basis');
select is((select content -> 'test_results' -> 'attributes' from public.test_reports where version_id = tests.id('rv1')::uuid) @> jsonb_build_array(
            jsonb_build_object('attribute', 'Amount', 'tested', 5, 'passed', 3, 'failed', 2)),
  true, 'test results per attribute: tested, passed, failed');
select is((select content -> 'observations' -> 'by_severity' from public.test_reports where version_id = tests.id('rv1')::uuid),
  '{"critical": 0, "high": 1, "medium": 0, "low": 0}'::jsonb, 'observations by severity');
select is((select content_checksum = encode(sha256(convert_to(content::text, 'UTF8')), 'hex') from public.test_reports where version_id = tests.id('rv1')::uuid),
  true, 'the checksum is the content''s');

-- The sections are the database's; the conclusion is the tester's.
select is(tests.try_as('tester1@test.local', format($$update public.test_reports set content = '{}' where version_id = %L$$, tests.id('rv1'))),
  '42501', 'a tester does not write the sections');
select throws_ok(format($$update public.test_reports set content = '{}' where version_id = %L$$, tests.id('rv1')),
  'PT409', null, 'nor does an operator (test_report_generated)');
select is(tests.try_as('tester1@test.local', format($$update public.test_reports set tester_decision = 'approved' where version_id = %L$$, tests.id('rv1'))),
  'PT400 conclusion_required', 'the report is signed with a conclusion');
select is(tests.try_as('owner1@test.local', format($$update public.test_reports set conclusion = 'Fine' where version_id = %L$$, tests.id('rv1'))),
  'PT403 item_edit_requires_tester', 'the owner does not write the conclusion');
select tests.run_as('tester1@test.local', format(
  $$update public.test_reports set conclusion = 'The report is fairly stated except for the Amount finding.' where version_id = %L$$, tests.id('rv1')));
select tests.run_as('tester1@test.local', format($$update public.test_reports set tester_decision = 'approved' where version_id = %L$$, tests.id('rv1')));

-- Current when submitted: a record changed since generation is caught.
select tests.run_as('owner1@test.local', format($$update public.observations set remediation_plan = 'Fix the cut-off' where id = %L$$, tests.id('ob1')));
select tests.run_as('owner1@test.local', format($$select public.move_observation(%L, 'remediating', 'Started')$$, tests.id('ob1')));
select is(tests.try_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('rv1'))),
  'PT409 test_report_out_of_date', 'a report older than the records is not submitted');
select tests.run_as('tester1@test.local', format('select public.refresh_test_report(%L)', tests.id('rv1')));
select is((select (content #>> '{observations,items,0,status}', tester_decision::text)::text from public.test_reports where version_id = tests.id('rv1')::uuid),
  ('remediating', null)::text, 'refreshing picks up the change and clears the sign-off of the older content');
select tests.run_as('tester1@test.local', format($$update public.test_reports set tester_decision = 'approved' where version_id = %L$$, tests.id('rv1')));
select is(tests.run_as('tester1@test.local', format('select (public.submit_version(%L)).version_status', tests.id('rv1'))) -> 0 ->> 'version_status',
  'pending_approval', 'the tester submits the signed report');

-- Frozen: later changes to the records do not change the submitted report.
select tests.run_as('owner1@test.local', format($$select public.move_observation(%L, 'pending_validation', 'Done')$$, tests.id('ob1')));
select is((select content #>> '{observations,items,0,status}' from public.test_reports where version_id = tests.id('rv1')::uuid),
  'remediating', 'the submitted report keeps the records as they were');
select is(tests.try_as('tester1@test.local', format('select public.refresh_test_report(%L)', tests.id('rv1'))),
  'PT409 version_not_draft', 'and cannot be refreshed');
select is(tests.try_as('tester1@test.local', format('select public.approve_version(%L)', tests.id('rv1'))),
  'PT403 approve_requires_report_owner', 'the tester does not sign it off');

-- The owner's signature completes the phase and the cycle report.
select is(tests.run_as('owner1@test.local', format('select (public.approve_version(%L)).approved_by', tests.id('rv1'))) -> 0 ->> 'approved_by',
  tests.id('o1'), 'the report owner approves it: the signature');
select is((select status::text from public.workflow_phases where id = tests.phase('test_report1')), 'completed',
  'the approval completes the test report phase');
select is((select status::text from public.cycle_reports where id = tests.id('cr1')::bigint), 'completed', 'and the cycle report');
select is((select count(*)::integer from public.workflow_activities where phase_id = tests.phase('test_report1') and status = 'completed'), 2,
  'its activities are proven by the submitted and approved version');

-- Nothing changes afterwards, except through an admin reopen.
select is(tests.try_as('tester1@test.local', format($$select public.move_observation(%L, 'validated', 'Checked')$$, tests.id('ob1'))),
  'PT409 cycle_report_completed', 'an observation does not move after the report is approved');
select is(tests.try_as('tester1@test.local', format('select public.create_version(%s)', tests.phase('test_report1'))),
  'PT409 phase_not_in_progress', 'no new report version');
select is(tests.try_as('admin@test.local', format($$select public.reopen_phase(%s, 'Restatement after remediation')$$, tests.phase('test_report1'))),
  'rows 1', 'an admin reopens the phase with a reason');
select tests.run_as('admin@test.local', format($$select public.reopen_phase(%s, 'Restatement after remediation')$$, tests.phase('test_report1')));
select is(tests.try_as('tester1@test.local', format($$update public.observations set validation_evidence = 'Re-tested' where id = %L$$, tests.id('ob1'))),
  'rows 1', 'after which the records change again');

select * from finish();
rollback;
