-- A data-profiling version is built from the approved planning version of its cycle report: its rules check
-- that version's approved attributes. The reference is a column of artifact_versions (with a foreign key)
-- rather than a value in summary, so it cannot be edited and can be joined. The database sets it.

alter table public.artifact_versions
  add column based_on_version_id uuid references public.artifact_versions (id);
comment on column public.artifact_versions.based_on_version_id is
  'The approved version of an earlier phase this version builds on (data profiling: the planning version whose attributes its rules check). Set by the database when the version is created; never changes.';
create index artifact_versions_based_on_version_id_idx on public.artifact_versions (based_on_version_id);

create function private.set_version_basis()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.based_on_version_id is distinct from old.based_on_version_id then
      raise exception using errcode = 'PT409', detail = 'version_column_immutable',
        message = 'The version a version is built from cannot change.';
    end if;
    return new;
  end if;

  if new.phase_name <> 'data_profiling' then
    new.based_on_version_id := null;
    return new;
  end if;
  -- Phases that are completed never reopen, so the planning approval a profiling version sees is final.
  select v.id into new.based_on_version_id
    from public.artifact_versions v
   where v.cycle_report_id = new.cycle_report_id and v.phase_name = 'planning' and v.version_status = 'approved';
  if new.based_on_version_id is null then
    raise exception using errcode = 'PT409', detail = 'approved_planning_version_required',
      message = 'Profiling rules are built from the approved planning version, and this cycle report has none.',
      hint = 'Get the planning version approved first.';
  end if;
  return new;
end;
$$;
comment on function private.set_version_basis() is
  'Trigger: a data-profiling version is based on the approved planning version of its cycle report (PT409 approved_planning_version_required when there is none); the reference never changes (PT409 version_column_immutable).';

-- Named to run after version_before_insert, which fills in cycle_report_id and phase_name.
create trigger version_set_basis
  before insert or update of based_on_version_id on public.artifact_versions
  for each row execute function private.set_version_basis();

revoke execute on function private.set_version_basis() from public;
