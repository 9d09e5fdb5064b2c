-- Results of running the rules of an approved profiling version: one row per rule per execution (the
-- execution is the background job that ran it, so a resumed job cannot store a rule twice). Written only
-- by the service_role (the worker); afterwards only the anomaly flag and note change, by an assigned tester.

create table public.profiling_rule_results (
  id bigint generated always as identity primary key,
  execution_id uuid not null references public.background_jobs (id),
  rule_id uuid not null references public.profiling_rules (id),
  version_id uuid not null references public.artifact_versions (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  status text not null check (status in ('completed', 'error')),
  total_count bigint check (total_count >= 0),
  passed_count bigint check (passed_count >= 0),
  failed_count bigint check (failed_count >= 0),
  pass_rate numeric(7, 4) check (pass_rate between 0 and 100),
  duration_ms numeric(12, 1) not null default 0 check (duration_ms >= 0),
  failed_sample jsonb not null default '[]'
    check (jsonb_typeof(failed_sample) = 'array' and jsonb_array_length(failed_sample) <= 20),
  failed_rows_query text,
  error text,
  is_anomaly boolean not null default false,
  anomaly_note text,
  anomaly_marked_by uuid references public.profiles (id),
  anomaly_marked_at timestamptz,
  executed_at timestamptz not null default now(),
  unique (execution_id, rule_id),
  check (status = 'error' or (total_count is not null and passed_count + failed_count = total_count and pass_rate is not null)),
  check (status = 'completed' or error is not null)
);
comment on table public.profiling_rule_results is
  'One row per rule per execution of an approved profiling version: counts, pass rate, duration, a sample of at most 20 failed rows (confidential and restricted columns masked), the query that lists every failed row, or the error. Written by the service_role; testers flag anomalies.';
comment on column public.profiling_rule_results.execution_id is 'The background job (profiling.execute) that ran the rule; unique with rule_id, so a resumed job never stores a rule twice.';
comment on column public.profiling_rule_results.version_id is 'The rule''s profiling version (set by trigger).';
comment on column public.profiling_rule_results.cycle_report_id is 'The version''s cycle report (set by trigger), for row-level security.';
comment on column public.profiling_rule_results.pass_rate is 'Percentage of rows that pass, 0-100 (100 for an empty table).';
comment on column public.profiling_rule_results.duration_ms is 'Time of the statement that produced the counts (shared by the rules of one scan) plus the sample.';
comment on column public.profiling_rule_results.failed_sample is 'At most 20 failing rows; columns whose planning attribute is classified confidential or restricted hold ''***''.';
comment on column public.profiling_rule_results.failed_rows_query is 'SQL listing every failed row, with its values written in, for people to read or run.';
comment on column public.profiling_rule_results.is_anomaly is 'Flagged by a tester as an anomaly (needs a note); who and when are stamped by the database.';

create index profiling_rule_results_rule_id_idx on public.profiling_rule_results (rule_id);
create index profiling_rule_results_version_id_idx on public.profiling_rule_results (version_id);
create index profiling_rule_results_cycle_report_id_idx on public.profiling_rule_results (cycle_report_id);
create index profiling_rule_results_anomaly_marked_by_idx on public.profiling_rule_results (anomaly_marked_by);

-- Columns to mask in the samples of one rule: those mapped to confidential or restricted attributes -------
create function private.profiling_masked_columns(p_rule_id uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct m.source_column), '{}')
    from public.profiling_rules r
    join public.planning_attributes a on a.id = r.attribute_id
    join public.planning_attributes m on m.version_id = a.version_id and m.data_source_id = a.data_source_id
   where r.id = p_rule_id and m.source_column is not null
     and m.information_security_classification in ('confidential', 'restricted')
$$;
comment on function private.profiling_masked_columns(uuid) is
  'Columns of a rule''s data source whose planning attribute is classified confidential or restricted; their values never appear in failed-row samples.';

-- Guard -------------------------------------------------------------------------------------------------------
create function private.guard_profiling_rule_result()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rule record;
  v_job record;
  v_masked text[];
