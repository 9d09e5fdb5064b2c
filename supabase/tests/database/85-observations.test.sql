-- Observations: drafts proposed from failed tests, evidence links, the lifecycle moves by role, the status derived
-- from the history (a reopened observation never shows a stale state), phase 8's completion rule and RLS.
begin;
select plan(40);

select tests.create_observation_fixture('upload_pgtaptests');

-- Proposals: the two failures of Amount make one draft, linked to both cases.
insert into tests.fixture_ids
select 'ob1', tests.run_as('tester1@test.local', format('select id from public.propose_observations(%s)', tests.id('cr1'))) -> 0 ->> 'id';
select is((select (title, status, proposed_from, severity)::text from public.observations where id = tests.id('ob1')::uuid),
  ('Amount: 2 failed tests', 'draft', 'failed_tests', 'medium')::text, 'the failures of one attribute propose one draft observation');
select is((select array_agg(t.sample_key order by t.sample_key) from public.observation_evidence e join public.test_cases t on t.id = e.test_case_id
            where e.observation_id = tests.id('ob1')::uuid and e.kind = 'failed_test'),
  array['2', '4'], 'linked to both failed cases');
select is((select name from public.planning_attributes where id = (select impacted_attribute_ids[1] from public.observations where id = tests.id('ob1')::uuid)),
  'Amount', 'impacting the attribute');
select is(tests.run_as('tester1@test.local', format('select count(*) from public.propose_observations(%s)', tests.id('cr1'))) -> 0 ->> 'count',
  '0', 'proposing again drafts nothing: the failures are cited');
select is(tests.try_as('owner1@test.local', format('select public.propose_observations(%s)', tests.id('cr1'))),
  'PT403 observation_requires_tester', 'the owner does not propose observations');

-- Evidence: only failed cases of the same cycle report.
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.observation_evidence (observation_id, test_case_id)
    select %L, id from public.test_cases where version_id = %L and result = 'pass' limit 1$$, tests.id('ob1'), tests.id('tv1'))),
  'PT400 test_case_not_failed', 'a passed case is no evidence');
select is(tests.try_as('owner1@test.local', format(
  $$delete from public.observation_evidence where observation_id = %L$$, tests.id('ob1'))),
  'rows 0', 'the owner cannot unlink evidence');

-- A tester writes one by hand.
select tests.run_as('tester1@test.local', format(
  $$insert into public.observations (cycle_report_id, title, condition, criteria, severity, category, impacted_report_lines)
    values (%s, 'Rating codes outdated', 'Ratings use the 2019 scale', 'Rating policy 2024', 'high', 'validity', '{C 07.00 r0100}')$$,
  tests.id('cr1')));
insert into tests.fixture_ids select 'ob2', id::text from public.observations where title = 'Rating codes outdated';
select is((select (status, raised_by::text)::text from public.observations where id = tests.id('ob2')::uuid),
  ('draft', tests.id('t1'))::text, 'a hand-written observation starts as draft, raised_by stamped');
select is(tests.try_as('owner1@test.local', format(
  $$insert into public.observations (cycle_report_id, title) values (%s, 'x')$$, tests.id('cr1'))),
  'PT403 observation_requires_tester', 'the owner does not record observations');
select is(tests.try_as('tester1@test.local', format(
  $$update public.observations set status = 'closed' where id = %L$$, tests.id('ob2'))),
  '42501', 'the status is not written: it follows the history');
select throws_ok(format($$update public.observations set status = 'closed' where id = %L$$, tests.id('ob2')),
  'PT409', null, 'not even by an operator (observation_status_derived)');
select throws_ok(format($$insert into public.observation_history (observation_id, from_status, to_status, actor, comment) values (%L, 'draft', 'closed', 'tester', 'x')$$, tests.id('ob2')),
  'PT409', null, 'nor a history row written by hand (observation_move_through_function)');

-- The lifecycle by role.
select is(tests.try_as('owner1@test.local', format($$select public.move_observation(%L, 'open', 'Raised')$$, tests.id('ob1'))),
  'PT403 observation_move_not_yours', 'the owner does not raise an observation');
select is(tests.try_as('tester1@test.local', format($$select public.move_observation(%L, 'open', '  ')$$, tests.id('ob1'))),
  'PT400 comment_required', 'a move needs a comment');
select is(tests.try_as('tester1@test.local', format($$select public.move_observation(%L, 'closed', 'skip')$$, tests.id('ob1'))),
  'PT409 observation_move_not_allowed', 'a draft does not jump to closed');
select is(tests.run_as('tester1@test.local', format($$select (public.move_observation(%L, 'open', 'Two loans misstated')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'open', 'the tester raises it');
select is(tests.try_as('tester1@test.local', format($$select public.move_observation(%L, 'responded', 'I answer')$$, tests.id('ob1'))),
  'PT403 observation_move_not_yours', 'the tester does not respond for the owner');
select is(tests.try_as('owner1@test.local', format($$select public.move_observation(%L, 'responded', 'Agreed')$$, tests.id('ob1'))),
  'PT409 owner_response_required', 'the owner responds once the response is written');
select is(tests.try_as('tester1@test.local', format($$update public.observations set owner_response = 'x' where id = %L$$, tests.id('ob1'))),
  'PT403 owner_response_requires_report_owner', 'only the owner writes the response');
select tests.run_as('owner1@test.local', format(
  $$update public.observations set owner_response = 'Agreed: a posting cut-off error', remediation_owner_id = %L, due_date = '2027-01-31' where id = %L$$,
  tests.id('o2'), tests.id('ob1')));
select is(tests.try_as('owner1@test.local', format($$update public.observations set remediation_owner_id = %L where id = %L$$, tests.id('t2'), tests.id('ob1'))),
  'PT400 remediation_owner_not_owner', 'a tester is no remediation owner');

-- Phase 8 cannot complete while an observation is unanswered.
select tests.finish_activities(tests.phase('observation_mgmt1'));
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('observation_mgmt1'))),
  'PT409 observations_unanswered', 'phase 8 waits for every observation''s answer');

