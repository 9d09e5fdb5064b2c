-- Paths of observations and the test report that the lifecycle tests leave out: a marked anomaly proposing a draft,
-- the remediation owner's assignments (decision 032), an admin's moves (a tester's, never the owner's), and an
-- admin reopening an approved test report.
begin;
select plan(17);

select tests.create_observation_fixture('upload_pgtaptests');

-- A marked anomaly of the profiling results (marked while profiling was open; set up as the operator).
set local session_replication_role = replica;
insert into public.artifact_versions (id, phase_id, cycle_report_id, phase_name, version_number, version_status)
values ('00000000-0000-4000-a000-0000000000d1', tests.phase('data_profiling1'), tests.id('cr1')::bigint, 'data_profiling', 1, 'approved');
insert into public.profiling_rules (id, version_id, attribute_id, name, rule_type, definition)
values ('00000000-0000-4000-a000-0000000000d2', '00000000-0000-4000-a000-0000000000d1', tests.id('pv1 Amount')::uuid,
        'Amount at most 150', 'validity', '{"kind": "range", "column": "amount", "max": 150}');
insert into public.profiling_rule_results (rule_id, version_id, cycle_report_id, execution_id, total_count, passed_count, failed_count, pass_rate, status, is_anomaly, anomaly_note)
values ('00000000-0000-4000-a000-0000000000d2', '00000000-0000-4000-a000-0000000000d1', tests.id('cr1')::bigint,
        extensions.gen_random_uuid(), 5, 3, 2, 60, 'completed', true, 'negative amounts');
set local session_replication_role = origin;

-- The failures of an attribute propose one draft, the marked anomaly one of its own.
create temporary table proposed on commit drop as
select * from jsonb_array_elements(tests.run_as('tester1@test.local', format('select id, title, proposed_from, category from public.propose_observations(%s)', tests.id('cr1')))) p;
select is((select jsonb_agg(value - 'id' order by value ->> 'title') from proposed),
  jsonb_build_array(jsonb_build_object('title', 'Amount: 2 failed tests', 'proposed_from', 'failed_tests', 'category', 'accuracy'),
                    jsonb_build_object('title', 'Anomaly: Amount at most 150', 'proposed_from', 'anomaly', 'category', 'validity')),
  'a marked anomaly proposes a draft besides the failed tests''');
insert into tests.fixture_ids select 'ob1', value ->> 'id' from proposed where value ->> 'proposed_from' = 'failed_tests';
insert into tests.fixture_ids select 'oba', value ->> 'id' from proposed where value ->> 'proposed_from' = 'anomaly';
select is((select (e.kind, o.condition like '2 rows failed (pass rate 60%). negative amounts')::text
             from public.observation_evidence e join public.observations o on o.id = e.observation_id
            where o.id = tests.id('oba')::uuid),
  ('anomaly', true)::text, 'linked to the anomaly, with its failures and note');
select is(tests.try_as('tester1@test.local', format('select * from public.propose_observations(%s)', tests.id('cr1'))), 'rows 0',
  'evidence an observation cites proposes nothing again');
select is(tests.try_as('tester1@test.local', format('delete from public.observations where id = %L', tests.id('oba'))), 'rows 1',
  'a proposed draft the tester does not want is removed');
select tests.run_as('tester1@test.local', format('delete from public.observations where id = %L', tests.id('oba')));

-- The remediation owner's assignments name the report and cycle of their own observations only.
select tests.run_as('tester1@test.local', format($$select public.move_observation(%L, 'open', 'Raised')$$, tests.id('ob1')));
select tests.run_as('owner1@test.local', format($$update public.observations set owner_response = 'Agreed', remediation_owner_id = %L where id = %L$$, tests.id('o2'), tests.id('ob1')));
select tests.run_as('owner1@test.local', format($$select public.move_observation(%L, 'responded', 'Agreed')$$, tests.id('ob1')));
select is(tests.run_as('owner2@test.local', 'select observation_id, report_name, cycle_name, status from public.remediation_assignments()'),
  jsonb_build_array(jsonb_build_object('observation_id', tests.id('ob1'), 'report_name', 'Test report A', 'cycle_name', 'Test cycle', 'status', 'responded')),
  'a remediation owner outside the assignment is told which report and cycle their observation belongs to');
