-- A late answer of an abandoned call is recorded.
--
-- Before: when a worker lost its job in the middle of an LLM call, the worker that took the job over marked
-- the first call's pending row failed (abandoned) and asked again. If the first call's answer then arrived,
-- its worker could not record it (a finished call never changes), so a call that was paid for was missing
-- from the usage totals. Now such a row, failed as abandoned with no answer on record, takes the late
-- answer's response, tokens, cost and duration once; it stays failed and abandoned, since the newer run's
-- answer is the one used.

create function private.is_late_answer(p_old public.llm_interactions, p_new public.llm_interactions)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_old.status = 'failed' and p_old.failure_reason = 'abandoned'
     and p_old.response is null and p_old.input_tokens is null and p_old.output_tokens is null
     and p_old.cost_usd is null
     and p_new.response is not null and p_new.input_tokens is not null and p_new.output_tokens is not null
     and p_new.cost_usd is not null and p_new.duration_ms is not null
     and to_jsonb(p_new) - array['response', 'input_tokens', 'output_tokens', 'cost_usd', 'duration_ms', 'error']
       = to_jsonb(p_old) - array['response', 'input_tokens', 'output_tokens', 'cost_usd', 'duration_ms', 'error']
$$;
comment on function private.is_late_answer(public.llm_interactions, public.llm_interactions) is
  'Whether an update of an LLM call only records the late answer of a call abandoned while pending: response, tokens, cost and duration where there were none, and the error text; nothing else changes.';
revoke all on function private.is_late_answer(public.llm_interactions, public.llm_interactions) from public;

create or replace function private.guard_llm_interaction()
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
    if new.status::text not in ('pending', 'answered') then
      new.completed_at := coalesce(new.completed_at, now());
    end if;
  else
    -- Deleting the version or job a call served only drops the link (on delete set null).
    v_unlinked := new;
    if new.version_id is null then v_unlinked.version_id := old.version_id; end if;
    if new.job_id is null then v_unlinked.job_id := old.job_id; end if;
    if old.status::text not in ('pending', 'answered') and v_unlinked is distinct from old
       and not private.is_late_answer(old, v_unlinked) then
      raise exception using errcode = 'PT409', detail = 'llm_interaction_final',
        message = format('LLM interaction %s is %s: a finished call is a record and does not change.', old.id, old.status);
    end if;
    if old.status::text = 'answered' then
      -- The paid answer is a record: its accounting never changes, and it only ends completed or failed.
      if new.status::text = 'pending'
         or new.status::text = 'answered' and v_unlinked is distinct from old
         or (new.input_tokens, new.output_tokens, new.cost_usd, new.duration_ms, new.http_status)
            is distinct from (old.input_tokens, old.output_tokens, old.cost_usd, old.duration_ms, old.http_status)
         or new.status::text = 'failed' and new.response is distinct from old.response then
        raise exception using errcode = 'PT409', detail = 'llm_interaction_answered',
          message = format('LLM interaction %s was answered: its answer and cost are kept as recorded; it can only be completed or failed.', old.id);
      end if;
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
    if old.status::text in ('pending', 'answered') and new.status::text not in ('pending', 'answered') then
      new.completed_at := coalesce(new.completed_at, now());
    end if;
  end if;

  if new.status::text = 'answered'
     and (new.response is null or new.input_tokens is null or new.output_tokens is null or new.cost_usd is null
          or new.duration_ms is null) then
    raise exception using errcode = 'PT400', detail = 'llm_answer_incomplete',
      message = 'An answered call records what came back with its tokens, cost and duration.';
  end if;
  return new;
end;
$$;
comment on function private.guard_llm_interaction() is
  'Trigger: on insert, cycle_report_id and phase_id follow the version (or the job''s version); a pending call may record its answer (answered: response, tokens, cost and duration required, PT400 llm_answer_incomplete), then its outcome once (completed or failed); an answered call keeps its accounting and only ends completed or failed (PT409 llm_interaction_answered); a finished call never changes (PT409 llm_interaction_final), except that a call abandoned while pending records its late answer''s response, tokens, cost and duration once; the request and its identity never change (PT409 llm_interaction_column_immutable); deleting the version or job only unlinks it.';
