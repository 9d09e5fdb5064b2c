-- Sign-offs on a new test-execution version (decision 031). A revision after a rejection is built by the version
-- machinery's copy, which now carries test execution's approved items forward (carry_forward_approved): a copied
-- case keeps its reviewer's sign-off, stamped as it was given, and says where it came from
-- (review_carried_from_id, the case of the parent version). A case whose sample is no longer an approved sample
-- of the version's basis, or whose attribute is no longer in scope and tested by samples, is not carried signed
-- off: the copy records why (review_void_reason "Not carried: ..."). Any later change to a carried case voids its
-- sign-off as for any other (shape_test_case), and a sign-off given in the new version replaces the lineage.

update public.phase_definitions set carry_forward_approved = true where name = 'test_execution';

alter table public.test_cases add column review_carried_from_id uuid references public.test_cases (id);
create index test_cases_review_carried_from_id_idx on public.test_cases (review_carried_from_id);
comment on column public.test_cases.review_carried_from_id is
  'When the sign-off was carried from the parent version by create_version''s copy: the case of the parent version it came from (its tester_decided_by/at are the original reviewer and time); null when the case was signed off in this version or is not signed off. Set by the database.';

create function private.carry_test_case_review()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_reason text;
begin
  if tg_op = 'UPDATE' then
    -- The lineage holds only while the carried sign-off itself stands (cleared by a change, or signed anew).
    new.review_carried_from_id := case
      when (new.tester_decision, new.tester_decided_by, new.tester_decided_at)
           is not distinct from (old.tester_decision, old.tester_decided_by, old.tester_decided_at)
      then old.review_carried_from_id end;
    return new;
  end if;

  new.review_carried_from_id := null;
  if not private.is_copying_version(new.version_id) or new.parent_item_id is null or new.tester_decision is null then
    return new;
  end if;
  select * into v_version from public.artifact_versions v where v.id = new.version_id;
  if not exists (select 1 from public.sample_decisions s
                  where s.id = new.sample_decision_id and s.version_id = v_version.based_on_version_id
                    and s.item_status = 'approved') then
    v_reason := 'the sample is not an approved sample of the sample selection this version is built from';
  elsif new.attribute_id not in (select private.in_scope_attribute_ids(v_version.cycle_report_id))
        or exists (select 1 from public.scoping_decisions d
                     join public.artifact_versions sv on sv.id = d.version_id
                    where sv.cycle_report_id = v_version.cycle_report_id and sv.phase_name = 'scoping'
                      and sv.version_status = 'approved' and d.attribute_id = new.attribute_id
                      and d.testing_approach = 'data_quality_rules') then
    v_reason := 'the attribute is no longer in scope for sample testing';
  end if;
  if v_reason is null then
    new.review_carried_from_id := new.parent_item_id;
  else
    new.tester_decision := null;
    new.tester_notes := null;
    new.review_voided_at := now();
    new.review_voided_by := auth.uid();
    new.review_void_reason := format('Not carried to version %s: %s', v_version.version_number, v_reason);
  end if;
  return new;
end;
$$;
comment on function private.carry_test_case_review() is
  'Triggers on test_cases. Before insert (before the item guard), when create_version''s copy carries a signed-off case: keeps the sign-off and records its lineage (review_carried_from_id = the parent case) when the case''s sample is still an approved sample of the version''s basis and its attribute still in scope and tested by samples; otherwise drops the sign-off and records why in review_voided_* ("Not carried to version N: ..."). Before update (after shape_test_case): the lineage is kept only while the carried sign-off stands unchanged.';
revoke execute on function private.carry_test_case_review() from public;

-- Named so the insert runs before guard_versioned_item (which stamps the carried decision) and the update after
-- shape_test_case (which clears a sign-off on change).
create trigger carry_test_case_review before insert on public.test_cases
  for each row execute function private.carry_test_case_review();
create trigger unlink_carried_review before update on public.test_cases
  for each row execute function private.carry_test_case_review();
