-- The LLM call guard in small named parts.
--
-- private.guard_llm_interaction (restated whole three times so far) is now a short trigger over named
-- parts: the links a new call takes from its version or job (linked_llm_interaction), the checks of an
-- update (check_llm_interaction_final, check_llm_answer_kept, check_llm_request_unchanged) and of an
-- answer (check_llm_answer_complete). Behaviour, refusals and their order are unchanged.

create function private.linked_llm_interaction(p_new public.llm_interactions)
returns public.llm_interactions
language plpgsql
stable
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
begin
  if p_new.version_id is null and p_new.job_id is not null then
    select j.version_id into p_new.version_id from public.background_jobs j where j.id = p_new.job_id;
  end if;
  if p_new.version_id is not null then
    -- The links follow the version, whatever the writer sent.
    select * into v_version from public.artifact_versions v where v.id = p_new.version_id;
    p_new.cycle_report_id := v_version.cycle_report_id;
    p_new.phase_id := v_version.phase_id;
  end if;
  return p_new;
end;
$$;
comment on function private.linked_llm_interaction(public.llm_interactions) is
  'LLM call guard, insert: the call''s version (or its job''s), and the cycle report and phase that version belongs to.';

create function private.check_llm_interaction_final(p_old public.llm_interactions, p_unlinked public.llm_interactions)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_old.status::text not in ('pending', 'answered') and p_unlinked is distinct from p_old
     and not private.is_late_answer(p_old, p_unlinked) then
    raise exception using errcode = 'PT409', detail = 'llm_interaction_final',
      message = format('LLM interaction %s is %s: a finished call is a record and does not change.', p_old.id, p_old.status);
  end if;
end;
$$;
comment on function private.check_llm_interaction_final(public.llm_interactions, public.llm_interactions) is
  'LLM call guard, update: a finished call never changes (PT409 llm_interaction_final), except to record the late answer of a call abandoned while pending (is_late_answer).';

create function private.check_llm_answer_kept(p_old public.llm_interactions, p_new public.llm_interactions,
  p_unlinked public.llm_interactions)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_old.status::text <> 'answered' then
    return;
  end if;
  -- The paid answer is a record: its accounting never changes, and it only ends completed or failed.
  if p_new.status::text = 'pending'
     or p_new.status::text = 'answered' and p_unlinked is distinct from p_old
     or (p_new.input_tokens, p_new.output_tokens, p_new.cost_usd, p_new.duration_ms, p_new.http_status)
        is distinct from (p_old.input_tokens, p_old.output_tokens, p_old.cost_usd, p_old.duration_ms, p_old.http_status)
     or p_new.status::text = 'failed' and p_new.response is distinct from p_old.response then
    raise exception using errcode = 'PT409', detail = 'llm_interaction_answered',
      message = format('LLM interaction %s was answered: its answer and cost are kept as recorded; it can only be completed or failed.', p_old.id);
  end if;
end;
$$;
comment on function private.check_llm_answer_kept(public.llm_interactions, public.llm_interactions, public.llm_interactions) is
  'LLM call guard, update: an answered call keeps its answer and accounting and only ends completed or failed (PT409 llm_interaction_answered).';

create function private.check_llm_request_unchanged(p_old public.llm_interactions, p_new public.llm_interactions)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if (p_new.id, p_new.purpose, p_new.provider, p_new.model, p_new.request, p_new.idempotency_key, p_new.attempt,
      p_new.user_id, p_new.cycle_report_id, p_new.phase_id, p_new.created_at)
     is distinct from
     (p_old.id, p_old.purpose, p_old.provider, p_old.model, p_old.request, p_old.idempotency_key, p_old.attempt,
      p_old.user_id, p_old.cycle_report_id, p_old.phase_id, p_old.created_at)
     or p_new.version_id is distinct from p_old.version_id and p_new.version_id is not null
     or p_new.job_id is distinct from p_old.job_id and p_new.job_id is not null then
    raise exception using errcode = 'PT409', detail = 'llm_interaction_column_immutable',
      message = 'What was asked, of whom, and for which call never changes; only the outcome is recorded.';
  end if;
end;
$$;
comment on function private.check_llm_request_unchanged(public.llm_interactions, public.llm_interactions) is
  'LLM call guard, update: the request and the call''s identity never change; its version and job links may only be dropped (PT409 llm_interaction_column_immutable).';

create function private.check_llm_answer_complete(p_new public.llm_interactions)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_new.status::text = 'answered'
     and (p_new.response is null or p_new.input_tokens is null or p_new.output_tokens is null or p_new.cost_usd is null
          or p_new.duration_ms is null) then
    raise exception using errcode = 'PT400', detail = 'llm_answer_incomplete',
      message = 'An answered call records what came back with its tokens, cost and duration.';
  end if;
end;
$$;
comment on function private.check_llm_answer_complete(public.llm_interactions) is
  'LLM call guard: an answered call records its response, tokens, cost and duration (PT400 llm_answer_incomplete).';

create or replace function private.guard_llm_interaction()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unlinked public.llm_interactions;
begin
  if tg_op = 'INSERT' then
    new := private.linked_llm_interaction(new);
    if new.status::text not in ('pending', 'answered') then
      new.completed_at := coalesce(new.completed_at, now());
    end if;
  else
    -- Deleting the version or job a call served only drops the link (on delete set null).
    v_unlinked := new;
    if new.version_id is null then v_unlinked.version_id := old.version_id; end if;
    if new.job_id is null then v_unlinked.job_id := old.job_id; end if;
    perform private.check_llm_interaction_final(old, v_unlinked);
    perform private.check_llm_answer_kept(old, new, v_unlinked);
    perform private.check_llm_request_unchanged(old, new);
    if old.status::text in ('pending', 'answered') and new.status::text not in ('pending', 'answered') then
      new.completed_at := coalesce(new.completed_at, now());
    end if;
  end if;
  perform private.check_llm_answer_complete(new);
  return new;
end;
$$;
comment on function private.guard_llm_interaction() is
  'Trigger: on insert, cycle_report_id and phase_id follow the version (or the job''s version); a pending call may record its answer (answered: response, tokens, cost and duration required, PT400 llm_answer_incomplete), then its outcome once (completed or failed); an answered call keeps its accounting and only ends completed or failed (PT409 llm_interaction_answered); a finished call never changes (PT409 llm_interaction_final), except that a call abandoned while pending records its late answer''s response, tokens, cost and duration once; the request and its identity never change (PT409 llm_interaction_column_immutable); deleting the version or job only unlinks it. '
  'The parts: linked_llm_interaction, check_llm_interaction_final, check_llm_answer_kept, check_llm_request_unchanged, check_llm_answer_complete.';

revoke execute on function private.linked_llm_interaction(public.llm_interactions) from public;
revoke execute on function private.check_llm_interaction_final(public.llm_interactions, public.llm_interactions) from public;
revoke execute on function private.check_llm_answer_kept(public.llm_interactions, public.llm_interactions, public.llm_interactions) from public;
revoke execute on function private.check_llm_request_unchanged(public.llm_interactions, public.llm_interactions) from public;
revoke execute on function private.check_llm_answer_complete(public.llm_interactions) from public;
