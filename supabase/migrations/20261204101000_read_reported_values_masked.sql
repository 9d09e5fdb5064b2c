-- A test case's reported value is read from its sample, masked when read.
--
-- Before: test_cases.reported_value was copied from the sample's values when the test-execution version was made,
-- masked as the sample was at its draw, and kept there (and in audit_log) whatever planning classified later.
-- Now the row holds no value (reported_value is null; a trigger keeps it so for every insert), and the value is
-- read through the computed field public.masked_reported_value(test_cases) (REST: select=masked_reported_value):
-- the sample's value of the attribute's source column (private.sample_values), '***' where the column is masked at
-- the time of the read, as a tester saw a masked value at the draw before. The failed cases
-- (public.test_exceptions) and the test report's test cases (private.test_report_test_cases) read it the same way.
-- Restates the view public.test_exceptions (20261202701000) and private.test_report_test_cases (20261203700000).

create function public.masked_reported_value(p_case public.test_cases)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case when v.columns ? a.source_column
              then private.mask_values(jsonb_build_object(a.source_column, v.columns -> a.source_column), v.data_source_id)
                   ->> a.source_column end
    from public.test_cases t
    join public.artifact_versions av on av.id = t.version_id
    join public.planning_attributes a on a.id = t.attribute_id
    join public.sample_decisions s on s.id = t.sample_decision_id
    join private.sample_values v on (v.version_id, v.sample_key) = (s.version_id, s.sample_key)
   where t.id = p_case.id
     and (private.is_privileged() or private.can_read_cycle_report(av.cycle_report_id))
$$;
comment on function public.masked_reported_value(public.test_cases) is
  'The value reported for a test case: its sample''s value of the attribute''s source column, ''***'' where that column is classified confidential or restricted, or flagged as personal data, by any planning version at the time of the read (private.profiling_masked_source_columns). A computed field: REST select=masked_reported_value on test_cases. Null for a case the caller cannot read or whose sample holds no value of the column.';
revoke all on function public.masked_reported_value(public.test_cases) from public, anon, authenticated, service_role;
grant execute on function public.masked_reported_value(public.test_cases) to authenticated;

create function private.withhold_reported_value()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.reported_value := null;
  return new;
end;
$$;
comment on function private.withhold_reported_value() is
  'Trigger on test_cases, the last before insert: the row holds no reported value (read it with public.masked_reported_value), so neither REST nor the audit log shows one.';
revoke all on function private.withhold_reported_value() from public;

create trigger withhold_reported_value
  before insert on public.test_cases
  for each row execute function private.withhold_reported_value();

comment on column public.test_cases.reported_value is
  'Always null since 20261204101000: the value reported is read from the sample, masked by the current classification, through the computed field masked_reported_value (REST select=masked_reported_value).';

create or replace view public.test_exceptions with (security_invoker = true) as
 select t.id as test_case_id,
    t.version_id,
    v.cycle_report_id,
    v.version_number,
    t.sample_key,
    t.attribute_name,
    public.masked_reported_value(t) as reported_value,
    t.source_value,
    t.expected_value,
    t.exception_description,
    t.evidence,
    t.prepared_by,
    t.prepared_at,
    t.tester_decided_by as reviewed_by,
    t.tester_decided_at as reviewed_at
   from public.test_cases t
     join public.artifact_versions v on v.id = t.version_id
  where t.result = 'fail';
comment on view public.test_exceptions is
  'The failed test cases of every test-execution version: the exceptions, with the values compared (the reported value masked by the current classification), the description, the evidence, the preparer and the reviewer. The observations phase proposes an observation from each. Runs with the caller''s rights.';

create or replace function private.test_report_test_cases(p_cycle_report_id bigint)
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
               'sample_key', t.sample_key, 'attribute', t.attribute_name, 'reported_value', public.masked_reported_value(t),
               'source_value', t.source_value, 'expected_value', t.expected_value, 'result', t.result,
               'exception', t.exception_description, 'evidence', jsonb_array_length(t.evidence),
               'prepared_by', private.person_label(t.prepared_by), 'reviewed_by', private.person_label(t.tester_decided_by))
             order by t.sample_key, t.attribute_name)
        from public.test_cases t where t.version_id = (select id from testing)), '[]'))
$$;
comment on function private.test_report_test_cases(bigint) is
  'The test cases section of a test report: every case of the approved test-execution version (sample, attribute, reported value masked by the classification when the content is generated, source and expected values, result, exception, number of evidence references, preparer and reviewer).';

-- Values already stored: the sample holds them (private.sample_values, 20261204100000). A one-off correction by
-- the migration, not a change of content (the audit rows that copied them are scrubbed by 20261204103000).
alter table public.test_cases disable trigger user;
update public.test_cases set reported_value = null where reported_value is not null;
alter table public.test_cases enable trigger user;
