-- Background jobs (LLM generation, rule execution) run by the edge functions: a queue claimed with
-- FOR UPDATE SKIP LOCKED, held by a lease renewed with heartbeats, retried with exponential backoff.
-- The queue functions are for the edge functions' service_role only.

create type public.job_status as enum ('queued', 'running', 'completed', 'failed', 'cancelled');
comment on type public.job_status is 'Status of a background job.';

create table public.background_jobs (
  id uuid primary key default extensions.gen_random_uuid(),
  job_type text not null check (btrim(job_type) <> ''),
  status public.job_status not null default 'queued',
  priority integer not null default 0,
  progress integer not null default 0 check (progress between 0 and 100),
  progress_message text,
  metadata jsonb not null default '{}',
  result jsonb,
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 3 check (max_attempts >= 1),
  backoff_base_seconds integer not null default 10 check (backoff_base_seconds >= 0),
  run_after timestamptz not null default now(),
  lease_owner text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  created_by uuid references public.profiles (id) default auth.uid(),
  cycle_report_id bigint references public.cycle_reports (id),
  version_id uuid references public.artifact_versions (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.background_jobs is
  'Work done outside the request by the edge functions (LLM generation, rule execution). Claimed with claim_job, kept alive with heartbeat_job, finished with complete_job or fail_job. Progress is polled by the app.';
comment on column public.background_jobs.metadata is 'The job''s input (what to do).';
comment on column public.background_jobs.attempts is 'How many times the job has been claimed.';
comment on column public.background_jobs.run_after is 'Not claimed before this time (set by fail_job for the backoff).';
comment on column public.background_jobs.backoff_base_seconds is 'Retry delay after the n-th failed attempt: backoff_base_seconds * 2^(n-1), at most one hour.';
comment on column public.background_jobs.lease_owner is 'The worker holding the job; another worker may claim it once lease_expires_at has passed.';

create index background_jobs_claim_idx on public.background_jobs (job_type, priority desc, run_after)
  where status in ('queued', 'running');
create index background_jobs_cycle_report_id_idx on public.background_jobs (cycle_report_id);
create index background_jobs_version_id_idx on public.background_jobs (version_id);

create trigger touch_updated_at before update on public.background_jobs
  for each row execute function private.touch_updated_at();

alter table public.background_jobs enable row level security;
revoke all on table public.background_jobs from anon, authenticated;
grant select on table public.background_jobs to authenticated;

create policy "Users can read their jobs and jobs of their cycle reports"
  on public.background_jobs for select to authenticated
  using (
    created_by = (select auth.uid())
    or (select private.is_admin())
    or cycle_report_id in (select private.readable_cycle_report_ids())
  );

select private.attach_audit('public.background_jobs', array[
  'updated_at', 'progress', 'progress_message', 'heartbeat_at', 'lease_expires_at'
]);

-- Queue functions ---------------------------------------------------------------------------------------
create function public.claim_job(p_job_types text[], p_worker text, p_lease_seconds integer default 300)
returns setof public.background_jobs
language plpgsql
set search_path = ''
as $$
begin
  if p_worker is null or btrim(p_worker) = '' or p_lease_seconds is null or p_lease_seconds < 1 then
    raise exception using errcode = 'PT400', detail = 'invalid_claim',
      message = 'claim_job needs a worker name and a positive lease in seconds.';
  end if;

  -- Expired leases of jobs that have used all their attempts end as failed instead of running again.
  update public.background_jobs j
     set status = 'failed', completed_at = now(), lease_owner = null, lease_expires_at = null,
         error = coalesce(j.error || E'\n', '') || format('Lease of %s expired after attempt %s of %s.', j.lease_owner, j.attempts, j.max_attempts)
   where j.job_type = any (p_job_types) and j.status = 'running' and j.lease_expires_at < now()
     and j.attempts >= j.max_attempts;

  return query
  with candidate as (
    select j.id from public.background_jobs j
     where j.job_type = any (p_job_types)
       and ((j.status = 'queued' and j.run_after <= now())
         or (j.status = 'running' and j.lease_expires_at < now()))
     order by j.priority desc, j.run_after, j.created_at
     limit 1
       for update skip locked
  )
  update public.background_jobs j
     set status = 'running',
         attempts = j.attempts + 1,
         lease_owner = p_worker,
         lease_expires_at = now() + make_interval(secs => p_lease_seconds),
         heartbeat_at = now(),
         started_at = coalesce(j.started_at, now())
    from candidate
   where j.id = candidate.id
  returning j.*;
end;
$$;
comment on function public.claim_job(text[], text, integer) is
  'Claims the next job of the given types for a worker (FOR UPDATE SKIP LOCKED): a queued job whose run_after has passed, or a running job whose lease expired. Returns no row when there is nothing to do. service_role only. Errors: PT400 invalid_claim.';

create function private.lock_leased_job(p_job_id uuid, p_worker text)
returns public.background_jobs
language plpgsql
set search_path = ''
as $$
declare
  v_row public.background_jobs;
begin
  select * into v_row from public.background_jobs j where j.id = p_job_id for update;
  if not found then
    raise exception using errcode = 'PT404', detail = 'job_not_found', message = format('Job %s does not exist.', p_job_id);
  end if;
  if v_row.status <> 'running' or v_row.lease_owner is distinct from p_worker then
    raise exception using errcode = 'PT409', detail = 'lease_lost',
      message = format('Worker %s does not hold job %s (status %s, held by %s).', p_worker, p_job_id, v_row.status,
        coalesce(v_row.lease_owner, 'nobody'));
  end if;
  return v_row;
end;
$$;
comment on function private.lock_leased_job(uuid, text) is
  'Locks a running job held by the worker; raises PT404 job_not_found or PT409 lease_lost.';

create function public.heartbeat_job(
  p_job_id uuid,
  p_worker text,
  p_progress integer default null,
  p_message text default null,
  p_lease_seconds integer default 300
)
returns public.background_jobs
language plpgsql
set search_path = ''
as $$
declare
  v_row public.background_jobs := private.lock_leased_job(p_job_id, p_worker);
begin
  if p_progress is not null and (p_progress < 0 or p_progress > 100) then
    raise exception using errcode = 'PT400', detail = 'invalid_progress', message = 'Progress is a percentage from 0 to 100.';
  end if;
  update public.background_jobs j
     set heartbeat_at = now(),
         lease_expires_at = now() + make_interval(secs => coalesce(p_lease_seconds, 300)),
         progress = coalesce(p_progress, j.progress),
         progress_message = coalesce(p_message, j.progress_message)
   where j.id = p_job_id
  returning * into v_row;
  return v_row;
end;
$$;
comment on function public.heartbeat_job(uuid, text, integer, text, integer) is
  'Renews the worker''s lease on a running job and records its progress (0-100). service_role only. Errors: PT404 job_not_found, PT409 lease_lost, PT400 invalid_progress.';

create function public.complete_job(p_job_id uuid, p_worker text, p_result jsonb default null)
returns public.background_jobs
language plpgsql
set search_path = ''
as $$
declare
  v_row public.background_jobs := private.lock_leased_job(p_job_id, p_worker);
begin
  update public.background_jobs j
     set status = 'completed', progress = 100, result = p_result, completed_at = now(),
         lease_owner = null, lease_expires_at = null, heartbeat_at = now()
   where j.id = p_job_id
  returning * into v_row;
  return v_row;
end;
$$;
comment on function public.complete_job(uuid, text, jsonb) is
  'Marks the worker''s running job completed with its result. service_role only. Errors: PT404 job_not_found, PT409 lease_lost.';

create function public.fail_job(p_job_id uuid, p_worker text, p_error text, p_retryable boolean default true)
returns public.background_jobs
language plpgsql
set search_path = ''
as $$
declare
  v_row public.background_jobs := private.lock_leased_job(p_job_id, p_worker);
begin
  if p_retryable and v_row.attempts < v_row.max_attempts then
    update public.background_jobs j
       set status = 'queued', error = p_error, lease_owner = null, lease_expires_at = null,
           run_after = now() + make_interval(secs => least(3600, j.backoff_base_seconds * power(2, j.attempts - 1)))
     where j.id = p_job_id
    returning * into v_row;
  else
    update public.background_jobs j
       set status = 'failed', error = p_error, lease_owner = null, lease_expires_at = null, completed_at = now()
     where j.id = p_job_id
    returning * into v_row;
  end if;
  return v_row;
end;
$$;
comment on function public.fail_job(uuid, text, text, boolean) is
  'Records a failed attempt: queued again after backoff_base_seconds * 2^(attempts-1) (at most an hour) while attempts remain and the error is retryable, else failed. service_role only. Errors: PT404 job_not_found, PT409 lease_lost.';

create function public.cancel_job(p_job_id uuid)
returns public.background_jobs
language plpgsql
set search_path = ''
as $$
declare
  v_row public.background_jobs;
begin
  update public.background_jobs j
     set status = 'cancelled', completed_at = now(), lease_owner = null, lease_expires_at = null
   where j.id = p_job_id and j.status in ('queued', 'running')
  returning * into v_row;
  if not found then
    raise exception using errcode = 'PT409', detail = 'job_not_cancellable',
      message = 'Only a queued or running job can be cancelled.';
  end if;
  return v_row;
end;
$$;
comment on function public.cancel_job(uuid) is
  'Cancels a queued or running job (a running worker learns it from lease_lost on its next heartbeat). service_role only. Errors: PT409 job_not_cancellable.';

revoke execute on function public.claim_job(text[], text, integer), public.heartbeat_job(uuid, text, integer, text, integer),
  public.complete_job(uuid, text, jsonb), public.fail_job(uuid, text, text, boolean), public.cancel_job(uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.claim_job(text[], text, integer), public.heartbeat_job(uuid, text, integer, text, integer),
  public.complete_job(uuid, text, jsonb), public.fail_job(uuid, text, text, boolean), public.cancel_job(uuid)
  to service_role;
grant execute on function private.lock_leased_job(uuid, text) to service_role;
