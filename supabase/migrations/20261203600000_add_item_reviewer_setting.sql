-- Who reviews a phase's items, as data (decision 031): the item's tester decision is the review. By default it is
-- recorded by a tester assigned to the cycle report (in test execution: a second tester, never the preparer); a
-- phase whose item_reviewer is report_owner has the report's owner record it instead, and testers may not. The
-- methodology sets it per phase (phase_definitions.item_reviewer); one cycle report's phase may depart from it
-- (workflow_phases.item_reviewer, e.g. a report with a single tester). Admins set both in Studio. Only a phase where
-- the owner does not also decide each item (owner_item_review false) can name the owner as its reviewer, or the
-- owner would decide twice.

alter table public.phase_definitions
  add column item_reviewer text not null default 'assigned_tester'
    check (item_reviewer in ('assigned_tester', 'report_owner')),
  add constraint phase_definitions_item_reviewer_owner_review_check
    check (item_reviewer = 'assigned_tester' or not owner_item_review);
comment on column public.phase_definitions.item_reviewer is
  'Who records the tester decision on the phase''s items, which in test execution is the reviewer''s sign-off: assigned_tester (a tester assigned to the cycle report; in test execution never the case''s preparer) or report_owner (the report''s owner; testers may not). report_owner only where owner_item_review is false. Read when a decision is recorded: sign-offs already recorded stand when an admin changes it.';

alter table public.workflow_phases
  add column item_reviewer text check (item_reviewer in ('assigned_tester', 'report_owner'));
comment on column public.workflow_phases.item_reviewer is
  'This cycle report''s departure from the phase''s reviewer (phase_definitions.item_reviewer): assigned_tester or report_owner, or null to follow the phase. Set by admins in Studio; report_owner only where the phase''s owner_item_review is false (PT400 owner_reviews_items_already).';

create function private.check_phase_item_reviewer()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.item_reviewer = 'report_owner'
     and exists (select 1 from public.phase_definitions d where d.name = new.phase_name and d.owner_item_review) then
    raise exception using errcode = 'PT400', detail = 'owner_reviews_items_already',
      message = 'The report owner already decides each item of this phase, so the owner cannot also be its reviewer.';
  end if;
  return new;
end;
$$;
comment on function private.check_phase_item_reviewer() is
  'Trigger on workflow_phases: a cycle report''s phase names the report owner as its reviewer only where the owner does not decide each item already (PT400 owner_reviews_items_already).';
revoke execute on function private.check_phase_item_reviewer() from public;

create trigger check_phase_item_reviewer before insert or update of item_reviewer on public.workflow_phases
  for each row execute function private.check_phase_item_reviewer();

create function private.item_reviewer_of(p_cycle_report_id bigint, p_phase_name text)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select w.item_reviewer from public.workflow_phases w where w.cycle_report_id = p_cycle_report_id and w.phase_name = p_phase_name),
    (select d.item_reviewer from public.phase_definitions d where d.name = p_phase_name))
$$;
comment on function private.item_reviewer_of(bigint, text) is
  'Who reviews the items of a cycle report''s phase: the phase''s own setting for that cycle report (workflow_phases.item_reviewer), else the phase''s (phase_definitions.item_reviewer): assigned_tester or report_owner.';
revoke execute on function private.item_reviewer_of(bigint, text) from public;

-- The tester decision's check reads the phase's reviewer. ------------------------------------------------------
create or replace function private.check_tester_decision(p_version private.item_version)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_reviewer text := private.item_reviewer_of(p_version.cycle_report_id, p_version.phase_name);
begin
  if p_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'tester_decision_not_in_draft',
      message = format('Tester decisions can only be recorded while the version is a draft; this version is %s.', p_version.version_status);
  end if;
  if v_reviewer = 'report_owner' then
    if not (private.is_privileged() or private.is_report_owner_of(p_version.cycle_report_id)) then
      raise exception using errcode = 'PT403', detail = 'review_requires_report_owner',
        message = 'In this phase the report owner reviews the items (phase_definitions.item_reviewer); testers prepare them.';
    end if;
  elsif not private.can_work_on_cycle_report(p_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'tester_decision_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can record tester decisions.';
  end if;
end;
$$;
comment on function private.check_tester_decision(private.item_version) is
  'Item guard: tester decisions only in a draft (PT409 tester_decision_not_in_draft), by whom private.item_reviewer_of names: an assigned tester or an admin (PT403 tester_decision_requires_tester), or, where it is report_owner, the report''s owner or an admin (PT403 review_requires_report_owner).';
revoke execute on function private.check_tester_decision(private.item_version) from public;

-- The owner who reviewed the items as the phase's reviewer still approves the version. -------------------------
create or replace function private.segregate_version_approval()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_trigger_depth() = 1 and old.version_status = 'pending_approval' and new.version_status = 'approved'
     and exists (select 1 from private.item_tester_deciders d where d.version_id = old.id and d.decider_id = auth.uid())
     and not (private.is_report_owner_of(old.cycle_report_id)
              and private.item_reviewer_of(old.cycle_report_id, old.phase_name) = 'report_owner') then
    perform private.override_or_refuse_duty('approver_made_tester_decisions',
      'You recorded tester decisions in this version, so someone else must approve it.', old.cycle_report_id, old.id);
  end if;
  return new;
end;
$$;
comment on function private.segregate_version_approval() is
  'Trigger (before update, after version_before_update) on artifact_versions: the approver recorded no tester decision in the version (PT403 approver_made_tester_decisions), except the report owner where the phase''s reviewer (private.item_reviewer_of) is report_owner, whose tester decisions are the review of the items, as owner decisions are where the owner reviews items; an admin''s approval is recorded in duty_segregation_overrides instead.';
revoke execute on function private.segregate_version_approval() from public;
