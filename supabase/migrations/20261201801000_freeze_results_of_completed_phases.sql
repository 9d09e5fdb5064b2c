-- Results are final once their phase is: after the data profiling phase has completed, its rules cannot be run
-- again (no profiling.execute job is queued for its versions) and its results cannot change (no new result, no
-- anomaly flag or note set or cleared), whoever asks, until an admin reopens the phase (public.reopen_phase).

create function private.refuse_change_in_completed_phase(p_version_id uuid, p_what text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_phase record;
begin
  select p.phase_name, p.status into v_phase
    from public.artifact_versions v join public.workflow_phases p on p.id = v.phase_id
   where v.id = p_version_id;
  if v_phase.status = 'completed' then
    raise exception using errcode = 'PT409', detail = 'phase_completed',
      message = format('The %s phase is completed, so %s: its results are final until an admin reopens the phase.',
        replace(v_phase.phase_name, '_', ' '), p_what);
  end if;
end;
$$;
comment on function private.refuse_change_in_completed_phase(uuid, text) is
  'Raises PT409 phase_completed when the version''s phase is completed; p_what says what was refused ("its rules cannot run again").';

-- Results: no new one and no anomaly change. Named to run after guard_profiling_rule_result, which sets
-- version_id from the rule on insert.
create function private.guard_final_profiling_rule_result()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.refuse_change_in_completed_phase(new.version_id, 'no new result can be stored');
  elsif (new.is_anomaly, new.anomaly_note) is distinct from (old.is_anomaly, old.anomaly_note) then
    perform private.refuse_change_in_completed_phase(old.version_id, 'anomaly marks cannot change');
  end if;
  return new;
end;
$$;
comment on function private.guard_final_profiling_rule_result() is
  'Trigger: no result is stored and no anomaly flag or note changes while the result''s data profiling phase is completed. Errors: PT409 phase_completed.';

create trigger guard_results_final
  before insert or update on public.profiling_rule_results
  for each row execute function private.guard_final_profiling_rule_result();

-- Executions: no profiling.execute job for a version of a completed phase (request_profiling_execution
-- queues them; a direct insert meets the same refusal).
create function private.guard_final_profiling_execution()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.refuse_change_in_completed_phase(new.version_id, 'its rules cannot run again');
  return new;
end;
$$;
comment on function private.guard_final_profiling_execution() is
  'Trigger: no profiling.execute job is queued for a version whose data profiling phase is completed. Errors: PT409 phase_completed.';

create trigger guard_profiling_execution_final
  before insert on public.background_jobs
  for each row when (new.job_type = 'profiling.execute')
  execute function private.guard_final_profiling_execution();

revoke execute on function private.refuse_change_in_completed_phase(uuid, text),
  private.guard_final_profiling_rule_result(), private.guard_final_profiling_execution() from public;
