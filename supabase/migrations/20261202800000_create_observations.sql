-- Observations (phase 8, decision 025): the findings of a cycle report, with their evidence and a lifecycle whose
-- moves are data (observation_transitions), made only through move_observation and recorded in
-- observation_history, from which observations.status derives.

create table public.observation_transitions (
  from_status text not null,
  to_status text not null,
  actor text not null check (actor in ('tester', 'report_owner', 'remediation_owner')),
  requires text check (requires in ('owner_response', 'remediation_plan', 'validation_evidence')),
  label text not null,
  primary key (from_status, to_status, actor)
);
comment on table public.observation_transitions is
  'The lifecycle of an observation as data: who (tester = an assigned tester or an admin; report_owner = the owner of the cycle report''s report; remediation_owner = the observation''s remediation owner) may move it from one status to another, what the move needs filled in first, and the button''s label. Read by move_observation and by the app.';
comment on column public.observation_transitions.requires is 'The observation''s field that must be filled in before the move (owner_response, remediation_plan, validation_evidence), or null.';

insert into public.observation_transitions (from_status, to_status, actor, requires, label) values
  ('draft', 'open', 'tester', null, 'Raise'),
  ('open', 'responded', 'report_owner', 'owner_response', 'Respond'),
  ('reopened', 'responded', 'report_owner', 'owner_response', 'Respond'),
  ('responded', 'remediating', 'remediation_owner', 'remediation_plan', 'Start remediation'),
  ('responded', 'remediating', 'report_owner', 'remediation_plan', 'Start remediation'),
  ('remediating', 'pending_validation', 'remediation_owner', null, 'Ask for validation'),
  ('remediating', 'pending_validation', 'report_owner', null, 'Ask for validation'),
  ('pending_validation', 'validated', 'tester', 'validation_evidence', 'Validate'),
  ('pending_validation', 'remediating', 'tester', null, 'Send back to remediation'),
  ('validated', 'closed', 'tester', null, 'Close'),
  ('closed', 'reopened', 'tester', null, 'Reopen');

alter table public.observation_transitions enable row level security;
create policy "Signed-in users can read the observation lifecycle" on public.observation_transitions
  for select to authenticated using (true);
revoke all on table public.observation_transitions from anon, authenticated;
grant select on table public.observation_transitions to authenticated;
grant all on table public.observation_transitions to service_role;

