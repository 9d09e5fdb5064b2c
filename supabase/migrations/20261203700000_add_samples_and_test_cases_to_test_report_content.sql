-- The test report's content carries what its exports list (decision 032): every sample of the approved
-- sample-selection version with its lineage and decisions, every test case of the approved test-execution version
-- with its preparer and reviewer, and each raised observation in full (condition to validation, the remediation
-- owner, the report lines). The sections the report already had are generated as before, by the former
-- test_report_content under a new name; the new test_report_content adds these sections to them. Names are frozen
-- into the content as they are at generation, so a submitted report names who did the work then.
-- A draft test report generated before this migration is out of date: refresh_test_report picks the new sections
-- up. Submitted and approved versions keep the content they were frozen with.

alter function private.test_report_content(bigint) rename to test_report_record_sections;
comment on function private.test_report_record_sections(bigint) is
  'The sections of a cycle report''s test report generated since the report was built (decision 025), from the approved version of each phase: report (name, regulation, cycle, period); scope (every approved planning attribute, in or out of scope, approach, risk and reason); data_quality (the approved profiling rules with their latest result and the number of runs); sampling (method, seed, generator, size and its basis, population, approved samples, the latest re-performance verdict); test_results (per attribute: tested, passed, failed, not applicable, unable to test); observations (replaced by private.test_report_observations in test_report_content).';

create function private.person_label(p_profile_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(nullif(btrim(p.full_name), ''), p.email) from public.profiles p where p.id = p_profile_id
$$;
comment on function private.person_label(uuid) is
  'How a person is named in generated content: their full name, else their email; null for no one.';
revoke execute on function private.person_label(uuid) from public;

create function private.test_report_observations(p_cycle_report_id bigint)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'by_severity', (select jsonb_object_agg(s.severity, (select count(*) from public.observations o
                                                          where o.cycle_report_id = p_cycle_report_id and o.severity = s.severity
                                                            and o.status <> 'draft'))
                      from unnest(array['critical', 'high', 'medium', 'low']) s(severity)),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'title', o.title, 'severity', o.severity, 'category', o.category, 'status', o.status,
               'condition', o.condition, 'criteria', o.criteria, 'cause', o.cause, 'consequence', o.consequence,
               'root_cause', o.root_cause,
               'impacted_attributes', (select coalesce(jsonb_agg(a.name order by a.name), '[]')
                                         from public.planning_attributes a where a.id = any (o.impacted_attribute_ids)),
               'impacted_report_lines', to_jsonb(o.impacted_report_lines),
               'evidence', (select count(*) from public.observation_evidence e where e.observation_id = o.id),
               'remediation_owner', private.person_label(o.remediation_owner_id), 'due_date', o.due_date,
               'owner_response', o.owner_response, 'remediation_plan', o.remediation_plan,
               'validation_evidence', o.validation_evidence, 'raised_by', private.person_label(o.raised_by))
             order by case o.severity when 'critical' then 1 when 'high' then 2 when 'medium' then 3 else 4 end,
                      o.title, o.created_at)
        from public.observations o where o.cycle_report_id = p_cycle_report_id and o.status <> 'draft'), '[]'))
$$;
comment on function private.test_report_observations(bigint) is
  'The observations section of a test report: the raised observations (drafts left out) counted by severity, and each in full: title, severity, category, status, condition, criteria, cause, consequence, root cause, impacted attributes and report lines, number of evidence links, remediation owner, due date, owner response, remediation plan, validation evidence, who raised it.';
revoke execute on function private.test_report_observations(bigint) from public;

create function private.test_report_samples(p_cycle_report_id bigint)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with sampling as (
    select v.id, v.version_number from public.artifact_versions v
     where v.cycle_report_id = p_cycle_report_id and v.phase_name = 'sample_selection' and v.version_status = 'approved'
  )
  select jsonb_build_object(
    'sample_selection_version', (select version_number from sampling),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'sample_key', s.sample_key, 'draw_position', s.selection_order, 'stratum', s.stratum,
               'source', s.recommendation_source, 'recommended_by', private.person_label(s.recommended_by),
               'carried_from_version', (select f.version_number from public.artifact_versions f where f.id = s.carried_from_version_id),
               'selection_reason', s.selection_reason,
               'replaced_by', (select r.sample_key from public.sample_decisions r where r.id = s.replaced_by_decision_id),
               'replacement_reason', s.replacement_reason, 'status', s.item_status,
               'tester_decision', s.tester_decision, 'tester_decided_by', private.person_label(s.tester_decided_by),
               'owner_decision', s.report_owner_decision, 'owner_decided_by', private.person_label(s.report_owner_decided_by))
             order by s.selection_order nulls last, s.sample_key)
        from public.sample_decisions s where s.version_id = (select id from sampling)), '[]'))
$$;
comment on function private.test_report_samples(bigint) is
  'The samples section of a test report: every sample of the approved sample-selection version with its lineage (source, who recommended it, the version it was carried from, why it was selected, its replacement) and the tester''s and owner''s decisions with who made them.';
revoke execute on function private.test_report_samples(bigint) from public;

create function private.test_report_test_cases(p_cycle_report_id bigint)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with testing as (
    select v.id, v.version_number from public.artifact_versions v
     where v.cycle_report_id = p_cycle_report_id and v.phase_name = 'test_execution' and v.version_status = 'approved'
  )
  select jsonb_build_object(
    'test_execution_version', (select version_number from testing),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'sample_key', t.sample_key, 'attribute', t.attribute_name, 'reported_value', t.reported_value,
               'source_value', t.source_value, 'expected_value', t.expected_value, 'result', t.result,
               'exception', t.exception_description, 'evidence', jsonb_array_length(t.evidence),
               'prepared_by', private.person_label(t.prepared_by), 'reviewed_by', private.person_label(t.tester_decided_by))
             order by t.sample_key, t.attribute_name)
        from public.test_cases t where t.version_id = (select id from testing)), '[]'))
$$;
comment on function private.test_report_test_cases(bigint) is
  'The test cases section of a test report: every case of the approved test-execution version (sample, attribute, reported, source and expected values, result, exception, number of evidence references, preparer and reviewer).';
revoke execute on function private.test_report_test_cases(bigint) from public;

create function private.test_report_content(p_cycle_report_id bigint)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select private.test_report_record_sections(p_cycle_report_id)
         || jsonb_build_object('observations', private.test_report_observations(p_cycle_report_id),
                               'samples', private.test_report_samples(p_cycle_report_id),
                               'test_cases', private.test_report_test_cases(p_cycle_report_id))
$$;
comment on function private.test_report_content(bigint) is
  'The generated content of a cycle report''s test report: the record sections (report, scope, data_quality, sampling, test_results; private.test_report_record_sections), observations in full (private.test_report_observations), samples with lineage (private.test_report_samples) and test cases (private.test_report_test_cases). Deterministic for given records, so submit can check a report is current.';
revoke execute on function private.test_report_content(bigint) from public;
