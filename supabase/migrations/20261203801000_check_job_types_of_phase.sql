-- A background job that works on a version is of one of the job types of that version's phase
-- (phase_definitions.job_types), as the phase's data says: a profiling version gets rule executions and rule
-- generation, a planning version attribute generation, and no version a job type its phase does not list.
-- A dedicated pool of workers serves a lane of a type of its own, named `<type>.<lane>`
-- (e.g. profiling.execute.nightly), which counts as that type. Jobs of no version are not checked.

create function private.check_job_type_of_phase()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_phase text;
  v_types text[];
begin
  if new.version_id is null then
    return new;
  end if;
  select v.phase_name, d.job_types into v_phase, v_types
    from public.artifact_versions v
    join public.phase_definitions d on d.name = v.phase_name
   where v.id = new.version_id;
  if v_phase is null then
    return new; -- the foreign key refuses a version that does not exist
  end if;
  if not exists (select 1 from unnest(v_types) t where new.job_type = t or starts_with(new.job_type, t || '.')) then
    raise exception using errcode = 'PT400', detail = 'job_type_not_of_phase',
      message = format('A %s job does not work on a %s version.', new.job_type, v_phase),
      hint = case when cardinality(v_types) = 0 then format('The %s phase has no background jobs.', v_phase)
                  else format('The %s phase''s job types: %s.', v_phase, array_to_string(v_types, ', ')) end;
  end if;
  return new;
end;
$$;

comment on function private.check_job_type_of_phase() is
  'Trigger on background_jobs: a job of a version has one of the job types of the version''s phase (phase_definitions.job_types), or a lane of one (<type>.<lane>); PT400 job_type_not_of_phase otherwise. Jobs of no version pass.';

revoke all on function private.check_job_type_of_phase() from public;

create trigger check_job_type_of_phase
  before insert or update of job_type, version_id on public.background_jobs
  for each row execute function private.check_job_type_of_phase();

comment on column public.phase_definitions.job_types is
  'The background job types (background_jobs.job_type) that work on the phase''s versions, e.g. generation of proposals or execution of rules; a job of a version of another type (or lane <type>.<lane> of one) is refused (PT400 job_type_not_of_phase).';
