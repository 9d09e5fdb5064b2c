-- Deleting a draft no longer fails because a background job (a generation run) was queued for it.
--
-- background_jobs.version_id now drops the link when the version is deleted (on delete set null), as
-- llm_interactions already do: the job stays on record for its cycle report. A job that was still queued or
-- running ends as cancelled in the same statement, so no worker claims it again; a worker in the middle of
-- it gets PT409 lease_lost on its next heartbeat or write and stops, as after cancel_job. Only drafts can be
-- deleted, so only generation jobs are concerned (rule executions run on approved versions).
-- The partial unique indexes on active jobs per version ignore null version ids.

alter table public.background_jobs
  drop constraint background_jobs_version_id_fkey,
  add constraint background_jobs_version_id_fkey foreign key (version_id)
    references public.artifact_versions (id) on delete set null;
comment on column public.background_jobs.version_id is
  'The version the job works on; null once that version (a draft) was deleted, and an active job is then cancelled.';

create function private.cancel_job_of_deleted_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status in ('queued', 'running') then
    new.status := 'cancelled';
    new.completed_at := now();
    new.lease_owner := null;
    new.lease_expires_at := null;
    new.error := coalesce(old.error || E'\n', '') || format('Cancelled: its version %s was deleted.', old.version_id);
  end if;
  return new;
end;
$$;
comment on function private.cancel_job_of_deleted_version() is
  'Trigger on background_jobs when version_id becomes null (its draft was deleted, on delete set null): a queued or running job ends as cancelled, so no worker claims it and a running worker loses its lease (PT409 lease_lost on its next heartbeat); finished jobs only lose the link.';

create trigger cancel_job_of_deleted_version
  before update of version_id on public.background_jobs
  for each row when (old.version_id is not null and new.version_id is null)
  execute function private.cancel_job_of_deleted_version();

revoke execute on function private.cancel_job_of_deleted_version() from public;
