-- The report owner's approval of the test report completes the test report phase, and with it the cycle report.
-- The owner does no tester's work, so check_phase_completion (restated, the small part of guard_workflow_phase)
-- lets through the completion this approval makes; every other condition of completion still holds.

create or replace function private.check_phase_completion(p_old public.workflow_phases)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.can_work_on_cycle_report(p_old.cycle_report_id)
     and pg_catalog.current_setting('regtest.completing_phase_by_approval', true) is distinct from p_old.id::text then
    raise exception using errcode = 'PT403', detail = 'complete_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can complete a phase.';
  end if;
  perform private.check_phase_activities_done(p_old);
  perform private.check_phase_artifact_approved(p_old);
end;
$$;
comment on function private.check_phase_completion(public.workflow_phases) is
  'Part of guard_workflow_phase: in_progress → completed needs an assigned tester (or an admin), or the approval of the phase''s version that completes it (complete_phase_on_approval), the required activities done and, where the phase has an artifact, an approved version. Errors: PT403 complete_requires_tester (and those of check_phase_activities_done, check_phase_artifact_approved).';
revoke execute on function private.check_phase_completion(public.workflow_phases) from public;

create function private.complete_phase_on_approval()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_marker text := pg_catalog.current_setting('regtest.completing_phase_by_approval', true);
begin
  perform pg_catalog.set_config('regtest.completing_phase_by_approval', new.phase_id::text, true);
  update public.workflow_phases p set status = 'completed' where p.id = new.phase_id and p.status = 'in_progress';
  perform pg_catalog.set_config('regtest.completing_phase_by_approval', coalesce(v_marker, ''), true);
  return null;
end;
$$;
comment on function private.complete_phase_on_approval() is
  'Trigger on artifact_versions when a test-report version is approved, after its proven activities follow (sync_proven_activities): completes the test report phase, so the report owner''s signature completes the cycle report. The completion''s conditions are the guard''s as for any phase.';
revoke execute on function private.complete_phase_on_approval() from public;

-- Named to run after sync_proven_activities (triggers run in name order).
create trigger upon_test_report_approval after update of version_status on public.artifact_versions
  for each row when (new.phase_name = 'test_report' and new.version_status = 'approved' and old.version_status is distinct from 'approved')
  execute function private.complete_phase_on_approval();