create table public.observations (
  id uuid primary key default extensions.gen_random_uuid(),
  cycle_report_id bigint not null references public.cycle_reports (id),
  title text not null check (char_length(btrim(title)) between 1 and 300),
  condition text check (char_length(condition) <= 8000),
  criteria text check (char_length(criteria) <= 8000),
  cause text check (char_length(cause) <= 8000),
  consequence text check (char_length(consequence) <= 8000),
  severity text not null default 'medium' check (severity in ('low', 'medium', 'high', 'critical')),
  category text not null default 'accuracy'
    check (category in ('accuracy', 'completeness', 'timeliness', 'validity', 'consistency', 'uniqueness', 'other')),
  impacted_attribute_ids uuid[] not null default '{}',
  impacted_report_lines text[] not null default '{}',
  root_cause text check (char_length(root_cause) <= 8000),
  remediation_owner_id uuid references public.profiles (id),
  due_date date,
  owner_response text check (char_length(owner_response) <= 8000),
  remediation_plan text check (char_length(remediation_plan) <= 8000),
  validation_evidence text check (char_length(validation_evidence) <= 8000),
  status text not null default 'draft',
  proposed_from text check (proposed_from in ('failed_tests', 'anomaly')),
  raised_by uuid references public.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.observations is
  'The findings of a cycle report (phase 8): what is wrong (condition), against what (criteria), why (cause), what follows (consequence), how bad (severity) and of what kind (category), the attributes and report lines it affects, its evidence (observation_evidence), the root cause, who remediates by when, the owner''s response, the remediation plan and the validation evidence. status derives from observation_history (moves through move_observation only).';
comment on column public.observations.severity is 'low | medium | high | critical. Materiality: critical = a reported figure is materially misstated or a regulatory breach; high = a misstatement above the report''s materiality threshold or a failing control on a critical data element; medium = below the threshold but systematic; low = isolated, no effect on reported figures (docs/decisions/025).';
comment on column public.observations.category is 'accuracy | completeness | timeliness | validity | consistency | uniqueness | other.';
comment on column public.observations.impacted_attribute_ids is 'The planning attributes (planning_attributes.id) the observation affects.';
comment on column public.observations.impacted_report_lines is 'The report lines (line or cell references of the regulatory report) the observation affects.';
comment on column public.observations.remediation_owner_id is 'Who remediates: a report owner (or data provider); set by a tester or the report owner.';
comment on column public.observations.owner_response is 'The report owner''s response, written by the report owner.';
comment on column public.observations.remediation_plan is 'The remediation plan, written by the remediation owner or the report owner.';
comment on column public.observations.validation_evidence is 'How the tester validated the remediation, written by a tester.';
comment on column public.observations.status is 'draft | open | responded | remediating | pending_validation | validated | closed | reopened: the to_status of the observation''s latest history row, kept by the database.';
comment on column public.observations.proposed_from is 'failed_tests | anomaly when propose_observations drafted it; null when a tester wrote it.';
comment on column public.observations.raised_by is 'The tester who created it, stamped by the database.';

create index observations_cycle_report_id_idx on public.observations (cycle_report_id);
create index observations_remediation_owner_id_idx on public.observations (remediation_owner_id);
create index observations_raised_by_idx on public.observations (raised_by);

create table public.observation_history (
  id bigint generated always as identity primary key,
  observation_id uuid not null references public.observations (id) on delete cascade,
  from_status text,
  to_status text not null,
  actor text not null,
  comment text not null check (char_length(btrim(comment)) between 1 and 4000),
  moved_by uuid references public.profiles (id),
  moved_at timestamptz not null default clock_timestamp()
);
comment on table public.observation_history is
  'Every move of an observation with its comment, who made it (as tester, report_owner or remediation_owner) and when; the first row (from_status null, to draft) is its creation. Written by the database only; observations.status is the latest to_status.';
create index observation_history_observation_id_idx on public.observation_history (observation_id, id);
create index observation_history_moved_by_idx on public.observation_history (moved_by);

create table public.observation_evidence (
  id bigint generated always as identity primary key,
  observation_id uuid not null references public.observations (id) on delete cascade,
  test_case_id uuid references public.test_cases (id),
  rule_result_id bigint references public.profiling_rule_results (id),
  kind text not null,
  linked_by uuid references public.profiles (id),
  linked_at timestamptz not null default now(),
  check (num_nonnulls(test_case_id, rule_result_id) = 1),
  unique (observation_id, test_case_id),
  unique (observation_id, rule_result_id)
);
comment on table public.observation_evidence is
  'What an observation comes from, many to many: failed test cases (test_cases with result fail) and profiling rule results (anomalies among them) of the same cycle report. kind (failed_test | anomaly | rule_result) is set by the database.';
create index observation_evidence_test_case_id_idx on public.observation_evidence (test_case_id);
create index observation_evidence_rule_result_id_idx on public.observation_evidence (rule_result_id);
create index observation_evidence_linked_by_idx on public.observation_evidence (linked_by);

-- Guards -------------------------------------------------------------------------------------------------------
create function private.refuse_change_of_completed_cycle_report(p_cycle_report_id bigint)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.workflow_phases p
              where p.cycle_report_id = p_cycle_report_id and p.phase_name = 'test_report' and p.status = 'completed') then
    raise exception using errcode = 'PT409', detail = 'cycle_report_completed',
      message = 'The test report is approved, so this cycle report is final until an admin reopens the test report phase.';
  end if;
end;
$$;
comment on function private.refuse_change_of_completed_cycle_report(bigint) is
  'Raises PT409 cycle_report_completed once the cycle report''s test report phase is completed (its report approved): nothing of it changes until an admin reopens that phase.';
revoke execute on function private.refuse_change_of_completed_cycle_report(bigint) from public;

create function private.guard_observation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cr bigint := case when tg_op = 'DELETE' then old.cycle_report_id else new.cycle_report_id end;
  v_tester boolean := private.can_work_on_cycle_report(v_cr);
  v_owner boolean := private.is_report_owner_of(v_cr);
  v_moving boolean := coalesce(pg_catalog.current_setting('regtest.moving_observation_id', true)
                               = (case when tg_op = 'DELETE' then old.id else new.id end)::text, false);