select is(tests.try_as('tester1@test.local', 'select * from public.remediation_assignments()'), 'rows 0',
  'someone who remediates nothing gets nothing, even a tester of the cycle report');
select is(tests.try_as('anon', 'select * from public.remediation_assignments()'), '42501', 'anonymous callers cannot call it');
select is(tests.try_as('owner2@test.local', format('select * from public.cycle_reports where id = %s', tests.id('cr1'))), 'rows 0',
  'row-level security still hides the cycle report itself');

-- An admin moves an observation as a tester does, never as the report owner.
select tests.run_as('admin@test.local', format($$insert into public.observations (cycle_report_id, title, severity) values (%s, 'Late filing', 'low')$$, tests.id('cr1')));
insert into tests.fixture_ids select 'ob2', id from public.observations where cycle_report_id = tests.id('cr1')::bigint and title = 'Late filing';
select is(tests.run_as('admin@test.local', format($$select status from public.move_observation(%L, 'open', 'Raised by the admin')$$, tests.id('ob2'))) -> 0 ->> 'status',
  'open', 'an admin raises an observation');
select is((select (actor, moved_by)::text from public.observation_history where observation_id = tests.id('ob2')::uuid and to_status = 'open'),
  ('tester', tests.id('admin'))::text, 'recorded as a tester''s move, by the admin');
select tests.run_as('owner1@test.local', format($$update public.observations set owner_response = 'Agreed' where id = %L$$, tests.id('ob2')));
select is(tests.try_as('admin@test.local', format($$select public.move_observation(%L, 'responded', 'Answering for the owner')$$, tests.id('ob2'))),
  'PT403 observation_move_not_yours', 'an admin does not respond in the report owner''s place');
select tests.run_as('owner1@test.local', format($$select public.move_observation(%L, 'responded', 'Agreed')$$, tests.id('ob2')));

-- An admin reopens an approved test report: the signed version stays as it was, the records move again.
select tests.finish_activities(tests.phase('observation_mgmt1'));
select public.complete_phase(tests.phase('observation_mgmt1'));
select tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('test_report1')));
insert into tests.fixture_ids
select 'rv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_report1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format($$update public.test_reports set conclusion = 'Fair' where version_id = %L$$, tests.id('rv1')));
select tests.run_as('tester1@test.local', format($$update public.test_reports set tester_decision = 'approved' where version_id = %L$$, tests.id('rv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('rv1')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('rv1')));
create temporary table signed on commit drop as
select content, content_checksum from public.test_reports where version_id = tests.id('rv1')::uuid;
select is(tests.try_as('owner1@test.local', format($$select public.reopen_phase(%s, 'Restate')$$, tests.phase('test_report1'))),
  'PT403 reopen_requires_admin', 'only an admin reopens the approved report');
select is(tests.try_as('admin@test.local', format($$select public.reopen_phase(%s, ' ')$$, tests.phase('test_report1'))),
  'PT400 reopen_reason_required', 'with a reason');
select tests.run_as('admin@test.local', format($$select public.reopen_phase(%s, 'Restatement after remediation')$$, tests.phase('test_report1')));
select is((select (status::text, reopen_reason) from public.workflow_phases where id = tests.phase('test_report1'))::text,
  ('in_progress', 'Restatement after remediation')::text, 'the phase is in progress again, with the reason kept on it');
select is((select count(*)::integer from public.audit_log where table_name = 'public.workflow_phases' and row_id = tests.phase('test_report1')::text
             and new_values ->> 'status' = 'in_progress' and old_values ->> 'status' = 'completed' and actor_id = tests.id('admin')::uuid), 1,
  'and in the audit trail, by the admin');
select is((select (t.content = s.content and t.content_checksum = s.content_checksum and v.version_status = 'approved')
             from public.test_reports t join public.artifact_versions v on v.id = t.version_id, signed s
            where t.version_id = tests.id('rv1')::uuid),
  true, 'the signed version keeps its content, checksum and approval');
select is(tests.try_as('owner2@test.local', format($$update public.observations set remediation_plan = 'Fix the feed' where id = %L$$, tests.id('ob1'))),
  'rows 1', 'the observations change again, for a new version to pick up');

select * from finish();
rollback;
