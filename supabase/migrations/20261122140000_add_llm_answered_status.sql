-- LLM interactions gain an `answered` state, so an answer that was paid for is never lost. As soon as the
-- provider answers, the answer as received and its accounting (tokens, cost, duration) are saved on the pending
-- row in a commit of their own, before the answer is validated or its items stored. A worker that dies before
-- the items commit leaves an answered row; the retried job (same idempotency key) validates and stores that
-- answer instead of calling the model again. An answered row ends completed (its items stored in the same
-- transaction) or failed (invalid_output, store_failed, or abandoned when another answer of the call was
-- stored), and its accounting never changes.

alter type public.llm_status add value if not exists 'answered' after 'pending';
comment on type public.llm_status is
  'Status of an LLM call: pending (on record before the call), answered (the answer and its cost saved, its items not stored yet), completed (its items stored), failed (failure_reason says why).';

-- The new value cannot be used as a literal in the transaction that adds it; the function below compares it
-- only when it runs, and the view counts it without naming it.
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
    if old.status::text not in ('pending', 'answered') and v_unlinked is distinct from old then
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
  'Trigger: on insert, cycle_report_id and phase_id follow the version (or the job''s version); a pending call may record its answer (answered: response, tokens, cost and duration required, PT400 llm_answer_incomplete), then its outcome once (completed or failed); an answered call keeps its accounting and only ends completed or failed (PT409 llm_interaction_answered); a finished call never changes (PT409 llm_interaction_final); the request and its identity never change (PT409 llm_interaction_column_immutable); deleting the version or job only unlinks it.';

comment on column public.llm_interactions.response is
  'What came back: {content, providerResponseId, finishReason}. The content is the raw text while the call is answered or when the answer was refused, the parsed JSON once completed.';
comment on column public.llm_interactions.failure_reason is
  'Why a failed attempt failed: rate_limited, server_error, timeout, connection, client_error, cancelled, invalid_output (answered but refused by validation; tokens and cost kept), store_failed, abandoned (the worker stopped before an answer was recorded, or another answer of the same call was stored; an answered row keeps its tokens and cost).';

-- Answered calls are not finished yet: the usage view counts them with the pending ones (their tokens and cost
-- are summed like every other call's).
create or replace view public.llm_usage
with (security_invoker = true)
as
select
  case
    when grouping(c.id, cr.id, wp.phase_name) = 7 then 'total'
    when grouping(cr.id, wp.phase_name) = 3 then 'cycle'
    when grouping(wp.phase_name) = 1 then 'cycle_report'
    else 'phase'
  end as level,
  c.id as test_cycle_id,
  c.name as cycle_name,
  cr.id as cycle_report_id,
  r.name as report_name,
  wp.phase_name,
  count(*)::integer as calls,
  (count(*) filter (where i.status = 'completed'))::integer as completed_calls,
  (count(*) filter (where i.status = 'failed'))::integer as failed_calls,
  (count(*) filter (where i.status not in ('completed', 'failed')))::integer as pending_calls,
  coalesce(sum(i.input_tokens), 0)::bigint as input_tokens,
  coalesce(sum(i.output_tokens), 0)::bigint as output_tokens,
  coalesce(sum(i.cost_usd), 0)::numeric(16, 8) as cost_usd,
  coalesce(sum(i.duration_ms), 0)::bigint as duration_ms,
  max(i.created_at) as last_call_at
from public.llm_interactions i
left join public.cycle_reports cr on cr.id = i.cycle_report_id
left join public.reports r on r.id = cr.report_id
left join public.test_cycles c on c.id = cr.cycle_id
left join public.workflow_phases wp on wp.id = i.phase_id
group by grouping sets ((), (c.id, c.name), (c.id, c.name, cr.id, r.name), (c.id, c.name, cr.id, r.name, wp.phase_name));

comment on column public.llm_usage.pending_calls is
  'Calls not finished yet: pending (no answer recorded) or answered (answer and cost recorded, items not stored yet).';