begin
  if tg_op = 'DELETE' then
    raise exception using errcode = 'PT409', detail = 'result_immutable',
      message = 'Execution results are a record and cannot be deleted.';
  end if;

  if tg_op = 'INSERT' then
    if not (private.is_service() or private.is_operator()) then
      raise exception using errcode = 'PT403', detail = 'results_written_by_service',
        message = 'Execution results are written by the rule-execution worker only.';
    end if;
    select r.version_id, v.cycle_report_id, v.version_status into v_rule
      from public.profiling_rules r join public.artifact_versions v on v.id = r.version_id
     where r.id = new.rule_id;
    select j.job_type, j.version_id into v_job from public.background_jobs j where j.id = new.execution_id;
    if v_job.version_id is distinct from v_rule.version_id then
      raise exception using errcode = 'PT409', detail = 'execution_other_version',
        message = 'A result belongs to an execution (job) of the rule''s own version.';
    end if;
    if v_rule.version_status not in ('approved', 'superseded') then
      raise exception using errcode = 'PT409', detail = 'version_not_approved',
        message = format('Only rules of an approved version are executed; this version is %s.', v_rule.version_status);
    end if;
    v_masked := private.profiling_masked_columns(new.rule_id);
    if exists (select 1 from jsonb_array_elements(new.failed_sample) r, unnest(v_masked) c
                where r ? c and r -> c not in ('null'::jsonb, '"***"'::jsonb)) then
      raise exception using errcode = 'PT400', detail = 'sample_not_masked',
        message = format('Failed-row samples must mask the confidential or restricted columns %s.', array_to_string(v_masked, ', '));
    end if;
    new.version_id := v_rule.version_id;
    new.cycle_report_id := v_rule.cycle_report_id;
    new.is_anomaly := false;
    new.anomaly_note := null;
    new.anomaly_marked_by := null;
    new.anomaly_marked_at := null;
    return new;
  end if;

  if (to_jsonb(new) - array['is_anomaly', 'anomaly_note', 'anomaly_marked_by', 'anomaly_marked_at'])
     is distinct from (to_jsonb(old) - array['is_anomaly', 'anomaly_note', 'anomaly_marked_by', 'anomaly_marked_at']) then
    raise exception using errcode = 'PT409', detail = 'result_immutable',
      message = 'Execution results cannot change; only the anomaly flag and note can.';
  end if;
  new.anomaly_marked_by := old.anomaly_marked_by;
  new.anomaly_marked_at := old.anomaly_marked_at;
  if (new.is_anomaly, new.anomaly_note) is not distinct from (old.is_anomaly, old.anomaly_note) then
    return new;
  end if;
  if not (private.is_assigned_tester(old.cycle_report_id) or private.is_admin() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'anomaly_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can mark anomalies.';
  end if;
  if new.is_anomaly and nullif(btrim(coalesce(new.anomaly_note, '')), '') is null then
    raise exception using errcode = 'PT400', detail = 'anomaly_note_required',
      message = 'Say why this result is an anomaly.';
  end if;
  if new.is_anomaly or new.anomaly_note is not null then
    new.anomaly_marked_by := auth.uid();
    new.anomaly_marked_at := now();
  else
    new.anomaly_marked_by := null;
    new.anomaly_marked_at := null;
  end if;
  return new;
end;
$$;
comment on function private.guard_profiling_rule_result() is
  'Trigger: results are inserted by the service_role (or an operator) only, for an execution of the rule''s approved version, with confidential and restricted columns masked in the sample; they never change or go away, except the anomaly flag and note, which an assigned tester or admin sets (note required; who and when stamped). Errors: PT403 results_written_by_service | anomaly_requires_tester; PT409 execution_other_version | version_not_approved | result_immutable; PT400 sample_not_masked | anomaly_note_required.';

create trigger guard_profiling_rule_result
  before insert or update or delete on public.profiling_rule_results
  for each row execute function private.guard_profiling_rule_result();
create trigger refuse_truncate
  before truncate on public.profiling_rule_results
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.profiling_rule_results');

-- RLS ---------------------------------------------------------------------------------------------------------
alter table public.profiling_rule_results enable row level security;
revoke all on table public.profiling_rule_results from anon, authenticated;
grant select on table public.profiling_rule_results to authenticated;
grant update (is_anomaly, anomaly_note) on table public.profiling_rule_results to authenticated;

create policy "Assigned testers, owners and admins can read results"
  on public.profiling_rule_results for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));
create policy "Assigned testers and admins can mark anomalies"
  on public.profiling_rule_results for update to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()))
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));

revoke execute on function private.profiling_masked_columns(uuid), private.guard_profiling_rule_result() from public;
grant execute on function private.profiling_masked_columns(uuid) to service_role;