select is(tests.run_as('owner1@test.local', format($$select (public.move_observation(%L, 'responded', 'See the response')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'responded', 'the owner responds');
select is(tests.try_as('owner2@test.local', format($$update public.observations set severity = 'low' where id = %L$$, tests.id('ob1'))),
  'PT403 observation_field_requires_tester', 'the remediation owner does not change the finding');
select is(tests.try_as('owner2@test.local', format($$select public.move_observation(%L, 'remediating', 'Starting')$$, tests.id('ob1'))),
  'PT409 remediation_plan_required', 'remediation starts with a plan');
select tests.run_as('owner2@test.local', format($$update public.observations set remediation_plan = 'Re-run the cut-off and restate' where id = %L$$, tests.id('ob1')));
select is(tests.run_as('owner2@test.local', format($$select (public.move_observation(%L, 'remediating', 'Plan agreed')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'remediating', 'the remediation owner, who is not on the cycle report, reads and moves their observation');
select is(tests.run_as('owner2@test.local', format($$select (public.move_observation(%L, 'pending_validation', 'Restated')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'pending_validation', 'and asks for validation');
select is(tests.try_as('owner2@test.local', format($$select public.move_observation(%L, 'validated', 'Looks fine to me')$$, tests.id('ob1'))),
  'PT403 observation_move_not_yours', 'the remediation owner does not validate');
select is(tests.try_as('tester1@test.local', format($$select public.move_observation(%L, 'validated', 'Checked')$$, tests.id('ob1'))),
  'PT409 validation_evidence_required', 'validation needs its evidence');
select tests.run_as('tester1@test.local', format($$update public.observations set validation_evidence = 'Re-tested samples 2 and 4: now match' where id = %L$$, tests.id('ob1')));
select tests.run_as('tester1@test.local', format($$select public.move_observation(%L, 'validated', 'Checked')$$, tests.id('ob1')));
select is(tests.run_as('tester1@test.local', format($$select (public.move_observation(%L, 'closed', 'Fixed')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'closed', 'the tester validates and closes');
select is(tests.try_as('tester1@test.local', format($$update public.observations set title = 'changed' where id = %L$$, tests.id('ob1'))),
  'PT409 observation_closed', 'a closed observation is final');

-- Reopen: the status is the history's latest move.
select is(tests.run_as('tester1@test.local', format($$select (public.move_observation(%L, 'reopened', 'Sample 4 differs again')).status$$, tests.id('ob1'))) -> 0 ->> 'status',
  'reopened', 'the tester reopens it');
select is((select status from public.observations where id = tests.id('ob1')::uuid),
  (select to_status from public.observation_history where observation_id = tests.id('ob1')::uuid order by id desc limit 1),
  'the status is the latest history row''s, not the stale closed one');
select is((select array_agg(to_status || ' by ' || actor order by id) from public.observation_history where observation_id = tests.id('ob1')::uuid),
  array['draft by tester', 'open by tester', 'responded by report_owner', 'remediating by remediation_owner', 'pending_validation by remediation_owner',
        'validated by tester', 'closed by tester', 'reopened by tester'], 'every move is in the history with its role');
select is(tests.try_as('tester1@test.local', format($$delete from public.observation_history where observation_id = %L$$, tests.id('ob1'))),
  '42501', 'the history is not removed');
select tests.run_as('owner1@test.local', format($$select public.move_observation(%L, 'responded', 'Restating again')$$, tests.id('ob1')));

-- Drafts are removed, raised ones are not.
select is(tests.try_as('tester1@test.local', format($$delete from public.observations where id = %L$$, tests.id('ob1'))),
  'PT409 observation_not_draft', 'a raised observation is not removed');
select is(tests.run_as('tester1@test.local', format($$delete from public.observations where id = %L$$, tests.id('ob2'))),
  '1'::jsonb, 'a draft is');

-- RLS: the other report's owner sees nothing of cr1, the remediation owner only their observation.
select is(tests.try_as('owner2@test.local', 'select count(*) from public.observations'), 'rows 1', 'the remediation owner sees their observation');
select is(tests.try_as('owner2@test.local', format('select count(*) from public.test_cases where version_id = %L', tests.id('tv1'))), 'rows 0',
  'but not the cycle report''s tests');

-- Phase 8 completes once every observation is answered.
select is(tests.run_as('tester1@test.local', format('select (public.complete_phase(%s)).status', tests.phase('observation_mgmt1'))) -> 0 ->> 'status',
  'completed', 'with every observation answered, phase 8 completes');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.observations (cycle_report_id, title) values (%s, 'Late finding')$$, tests.id('cr1'))),
  'PT409 observation_phase_not_in_progress', 'after it, no new observation (an admin reopens the phase)');

select * from finish();
rollback;
