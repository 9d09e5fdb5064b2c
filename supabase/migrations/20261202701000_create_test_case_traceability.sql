-- Traceability and exceptions of test execution: the chain of approved versions behind one test case, and the
-- failed test cases (the exceptions the observations phase will turn into observations). Both run with the
-- caller's rights, so they show only the cases the caller can read.

create view public.test_case_traceability
with (security_invoker = true)
as
select t.id as test_case_id,
       t.version_id as test_execution_version_id,
       tv.version_number as test_execution_version_number,
       tv.cycle_report_id,
       t.sample_key,
       t.attribute_name,
       t.result,
       t.sample_decision_id,
       t.attribute_id,
       t.sample_selection_version_id,
       sv.version_number as sample_selection_version_number,
       sv.approved_at as sample_selection_approved_at,
       t.planning_version_id,
       pv.version_number as planning_version_number,
       pv.approved_at as planning_approved_at,
       t.scoping_version_id,
       cv.version_number as scoping_version_number,
       cv.approved_at as scoping_approved_at,
       (select d.id from public.scoping_decisions d
         where d.version_id = t.scoping_version_id and d.attribute_id = t.attribute_id) as scoping_decision_id,
       t.profiling_version_id,
       fv.version_number as profiling_version_number,
       fv.approved_at as profiling_approved_at
  from public.test_cases t
  join public.artifact_versions tv on tv.id = t.version_id
  join public.artifact_versions sv on sv.id = t.sample_selection_version_id
  join public.artifact_versions pv on pv.id = t.planning_version_id
  left join public.artifact_versions cv on cv.id = t.scoping_version_id
  left join public.artifact_versions fv on fv.id = t.profiling_version_id;
comment on view public.test_case_traceability is
  'The chain behind each test case: its test-execution version, the approved sample (sample_decision_id) of the approved sample-selection version, the attribute of the approved planning version, the approved scoping version and decision that put it in scope (null when scoping was skipped) and the approved data-profiling version (null when skipped), with each version''s number and approval time. Filter by test_case_id for one case. Runs with the caller''s rights.';

create view public.test_exceptions
with (security_invoker = true)
as
select t.id as test_case_id, t.version_id, v.cycle_report_id, v.version_number, t.sample_key, t.attribute_name,
       t.reported_value, t.source_value, t.expected_value, t.exception_description, t.evidence,
       t.prepared_by, t.prepared_at, t.tester_decided_by as reviewed_by, t.tester_decided_at as reviewed_at
  from public.test_cases t
  join public.artifact_versions v on v.id = t.version_id
 where t.result = 'fail';
comment on view public.test_exceptions is
  'The failed test cases of every test-execution version: the exceptions, with the values compared, the description, the evidence, the preparer and the reviewer. The observations phase proposes an observation from each. Runs with the caller''s rights.';

revoke all on public.test_case_traceability, public.test_exceptions from anon, public;
grant select on public.test_case_traceability, public.test_exceptions to authenticated, service_role;