begin
  perform private.refuse_change_of_completed_cycle_report(v_cr);

  if tg_op = 'DELETE' then
    if not v_tester then
      raise exception using errcode = 'PT403', detail = 'observation_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can remove an observation.';
    end if;
    if old.status <> 'draft' then
      raise exception using errcode = 'PT409', detail = 'observation_not_draft',
        message = 'Only a draft observation can be removed; a raised one is closed through its lifecycle.';
    end if;
    return old;
  end if;

  if tg_op = 'INSERT' then
    if not v_tester then
      raise exception using errcode = 'PT403', detail = 'observation_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can record an observation.';
    end if;
    if not exists (select 1 from public.workflow_phases p
                    where p.cycle_report_id = new.cycle_report_id and p.phase_name = 'observation_mgmt'
                      and p.status = 'in_progress') then
      raise exception using errcode = 'PT409', detail = 'observation_phase_not_in_progress',
        message = 'Observations are recorded while the observation management phase is in progress.';
    end if;
    if pg_catalog.current_setting('regtest.proposing_observations', true) is distinct from 'on' then
      new.proposed_from := null;
    end if;
    new.status := 'draft';
    new.raised_by := auth.uid();
    new.created_at := now();
  else
    if new.id is distinct from old.id or new.cycle_report_id is distinct from old.cycle_report_id
       or new.raised_by is distinct from old.raised_by or new.created_at is distinct from old.created_at
       or new.proposed_from is distinct from old.proposed_from then
      raise exception using errcode = 'PT409', detail = 'observation_column_derived',
        message = 'An observation''s cycle report, author, origin and creation time are the database''s.';
    end if;
    if new.status is distinct from old.status and not v_moving then
      raise exception using errcode = 'PT409', detail = 'observation_status_derived',
        message = 'An observation''s status follows its history: move it with move_observation.';
    end if;
    if not v_moving then
      if old.status = 'closed' then
        raise exception using errcode = 'PT409', detail = 'observation_closed',
          message = 'A closed observation is final; reopen it to change it.';
      end if;
      if (new.title, new.condition, new.criteria, new.cause, new.consequence, new.severity, new.category,
          new.impacted_attribute_ids, new.impacted_report_lines, new.root_cause, new.validation_evidence)
         is distinct from
         (old.title, old.condition, old.criteria, old.cause, old.consequence, old.severity, old.category,
          old.impacted_attribute_ids, old.impacted_report_lines, old.root_cause, old.validation_evidence)
         and not v_tester then
        raise exception using errcode = 'PT403', detail = 'observation_field_requires_tester',
          message = 'The finding, its severity, category, impact, root cause and validation evidence are the tester''s.';
      end if;
      if (new.remediation_owner_id, new.due_date) is distinct from (old.remediation_owner_id, old.due_date)
         and not (v_tester or v_owner) then
        raise exception using errcode = 'PT403', detail = 'observation_assignment_requires_tester_or_owner',
          message = 'A tester or the report owner assigns the remediation owner and the due date.';
      end if;
      if new.owner_response is distinct from old.owner_response and not v_owner then
        raise exception using errcode = 'PT403', detail = 'owner_response_requires_report_owner',
          message = 'Only the report owner writes the owner''s response.';
      end if;
      if new.remediation_plan is distinct from old.remediation_plan
         and not (v_owner or (new.remediation_owner_id is not null and new.remediation_owner_id = auth.uid())) then
        raise exception using errcode = 'PT403', detail = 'remediation_plan_requires_remediation_owner',
          message = 'Only the remediation owner (or the report owner) writes the remediation plan.';
      end if;
    end if;
  end if;

  if new.remediation_owner_id is not null and (tg_op = 'INSERT' or new.remediation_owner_id is distinct from old.remediation_owner_id)
     and not exists (select 1 from public.profiles p
                      where p.id = new.remediation_owner_id and p.app_role::text in ('report_owner', 'data_provider')) then
    raise exception using errcode = 'PT400', detail = 'remediation_owner_not_owner',
      message = 'The remediation owner is a report owner or a data provider.';
  end if;
  if exists (select 1 from unnest(new.impacted_attribute_ids) a(id)
              where not exists (select 1 from public.planning_attributes pa join public.artifact_versions v on v.id = pa.version_id
                                 where pa.id = a.id and v.cycle_report_id = new.cycle_report_id)) then
    raise exception using errcode = 'PT400', detail = 'impacted_attribute_unknown',
      message = 'An impacted attribute is not an attribute of this cycle report''s planning.';
  end if;
  return new;
