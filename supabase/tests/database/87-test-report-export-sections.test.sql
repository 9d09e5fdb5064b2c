-- The sections the report's exports list (decision 032): every sample of the approved sample selection with its
-- lineage and decisions, every test case with its preparer and reviewer, each raised observation in full; generated
-- with the rest of the content, under the same checksum, and frozen with it at submission.
begin;
select plan(9);

select tests.create_test_report_fixture('upload_pgtaptests');
update public.observations set remediation_owner_id = tests.id('o1')::uuid, impacted_report_lines = '{HC-C 4.a}'
 where id = tests.id('ob1')::uuid;

insert into tests.fixture_ids
select 'rv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_report1'))) -> 0 ->> 'id';

select is((select jsonb_array_length(content #> '{samples,items}') from public.test_reports where version_id = tests.id('rv1')::uuid),
  (select count(*)::integer from public.sample_decisions s join public.artifact_versions v on v.id = s.version_id
    where v.cycle_report_id = tests.id('cr1')::bigint and v.phase_name = 'sample_selection' and v.version_status = 'approved'),
  'every sample of the approved sample selection is listed');
select is((select content #> '{samples,items,0}' from public.test_reports where version_id = tests.id('rv1')::uuid)
            @> '{"draw_position": 1, "source": "tester", "recommended_by": "tester1", "tester_decided_by": "tester1", "owner_decided_by": "owner1", "carried_from_version": null}',
  true, 'each with its lineage and who decided it, in draw order');
select is((select jsonb_array_length(content #> '{test_cases,items}') from public.test_reports where version_id = tests.id('rv1')::uuid),
  (select count(*)::integer from public.test_cases t join public.artifact_versions v on v.id = t.version_id
    where v.cycle_report_id = tests.id('cr1')::bigint and v.version_status = 'approved'),
  'every test case of the approved test execution is listed');
select is((select count(*)::integer from public.test_reports r, jsonb_array_elements(r.content #> '{test_cases,items}') c
            where r.version_id = tests.id('rv1')::uuid and c ->> 'result' = 'fail' and c ->> 'attribute' = 'Amount'
              and c ->> 'exception' is not null and c ->> 'prepared_by' = 'tester1' and c ->> 'reviewed_by' = 'tester2'),
  2, 'the failed ones with their exception, preparer and reviewer');
select is((select content #> '{observations,items,0}' from public.test_reports where version_id = tests.id('rv1')::uuid)
            @> '{"title": "Amount: 2 failed tests", "severity": "high", "owner_response": "Agreed", "remediation_owner": "owner1", "impacted_attributes": ["Amount"], "impacted_report_lines": ["HC-C 4.a"], "evidence": 2}',
  true, 'each raised observation in full: response, remediation owner, attributes, report lines, evidence');
select is((select content #>> '{observations,by_severity,high}' from public.test_reports where version_id = tests.id('rv1')::uuid),
  '1', 'still counted by severity');
select is((select content_checksum = encode(sha256(convert_to(content::text, 'UTF8')), 'hex') from public.test_reports where version_id = tests.id('rv1')::uuid),
  true, 'the checksum covers the new sections too');

-- Frozen at submission with the rest.
select tests.run_as('tester1@test.local', format($$update public.test_reports set conclusion = 'Fair but for Amount' where version_id = %L$$, tests.id('rv1')));
select tests.run_as('tester1@test.local', format($$update public.test_reports set tester_decision = 'approved' where version_id = %L$$, tests.id('rv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('rv1')));
select is((select version_status::text from public.artifact_versions where id = tests.id('rv1')::uuid), 'pending_approval',
  'a report with the new sections is current at submission');
update public.observations set remediation_owner_id = null where id = tests.id('ob1')::uuid;
select is((select content #>> '{observations,items,0,remediation_owner}' from public.test_reports where version_id = tests.id('rv1')::uuid),
  'owner1', 'and keeps them as they were when the records change afterwards');

select * from finish();
rollback;
