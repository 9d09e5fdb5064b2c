-- Test execution: one test case per approved sample of the approved sample-selection version and per in-scope
-- attribute whose testing approach includes sample testing, as items of a test-execution version (decision 024).
--
-- The preparer records the result (prepared_by/at, stamped by the database). The reviewer signs the case off with
-- the version machinery's tester decision ('approved'): a second assigned tester or an admin, never the preparer.
-- Any change to a signed-off case clears the sign-off and records why (review_voided_*), so submit_version's
-- "every item has a tester decision" means every case is prepared and reviewed. The report owner approves the
-- version as a whole. Each case records the approved versions it came from.

update public.phase_definitions
   set has_artifact = true, basis_phase = 'sample_selection', owner_item_review = false, carry_forward_approved = false
 where name = 'test_execution';

-- What proves the phase's activities: every case signed off and the version submitted; the owner's approval.
update public.activity_definitions d
   set proof = p.proof::public.activity_proof
  from (values ('test_execution', 'execute_tests', 'version_submitted'),
               ('test_execution', 'review_test_results', 'version_approved')) as p(phase_name, activity_code, proof)
 where d.phase_name = p.phase_name and d.activity_code = p.activity_code;
-- Activities of existing cycle reports keep the proofs they were created with (an activity's proof never changes).

create table public.test_cases (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  sample_decision_id uuid not null references public.sample_decisions (id),
  attribute_id uuid not null references public.planning_attributes (id),
  sample_key text not null,
  attribute_name text not null,
  reported_value text,
  source_value text check (char_length(source_value) <= 10000),
  expected_value text check (char_length(expected_value) <= 10000),
  result text check (result in ('pass', 'fail', 'not_applicable', 'unable_to_test')),
  exception_description text check (char_length(exception_description) <= 4000),
  evidence jsonb not null default '[]' check (jsonb_typeof(evidence) = 'array'),
  test_notes text check (char_length(test_notes) <= 4000),
  prepared_by uuid references public.profiles (id),
  prepared_at timestamptz,
  review_voided_at timestamptz,
  review_voided_by uuid references public.profiles (id),
  review_void_reason text,
  planning_version_id uuid not null references public.artifact_versions (id),
  scoping_version_id uuid references public.artifact_versions (id),
  profiling_version_id uuid references public.artifact_versions (id),
  sample_selection_version_id uuid not null references public.artifact_versions (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, sample_decision_id, attribute_id)
);
comment on table public.test_cases is
  'The tests of a test-execution version: one per approved sample of the approved sample-selection version and in-scope attribute whose testing approach includes sample testing, made with the version. The value reported (from the sample), the value in the source evidence, the expected value, the result and the exception, evidence references, the preparer (who recorded the result) and the reviewer''s sign-off (the machinery''s tester decision), and the approved versions the case came from.';
comment on column public.test_cases.sample_decision_id is 'The approved sample (sample_decisions.id) of the sample-selection version the test-execution version is based on.';
comment on column public.test_cases.attribute_id is 'The in-scope attribute (planning_attributes.id) of the approved planning version.';
comment on column public.test_cases.sample_key is 'The sample''s key, copied when the case is made.';
comment on column public.test_cases.attribute_name is 'The attribute''s name, copied when the case is made.';
comment on column public.test_cases.reported_value is 'The value reported: the sample''s value of the attribute''s source column (masked as the sample is), filled by the database.';
comment on column public.test_cases.source_value is 'The value found in the source evidence, entered by the preparer.';
comment on column public.test_cases.expected_value is 'The value a rule derives, where one does.';
comment on column public.test_cases.result is 'pass | fail | not_applicable | unable_to_test; null until prepared. A failure needs exception_description.';
comment on column public.test_cases.exception_description is 'What the exception is (required when the result is fail); failed cases are listed in public.test_exceptions.';
comment on column public.test_cases.evidence is 'References to the evidence files: a JSON array of objects {"name", "path" or "url", "source": "rfi" | "upload" | "other"}. Stored generically: the files themselves live in storage or with the RFI response.';
comment on column public.test_cases.test_notes is 'The preparer''s notes on the test.';
comment on column public.test_cases.prepared_by is 'Who last changed the test content (the preparer), stamped by the database.';
comment on column public.test_cases.prepared_at is 'When the test content last changed, stamped by the database.';
comment on column public.test_cases.review_voided_at is 'When a change to the signed-off case cleared its review; null if never.';
comment on column public.test_cases.review_voided_by is 'Who made the change that cleared the review.';
comment on column public.test_cases.review_void_reason is 'Why the review was cleared: the columns changed after sign-off.';
comment on column public.test_cases.planning_version_id is 'Traceability: the approved planning version the case came from.';
comment on column public.test_cases.scoping_version_id is 'Traceability: the approved scoping version that put the attribute in scope (null when scoping was skipped).';
comment on column public.test_cases.profiling_version_id is 'Traceability: the approved data-profiling version of the cycle report when the case was made (null when profiling was skipped).';
comment on column public.test_cases.sample_selection_version_id is 'Traceability: the approved sample-selection version the sample came from.';

create index test_cases_sample_decision_id_idx on public.test_cases (sample_decision_id);
create index test_cases_attribute_id_idx on public.test_cases (attribute_id);
create index test_cases_planning_version_id_idx on public.test_cases (planning_version_id);
create index test_cases_scoping_version_id_idx on public.test_cases (scoping_version_id);
create index test_cases_profiling_version_id_idx on public.test_cases (profiling_version_id);
create index test_cases_sample_selection_version_id_idx on public.test_cases (sample_selection_version_id);
create index test_cases_prepared_by_idx on public.test_cases (prepared_by);
create index test_cases_review_voided_by_idx on public.test_cases (review_voided_by);

create trigger touch_updated_at before update on public.test_cases
  for each row execute function private.touch_updated_at();

select private.attach_versioned_items('public.test_cases', 'test_execution', 0);

-- Cases are made by the database; people record results and sign-offs.
revoke insert, update, delete on table public.test_cases from authenticated;
grant update (source_value, expected_value, result, exception_description, evidence, test_notes, tester_decision,
  tester_notes) on table public.test_cases to authenticated;
grant all on table public.test_cases to service_role;

-- Making the cases of a new version ----------------------------------------------------------------------------
create function private.build_test_cases()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_marker text := pg_catalog.current_setting('regtest.building_test_execution_version_id', true);
  v_planning uuid;
  v_scoping uuid;
  v_profiling uuid;
begin
  select s.based_on_version_id into v_planning from public.artifact_versions s where s.id = new.based_on_version_id;
  select v.id into v_scoping from public.artifact_versions v
   where v.cycle_report_id = new.cycle_report_id and v.phase_name = 'scoping' and v.version_status = 'approved';
  select v.id into v_profiling from public.artifact_versions v
   where v.cycle_report_id = new.cycle_report_id and v.phase_name = 'data_profiling' and v.version_status = 'approved';

  perform pg_catalog.set_config('regtest.building_test_execution_version_id', new.id::text, true);
  insert into public.test_cases (version_id, sample_decision_id, attribute_id, sample_key, attribute_name, reported_value,
    planning_version_id, scoping_version_id, profiling_version_id, sample_selection_version_id)
  select new.id, s.id, a.id, s.sample_key, a.name, s.sample_data ->> a.source_column,
         v_planning, v_scoping, v_profiling, new.based_on_version_id
    from public.sample_decisions s
   cross join public.planning_attributes a
   where s.version_id = new.based_on_version_id and s.item_status = 'approved'
     and a.version_id = v_planning and a.item_status = 'approved'
     and a.id in (select private.in_scope_attribute_ids(new.cycle_report_id))
     and not exists (select 1 from public.scoping_decisions d
                      where d.version_id = v_scoping and d.attribute_id = a.id and d.testing_approach = 'data_quality_rules')
     and not exists (select 1 from public.test_cases t
                      where t.version_id = new.id and t.sample_decision_id = s.id and t.attribute_id = a.id)
   order by s.sample_key, a.name;
  perform pg_catalog.set_config('regtest.building_test_execution_version_id', coalesce(v_marker, ''), true);
  return null;
end;
$$;
comment on function private.build_test_cases() is
  'Trigger on artifact_versions insert of a test-execution version, after create_version''s copy: adds a test case for every approved sample of the sample-selection version the version is based on and every approved attribute of that version''s planning version that is in scope (private.in_scope_attribute_ids) and whose testing approach is not data quality rules only, that has none yet; reported_value is the sample''s value of the attribute''s source column; the case records the approved planning, scoping, profiling and sample-selection versions. The transaction-local marker regtest.building_test_execution_version_id lets its inserts past shape_test_case.';
revoke execute on function private.build_test_cases() from public;

create trigger rebuild_test_cases after insert on public.artifact_versions
  for each row when (new.phase_name = 'test_execution') execute function private.build_test_cases();

-- The phase's own rules ---------------------------------------------------------------------------------------
create function private.shape_test_case()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changed text[];
  v_signing boolean;
begin
  if tg_op = 'DELETE' then
    if exists (select 1 from public.artifact_versions v where v.id = old.version_id) then
      raise exception using errcode = 'PT409', detail = 'test_case_made_by_database',
        message = 'Test cases are made from the approved samples and in-scope attributes; they cannot be removed.';
    end if;
    return old;
  end if;

  if tg_op = 'INSERT' then
    if private.is_copying_version(new.version_id) then
      return new;
    end if;
    if pg_catalog.current_setting('regtest.building_test_execution_version_id', true) is distinct from new.version_id::text then
      raise exception using errcode = 'PT409', detail = 'test_case_made_by_database',
        message = 'Test cases are made by the database when a test-execution version is created.';
    end if;
    new.result := null; new.source_value := null; new.expected_value := null; new.exception_description := null;
    new.evidence := '[]'; new.test_notes := null; new.prepared_by := null; new.prepared_at := null;
    return new;
  end if;

  if (new.sample_decision_id, new.attribute_id, new.sample_key, new.attribute_name, new.reported_value,
      new.planning_version_id, new.scoping_version_id, new.profiling_version_id, new.sample_selection_version_id,
      new.prepared_by, new.prepared_at, new.review_voided_at, new.review_voided_by, new.review_void_reason)
     is distinct from
     (old.sample_decision_id, old.attribute_id, old.sample_key, old.attribute_name, old.reported_value,
      old.planning_version_id, old.scoping_version_id, old.profiling_version_id, old.sample_selection_version_id,
      old.prepared_by, old.prepared_at, old.review_voided_at, old.review_voided_by, old.review_void_reason) then
    raise exception using errcode = 'PT409', detail = 'test_case_column_derived',
      message = 'A test case''s sample, attribute, reported value, lineage, preparer and review history are the database''s.';
  end if;

  select coalesce(array_agg(c order by c), '{}') into v_changed
    from unnest(array[
      case when new.source_value is distinct from old.source_value then 'source_value' end,
      case when new.expected_value is distinct from old.expected_value then 'expected_value' end,
      case when new.result is distinct from old.result then 'result' end,
      case when new.exception_description is distinct from old.exception_description then 'exception_description' end,
      case when new.evidence is distinct from old.evidence then 'evidence' end,
      case when new.test_notes is distinct from old.test_notes then 'test_notes' end]) c
   where c is not null;
  v_signing := new.tester_decision is not null and new.tester_decision is distinct from old.tester_decision;

  if new.result = 'fail' and coalesce(btrim(new.exception_description), '') = '' then
    raise exception using errcode = 'PT400', detail = 'exception_description_required',
      message = 'A failed test needs the exception''s description.';
  end if;

  if cardinality(v_changed) > 0 then
    if v_signing then
      raise exception using errcode = 'PT409', detail = 'review_with_change',
        message = 'A test case is changed or signed off, not both at once.';
    end if;
    new.prepared_by := auth.uid();
    new.prepared_at := now();
    if old.tester_decision is not null then
      -- Any change to a reviewed test voids its review: the database clears it and records why.
      new.tester_decision := null;
      new.tester_decided_by := null;
      new.tester_decided_at := null;
      new.review_voided_at := now();
      new.review_voided_by := auth.uid();
      new.review_void_reason := 'Changed after review: ' || array_to_string(v_changed, ', ');
    end if;
  end if;

  if v_signing then
    if new.tester_decision <> 'approved' then
      raise exception using errcode = 'PT409', detail = 'review_is_sign_off',
        message = 'A reviewer signs a test case off (approved); to send it back, write a note and leave it unsigned.';
    end if;
    if new.result is null then
      raise exception using errcode = 'PT409', detail = 'test_case_not_prepared',
        message = 'A test case is reviewed once its result is recorded.';
    end if;
    if new.prepared_by = auth.uid() then
      raise exception using errcode = 'PT403', detail = 'reviewer_is_preparer',
        message = 'You prepared this test, so another tester reviews it.';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.shape_test_case() is
  'Trigger on test_cases (after the item guard): cases are made and removed by the database only (PT409 test_case_made_by_database); sample, attribute, reported value, lineage, preparer and review history are derived (PT409 test_case_column_derived); a change to the content stamps prepared_by/at and, on a signed-off case, clears the sign-off and records why in review_voided_*; a sign-off is tester_decision approved (PT409 review_is_sign_off) of a prepared case (PT409 test_case_not_prepared) by someone other than its preparer (PT403 reviewer_is_preparer), not in the same change as the content (PT409 review_with_change); a failure needs its description (PT400 exception_description_required).';
revoke execute on function private.shape_test_case() from public;

-- Named to run after guard_versioned_item and segregate_item_decisions, so state and role are refused first.
create trigger shape_test_case
  before insert or update or delete on public.test_cases
  for each row execute function private.shape_test_case();
