-- A skipped phase is final: a version it left open (a draft, or one awaiting approval when an admin skipped the
-- phase) can no longer be submitted or approved, so no approved artifact appears in a phase the cycle moved past.
-- It can still be rejected or, as a draft, deleted.

create function private.refuse_approval_in_skipped_phase()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.version_status in ('pending_approval', 'approved')
     and exists (select 1 from public.workflow_phases p where p.id = new.phase_id and p.status = 'skipped') then
    raise exception using errcode = 'PT409', detail = 'phase_skipped',
      message = format('The %s phase was skipped, so its versions are no longer submitted or approved.',
        replace(new.phase_name, '_', ' '));
  end if;
  return new;
end;
$$;
comment on function private.refuse_approval_in_skipped_phase() is
  'Trigger on artifact_versions: a version of a skipped phase is never submitted or approved. Errors: PT409 phase_skipped.';
revoke all on function private.refuse_approval_in_skipped_phase() from public;

create trigger refuse_approval_in_skipped_phase
  before update of version_status on public.artifact_versions
  for each row when (new.version_status is distinct from old.version_status)
  execute function private.refuse_approval_in_skipped_phase();