end;
$$;
comment on function private.guard_observation() is
  'Trigger on observations: recorded (as draft, raised_by stamped) and removed (drafts only) by an assigned tester or an admin while the observation phase is in progress; the finding, severity, category, impact, root cause and validation evidence are the tester''s, the owner''s response the report owner''s, the remediation plan the remediation owner''s (or the report owner''s), the remediation owner and due date a tester''s or the report owner''s; status only through move_observation; closed observations are final until reopened; nothing changes once the test report is approved. Errors: PT403 observation_requires_tester | observation_field_requires_tester | observation_assignment_requires_tester_or_owner | owner_response_requires_report_owner | remediation_plan_requires_remediation_owner, PT409 observation_phase_not_in_progress | observation_not_draft | observation_column_derived | observation_status_derived | observation_closed | cycle_report_completed, PT400 remediation_owner_not_owner | impacted_attribute_unknown.';
revoke execute on function private.guard_observation() from public;

create trigger guard_observation before insert or update or delete on public.observations
  for each row execute function private.guard_observation();
create trigger touch_updated_at before update on public.observations
  for each row execute function private.touch_updated_at();

create function private.start_observation_history()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.observation_history (observation_id, from_status, to_status, actor, comment, moved_by)
  values (new.id, null, 'draft', 'tester',
          case when new.proposed_from is null then 'Recorded' else 'Proposed from ' || replace(new.proposed_from, '_', ' ') end,
          auth.uid());
  return null;
end;
$$;
comment on function private.start_observation_history() is 'Trigger on observations insert: the first history row (to draft).';
revoke execute on function private.start_observation_history() from public;
create trigger start_observation_history after insert on public.observations
  for each row execute function private.start_observation_history();

create function private.derive_observation_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_marker text := pg_catalog.current_setting('regtest.moving_observation_id', true);
begin
  if tg_op = 'INSERT' and new.from_status is not null then
    if pg_catalog.current_setting('regtest.recording_observation_move', true) is distinct from new.observation_id::text then
      raise exception using errcode = 'PT409', detail = 'observation_move_through_function',
        message = 'An observation moves through move_observation.';
    end if;
    perform pg_catalog.set_config('regtest.moving_observation_id', new.observation_id::text, true);
    update public.observations o
       set status = (select h.to_status from public.observation_history h
                      where h.observation_id = new.observation_id order by h.id desc limit 1)
     where o.id = new.observation_id;
    perform pg_catalog.set_config('regtest.moving_observation_id', coalesce(v_marker, ''), true);
    return null;
  elsif tg_op = 'INSERT' then
    return null;
  end if;
  if tg_op = 'DELETE' and not exists (select 1 from public.observations o where o.id = old.observation_id) then
    return null; -- the draft observation itself is being removed
  end if;
  raise exception using errcode = 'PT409', detail = 'observation_history_final',
    message = 'An observation''s history is final.';
end;
$$;
comment on function private.derive_observation_status() is
  'Trigger on observation_history: a move (written by move_observation only, PT409 observation_move_through_function) sets observations.status to the latest row''s to_status; history rows are never changed or removed (PT409 observation_history_final), except with their draft observation.';
revoke execute on function private.derive_observation_status() from public;
create trigger derive_observation_status after insert or update or delete on public.observation_history
  for each row execute function private.derive_observation_status();

create function private.shape_observation_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_observation public.observations;
  v_case record;
  v_result record;
