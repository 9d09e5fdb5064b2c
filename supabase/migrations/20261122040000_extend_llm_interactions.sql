-- LLM interactions as the generation jobs record them: one row per attempt of a call, keyed by the call's
-- idempotency key (the same on every retry of the job), so a completed call is never made or stored twice.
-- Rows keep their accounting when the draft or job they served is deleted, and a finished row is a record
-- that no longer changes.

alter table public.llm_interactions
  add column idempotency_key text check (idempotency_key is null or char_length(idempotency_key) between 1 and 200),
  add column attempt integer not null default 1 check (attempt >= 1),
  add column failure_reason text check (failure_reason in (
    'rate_limited', 'server_error', 'timeout', 'connection', 'client_error', 'cancelled', 'invalid_output',
    'store_failed', 'abandoned')),
  add column http_status integer check (http_status between 100 and 599),
  add column phase_id bigint references public.workflow_phases (id),
  alter column cost_usd type numeric(14, 8),
  add constraint llm_interactions_failure_reason_when_failed check ((status = 'failed') = (failure_reason is not null));

comment on column public.llm_interactions.idempotency_key is
  'Identifies one logical call across attempts and job retries, e.g. <job id>:<batch index>. At most one completed row per key.';
comment on column public.llm_interactions.attempt is '1-based attempt number within one run of the call (each attempt is its own row).';
comment on column public.llm_interactions.failure_reason is
  'Why a failed attempt failed: rate_limited, server_error, timeout, connection, client_error, cancelled, invalid_output (answered but refused by validation; tokens and cost kept), store_failed, abandoned (the worker stopped before recording the outcome).';
comment on column public.llm_interactions.http_status is 'The provider''s HTTP status, when it answered with an error.';
comment on column public.llm_interactions.phase_id is 'The workflow phase the call served (set from the version); kept when the version is deleted.';
comment on column public.llm_interactions.cost_usd is 'Cost in US dollars: tokens times the configured price per million tokens.';
comment on column public.llm_interactions.request is 'Exactly what was sent (privacy-filtered: no values of confidential or restricted columns).';
comment on column public.llm_interactions.response is 'What came back: {content, providerResponseId, finishReason}; raw text when the answer was refused.';

create unique index llm_interactions_one_completion_per_key
  on public.llm_interactions (idempotency_key) where status = 'completed';
create index llm_interactions_pending_key_idx
  on public.llm_interactions (idempotency_key) where status = 'pending';
create index llm_interactions_phase_id_idx on public.llm_interactions (phase_id);
create index llm_interactions_created_at_idx on public.llm_interactions (created_at desc);

-- The accounting outlives the draft or job it served: deleting them only drops the link.
alter table public.llm_interactions
  drop constraint llm_interactions_version_id_fkey,
  add constraint llm_interactions_version_id_fkey foreign key (version_id)
    references public.artifact_versions (id) on delete set null,
  drop constraint llm_interactions_job_id_fkey,
  add constraint llm_interactions_job_id_fkey foreign key (job_id)
    references public.background_jobs (id) on delete set null;

create function private.guard_llm_interaction()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_unlinked public.llm_interactions;
begin
  if tg_op = 'INSERT' then
    if new.version_id is null and new.job_id is not null then
      select j.version_id into new.version_id from public.background_jobs j where j.id = new.job_id;
    end if;
    if new.version_id is not null then
      -- The links follow the version, whatever the writer sent.
      select * into v_version from public.artifact_versions v where v.id = new.version_id;
      new.cycle_report_id := v_version.cycle_report_id;
      new.phase_id := v_version.phase_id;
    end if;
    if new.status <> 'pending' then
      new.completed_at := coalesce(new.completed_at, now());
    end if;
    return new;
  end if;

  -- Deleting the version or job a call served only drops the link (on delete set null).
  v_unlinked := new;
  if new.version_id is null then v_unlinked.version_id := old.version_id; end if;
  if new.job_id is null then v_unlinked.job_id := old.job_id; end if;
  if old.status <> 'pending' and v_unlinked is distinct from old then
    raise exception using errcode = 'PT409', detail = 'llm_interaction_final',
      message = format('LLM interaction %s is %s: a finished call is a record and does not change.', old.id, old.status);
  end if;
  if (new.id, new.purpose, new.provider, new.model, new.request, new.idempotency_key, new.attempt, new.user_id,
      new.cycle_report_id, new.phase_id, new.created_at)
     is distinct from
     (old.id, old.purpose, old.provider, old.model, old.request, old.idempotency_key, old.attempt, old.user_id,
      old.cycle_report_id, old.phase_id, old.created_at)
     or new.version_id is distinct from old.version_id and new.version_id is not null
     or new.job_id is distinct from old.job_id and new.job_id is not null then
    raise exception using errcode = 'PT409', detail = 'llm_interaction_column_immutable',
      message = 'What was asked, of whom, and for which call never changes; only the outcome is recorded.';
  end if;
  if old.status = 'pending' and new.status <> 'pending' then
    new.completed_at := coalesce(new.completed_at, now());
  end if;
  return new;
end;
$$;
comment on function private.guard_llm_interaction() is
  'Trigger: on insert, cycle_report_id and phase_id follow the version (or the job''s version); a pending call records its outcome once (completed or failed) and then never changes (PT409 llm_interaction_final); the request and its identity never change (PT409 llm_interaction_column_immutable); deleting the version or job only unlinks it.';

create trigger guard_llm_interaction
  before insert or update on public.llm_interactions
  for each row execute function private.guard_llm_interaction();

revoke execute on function private.guard_llm_interaction() from public;