begin
  select * into v_observation from public.observations o
   where o.id = case when tg_op = 'DELETE' then old.observation_id else new.observation_id end;
  if v_observation.id is null then
    return case when tg_op = 'DELETE' then old else null end;
  end if;
  perform private.refuse_change_of_completed_cycle_report(v_observation.cycle_report_id);
  if not private.can_work_on_cycle_report(v_observation.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'observation_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) links evidence.';
  end if;
  if v_observation.status = 'closed' then
    raise exception using errcode = 'PT409', detail = 'observation_closed',
      message = 'A closed observation is final; reopen it to change it.';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'UPDATE' then
    raise exception using errcode = 'PT409', detail = 'evidence_link_final',
      message = 'An evidence link is removed and added, not changed.';
  end if;
  if new.test_case_id is not null then
    select t.result, v.cycle_report_id into v_case
      from public.test_cases t join public.artifact_versions v on v.id = t.version_id where t.id = new.test_case_id;
    if v_case.cycle_report_id is distinct from v_observation.cycle_report_id then
      raise exception using errcode = 'PT400', detail = 'evidence_other_cycle_report',
        message = 'The evidence belongs to another cycle report.';
    end if;
    if v_case.result is distinct from 'fail' then
      raise exception using errcode = 'PT400', detail = 'test_case_not_failed',
        message = 'Only a failed test case is evidence of an observation.';
    end if;
    new.kind := 'failed_test';
  else
    select r.cycle_report_id, r.is_anomaly into v_result from public.profiling_rule_results r where r.id = new.rule_result_id;
    if v_result.cycle_report_id is distinct from v_observation.cycle_report_id then
      raise exception using errcode = 'PT400', detail = 'evidence_other_cycle_report',
        message = 'The evidence belongs to another cycle report.';
    end if;
    new.kind := case when v_result.is_anomaly then 'anomaly' else 'rule_result' end;
  end if;
  new.linked_by := auth.uid();
  new.linked_at := now();
  return new;
end;
$$;
comment on function private.shape_observation_evidence() is
  'Trigger on observation_evidence: an assigned tester or an admin links a failed test case (PT400 test_case_not_failed) or a profiling rule result of the observation''s cycle report (PT400 evidence_other_cycle_report) to an observation that is not closed; kind and linked_by/at are the database''s; links are not changed (PT409 evidence_link_final).';
revoke execute on function private.shape_observation_evidence() from public;
create trigger shape_observation_evidence before insert or update or delete on public.observation_evidence
  for each row execute function private.shape_observation_evidence();

select private.attach_audit('public.observation_transitions', array[]::text[]);
select private.attach_audit('public.observations');
select private.attach_audit('public.observation_history', array[]::text[]);
select private.attach_audit('public.observation_evidence', array[]::text[]);

-- Row-level security --------------------------------------------------------------------------------------------
alter table public.observations enable row level security;
alter table public.observation_history enable row level security;
alter table public.observation_evidence enable row level security;

create policy "Testers, owners and remediation owners can read observations" on public.observations
  for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()) or remediation_owner_id = (select auth.uid()));
create policy "Assigned testers and admins can record observations" on public.observations
  for insert to authenticated with check (cycle_report_id in (select private.workable_cycle_report_ids()));
create policy "Testers, owners and remediation owners can update observations" on public.observations
  for update to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()) or remediation_owner_id = (select auth.uid()))
  with check (cycle_report_id in (select private.readable_cycle_report_ids()) or remediation_owner_id = (select auth.uid()));
create policy "Assigned testers and admins can remove draft observations" on public.observations
  for delete to authenticated using (cycle_report_id in (select private.workable_cycle_report_ids()));

create policy "Readers of an observation can read its history" on public.observation_history
  for select to authenticated using (observation_id in (select o.id from public.observations o));
create policy "Readers of an observation can read its evidence" on public.observation_evidence
  for select to authenticated using (observation_id in (select o.id from public.observations o));
create policy "Assigned testers and admins can link evidence" on public.observation_evidence
  for insert to authenticated
  with check (observation_id in (select o.id from public.observations o
                                  where o.cycle_report_id in (select private.workable_cycle_report_ids())));
create policy "Assigned testers and admins can unlink evidence" on public.observation_evidence
  for delete to authenticated
  using (observation_id in (select o.id from public.observations o
                             where o.cycle_report_id in (select private.workable_cycle_report_ids())));

revoke all on table public.observations, public.observation_history, public.observation_evidence from anon, authenticated;
grant select, delete on table public.observations to authenticated;
grant insert (cycle_report_id, title, condition, criteria, cause, consequence, severity, category, impacted_attribute_ids,
  impacted_report_lines, root_cause, remediation_owner_id, due_date) on table public.observations to authenticated;
grant update (title, condition, criteria, cause, consequence, severity, category, impacted_attribute_ids,
  impacted_report_lines, root_cause, remediation_owner_id, due_date, owner_response, remediation_plan,
  validation_evidence) on table public.observations to authenticated;
grant select on table public.observation_history to authenticated;
grant select, delete on table public.observation_evidence to authenticated;
grant insert (observation_id, test_case_id, rule_result_id) on table public.observation_evidence to authenticated;
grant all on table public.observations, public.observation_history, public.observation_evidence to service_role;
