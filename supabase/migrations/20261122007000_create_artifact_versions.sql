-- One version lifecycle for the artifact of every phase:
--   draft → pending_approval → approved | rejected, and approved → superseded when a newer version is approved.
-- The rules live in triggers, so they hold for the RPCs, for direct REST writes and for postgres in Studio.
-- Item tables opt in with private.attach_versioned_items (20261122008000).

create type public.version_status as enum ('draft', 'pending_approval', 'approved', 'rejected', 'superseded');
comment on type public.version_status is
  'Lifecycle of an artifact version: draft → pending_approval → approved | rejected; approved → superseded.';

create table public.artifact_versions (
  id uuid primary key default extensions.gen_random_uuid(),
  phase_id bigint not null references public.workflow_phases (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  phase_name text not null references public.phase_definitions (name),
  version_number integer not null,
  version_status public.version_status not null default 'draft',
  parent_version_id uuid references public.artifact_versions (id),
  created_by uuid references public.profiles (id),
  created_at timestamptz not null default now(),
  submitted_by uuid references public.profiles (id),
  submitted_at timestamptz,
  approved_by uuid references public.profiles (id),
  approved_at timestamptz,
  rejected_by uuid references public.profiles (id),
  rejected_at timestamptz,
  rejection_reason text,
  superseded_at timestamptz,
  superseded_by_version_id uuid references public.artifact_versions (id),
  item_count integer not null default 0 check (item_count >= 0),
  tester_decided_count integer not null default 0 check (tester_decided_count >= 0),
  owner_decided_count integer not null default 0 check (owner_decided_count >= 0),
  approved_count integer not null default 0 check (approved_count >= 0),
  rejected_count integer not null default 0 check (rejected_count >= 0),
  pending_count integer generated always as (item_count - approved_count - rejected_count) stored,
  summary jsonb not null default '{}',
  generation_summary jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  unique (phase_id, version_number)
);
comment on table public.artifact_versions is
  'Versions of the artifact of every phase (one table for all phases). Numbered 1, 2, 3… per phase without gaps; at most one open (draft or pending_approval) and one approved version per phase. Transitions through create_version, submit_version, approve_version, reject_version.';
comment on column public.artifact_versions.id is 'The version''s id (the seeds'' version_id).';
comment on column public.artifact_versions.cycle_report_id is 'The phase''s cycle report (set by trigger), for row-level security.';
comment on column public.artifact_versions.phase_name is 'The phase''s name (set by trigger); item tables of other phases cannot attach items to it.';
comment on column public.artifact_versions.version_number is 'Assigned by the database: 1, 2, 3… per phase, no gaps.';
comment on column public.artifact_versions.parent_version_id is 'The version this one was created from; its items were copied with lineage (parent_item_id).';
comment on column public.artifact_versions.item_count is 'Number of items (all item tables of the phase). Maintained incrementally by item triggers.';
comment on column public.artifact_versions.tester_decided_count is 'Items with a tester decision. Maintained incrementally.';
comment on column public.artifact_versions.owner_decided_count is 'Items with a report-owner decision. Maintained incrementally.';
comment on column public.artifact_versions.approved_count is 'Items whose status is approved. Maintained incrementally.';
comment on column public.artifact_versions.rejected_count is 'Items whose status is rejected. Maintained incrementally.';
comment on column public.artifact_versions.summary is 'Phase-specific summary (e.g. planning: primary key, CDE and mandatory attribute counts). Editable while draft.';
comment on column public.artifact_versions.generation_summary is 'How the items were generated (LLM provider, model, counts). Editable while draft.';

create unique index artifact_versions_one_open_per_phase
  on public.artifact_versions (phase_id) where version_status in ('draft', 'pending_approval');
create unique index artifact_versions_one_approved_per_phase
  on public.artifact_versions (phase_id) where version_status = 'approved';
create index artifact_versions_cycle_report_id_idx on public.artifact_versions (cycle_report_id);
create index artifact_versions_parent_version_id_idx on public.artifact_versions (parent_version_id);

-- Insert: a new draft, numbered under a lock on its phase ------------------------------------------------
create function private.version_before_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase record;
  v_parent record;
begin
  select p.id, p.cycle_report_id, p.phase_name, p.status, d.has_artifact
    into v_phase
    from public.workflow_phases p
    join public.phase_definitions d on d.name = p.phase_name
   where p.id = new.phase_id
     for update of p;
  if not found then
    raise exception using errcode = 'PT404', detail = 'phase_not_found',
      message = format('Workflow phase %s does not exist.', new.phase_id);
  end if;
  if not private.can_work_on_cycle_report(v_phase.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'version_create_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can create a version.';
  end if;
  if not v_phase.has_artifact then
    raise exception using errcode = 'PT409', detail = 'phase_has_no_artifact',
      message = format('The %s phase has no versioned artifact.', v_phase.phase_name);
  end if;
  if v_phase.status <> 'in_progress' then
    raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
      message = format('The %s phase is %s; versions can only be created while it is in progress.',
        v_phase.phase_name, v_phase.status),
      hint = 'Start the phase first.';
  end if;
  if new.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_must_start_as_draft',
      message = 'A new version always starts as a draft.';
  end if;
  if exists (select 1 from public.artifact_versions v
              where v.phase_id = new.phase_id and v.version_status in ('draft', 'pending_approval')) then
    raise exception using errcode = 'PT409', detail = 'open_version_exists',
      message = format('The %s phase already has a version in draft or awaiting approval.', v_phase.phase_name),
      hint = 'Finish or delete that version first.';
  end if;
  if new.parent_version_id is not null then
    select v.phase_id, v.version_status into v_parent
      from public.artifact_versions v where v.id = new.parent_version_id;
    if not found or v_parent.phase_id <> new.phase_id then
      raise exception using errcode = 'PT409', detail = 'parent_version_other_phase',
        message = 'A version can only be created from a version of the same phase.';
    end if;
    if v_parent.version_status not in ('approved', 'rejected') then
      raise exception using errcode = 'PT409', detail = 'parent_version_not_final',
        message = format('A new version can only be created from an approved or rejected version (this one is %s).',
          v_parent.version_status);
    end if;
  end if;

  new.cycle_report_id := v_phase.cycle_report_id;
  new.phase_name := v_phase.phase_name;
  new.version_number := coalesce(
    (select max(v.version_number) from public.artifact_versions v where v.phase_id = new.phase_id), 0) + 1;
  new.created_by := auth.uid();
  new.created_at := now();
  new.updated_at := now();
  new.submitted_by := null; new.submitted_at := null;
  new.approved_by := null; new.approved_at := null;
  new.rejected_by := null; new.rejected_at := null; new.rejection_reason := null;
  new.superseded_at := null; new.superseded_by_version_id := null;
  new.item_count := 0; new.tester_decided_count := 0; new.owner_decided_count := 0;
  new.approved_count := 0; new.rejected_count := 0;
  return new;
end;
$$;
comment on function private.version_before_insert() is
  'Trigger: a new version is a draft of an in-progress phase with an artifact, created by its tester or an admin, with no other open version; numbered max + 1 under a lock on the phase row (no gaps).';

create trigger version_before_insert
  before insert on public.artifact_versions
  for each row execute function private.version_before_insert();

-- Update: only the lifecycle's transitions ----------------------------------------------------------------
create function private.version_before_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_owner_review boolean;
begin
  -- Changes made by the engine's own triggers (item counters, superseding on approval).
  if pg_trigger_depth() > 1 then
    return new;
  end if;

  if (new.id, new.phase_id, new.cycle_report_id, new.phase_name, new.version_number, new.parent_version_id,
      new.created_by, new.created_at)
     is distinct from
     (old.id, old.phase_id, old.cycle_report_id, old.phase_name, old.version_number, old.parent_version_id,
      old.created_by, old.created_at) then
    raise exception using errcode = 'PT409', detail = 'version_column_immutable',
      message = 'A version''s phase, number, parent and creator cannot change.';
  end if;
  if (new.item_count, new.tester_decided_count, new.owner_decided_count, new.approved_count, new.rejected_count)
     is distinct from
     (old.item_count, old.tester_decided_count, old.owner_decided_count, old.approved_count, old.rejected_count) then
    raise exception using errcode = 'PT409', detail = 'version_counters_derived',
      message = 'A version''s item counters are maintained by the database and cannot be set.';
  end if;

  if new.version_status = old.version_status then
    if (new.submitted_by, new.submitted_at, new.approved_by, new.approved_at, new.rejected_by, new.rejected_at,
        new.rejection_reason, new.superseded_at, new.superseded_by_version_id)
       is distinct from
       (old.submitted_by, old.submitted_at, old.approved_by, old.approved_at, old.rejected_by, old.rejected_at,
        old.rejection_reason, old.superseded_at, old.superseded_by_version_id) then
      raise exception using errcode = 'PT409', detail = 'version_stamps_derived',
        message = 'Who submitted, approved or rejected a version, and when, is recorded by its transitions and cannot be set.';
    end if;
    if (new.summary, new.generation_summary) is distinct from (old.summary, old.generation_summary) then
      if old.version_status <> 'draft' then
        raise exception using errcode = 'PT409', detail = 'version_not_draft',
          message = format('This version is %s; only a draft can change.', old.version_status);
      end if;
      if not private.can_work_on_cycle_report(old.cycle_report_id) then
        raise exception using errcode = 'PT403', detail = 'version_edit_requires_tester',
          message = 'Only a tester assigned to this cycle report (or an admin) can edit a draft.';
      end if;
    end if;
    return new;
  end if;

  -- A transition: the stamps are the database's, whatever the caller sent.
  new.submitted_by := old.submitted_by; new.submitted_at := old.submitted_at;
  new.approved_by := old.approved_by; new.approved_at := old.approved_at;
  new.rejected_by := old.rejected_by; new.rejected_at := old.rejected_at;
  new.superseded_at := old.superseded_at; new.superseded_by_version_id := old.superseded_by_version_id;
  if new.version_status <> 'rejected' then
    new.rejection_reason := old.rejection_reason;
  end if;

  if old.version_status = 'draft' and new.version_status = 'pending_approval' then
    if not private.can_work_on_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'submit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can submit a version.';
    end if;
    if old.item_count = 0 then
      raise exception using errcode = 'PT409', detail = 'version_empty',
        message = 'An empty version cannot be submitted.';
    end if;
    if old.tester_decided_count < old.item_count then
      raise exception using errcode = 'PT409', detail = 'tester_decisions_missing',
        message = format('%s of %s items have no tester decision yet; every item needs one before submitting.',
          old.item_count - old.tester_decided_count, old.item_count);
    end if;
    new.submitted_by := auth.uid();
    new.submitted_at := now();

  elsif old.version_status = 'pending_approval' and new.version_status = 'approved' then
    if not private.can_review_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'approve_requires_report_owner',
        message = 'Only the owner of this report (or an admin) can approve a version.';
    end if;
    if old.submitted_by = auth.uid() and not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'approver_is_submitter',
        message = 'You submitted this version, so someone else must approve it.';
    end if;
    select d.owner_item_review into v_owner_review from public.phase_definitions d where d.name = old.phase_name;
    if v_owner_review and old.owner_decided_count < old.item_count then
      raise exception using errcode = 'PT409', detail = 'owner_decisions_missing',
        message = format('%s of %s items have no report-owner decision yet; every item needs one before approval.',
          old.item_count - old.owner_decided_count, old.item_count);
    end if;
    -- The previously approved version of the phase is superseded (its own trigger sees depth > 1).
    update public.artifact_versions v
       set version_status = 'superseded', superseded_at = now(), superseded_by_version_id = old.id
     where v.phase_id = old.phase_id and v.version_status = 'approved' and v.id <> old.id;
    new.approved_by := auth.uid();
    new.approved_at := now();

  elsif old.version_status = 'pending_approval' and new.version_status = 'rejected' then
    if not private.can_review_cycle_report(old.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'reject_requires_report_owner',
        message = 'Only the owner of this report (or an admin) can reject a version.';
    end if;
    if nullif(btrim(coalesce(new.rejection_reason, '')), '') is null then
      raise exception using errcode = 'PT400', detail = 'rejection_reason_required',
        message = 'A rejection needs a reason.';
    end if;
    new.rejected_by := auth.uid();
    new.rejected_at := now();

  else
    raise exception using errcode = 'PT409', detail = 'illegal_version_transition',
      message = format('A version cannot go from %s to %s.', old.version_status, new.version_status),
      hint = case old.version_status
        when 'draft' then 'Submit the draft for approval.'
        when 'pending_approval' then 'The report owner approves or rejects it.'
        else 'Create a new version from this one instead.' end;
  end if;
  return new;
end;
$$;
comment on function private.version_before_update() is
  'Trigger: only legal transitions, by the right role, with their preconditions (submit: every item has a tester decision; approve: owner decisions where the phase reviews items, approver is not the submitter unless admin); stamps who and when; supersedes the previously approved version. Counters and stamps cannot be set by hand.';

create trigger version_before_update
  before update on public.artifact_versions
  for each row execute function private.version_before_update();

-- Delete: only a draft (always the newest number, so no gap) -----------------------------------------------
create function private.version_before_delete()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('This version is %s; only a draft can be deleted.', old.version_status);
  end if;
  if not private.can_work_on_cycle_report(old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'version_delete_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can delete a draft.';
  end if;
  return old;
end;
$$;
comment on function private.version_before_delete() is 'Trigger: only drafts are deleted, by their tester or an admin.';

create trigger version_before_delete
  before delete on public.artifact_versions
  for each row execute function private.version_before_delete();

create function private.refuse_truncate()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'PT403', detail = 'truncate_refused',
    message = format('%s.%s keeps workflow history and cannot be truncated.', tg_table_schema, tg_table_name);
end;
$$;
comment on function private.refuse_truncate() is 'Trigger: refuses TRUNCATE on tables that keep workflow history.';

create trigger refuse_truncate
  before truncate on public.artifact_versions
  for each statement execute function private.refuse_truncate();

create trigger touch_updated_at before update on public.artifact_versions
  for each row execute function private.touch_updated_at();

-- Version helpers for policies -------------------------------------------------------------------------
create function private.readable_version_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select v.id from public.artifact_versions v where v.cycle_report_id in (select private.readable_cycle_report_ids())
$$;
comment on function private.readable_version_ids() is 'Ids of the versions the signed-in user may read.';

create function private.workable_version_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select v.id from public.artifact_versions v where v.cycle_report_id in (select private.workable_cycle_report_ids())
$$;
comment on function private.workable_version_ids() is 'Ids of the versions on which the signed-in user may do a tester''s work.';

grant execute on function private.readable_version_ids(), private.workable_version_ids() to authenticated, service_role;

-- RLS ---------------------------------------------------------------------------------------------------
alter table public.artifact_versions enable row level security;
revoke all on table public.artifact_versions from anon, authenticated;
grant select, delete on table public.artifact_versions to authenticated;
grant update (summary, generation_summary) on table public.artifact_versions to authenticated;

create policy "Assigned testers, owners and admins can read versions"
  on public.artifact_versions for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));
create policy "Assigned testers and admins can edit the summaries of versions"
  on public.artifact_versions for update to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()))
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));
create policy "Assigned testers and admins can delete draft versions"
  on public.artifact_versions for delete to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()));

select private.attach_audit('public.artifact_versions', array[
  'updated_at', 'item_count', 'tester_decided_count', 'owner_decided_count', 'approved_count', 'rejected_count',
  'pending_count'
]);

-- RPCs: the public API of the lifecycle ---------------------------------------------------------------------
create function public.create_version(p_phase_id bigint, p_parent_version_id uuid default null)
returns public.artifact_versions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint;
  v_parent uuid := p_parent_version_id;
  v_row public.artifact_versions;
begin
  select p.cycle_report_id into v_cycle_report_id from public.workflow_phases p where p.id = p_phase_id;
  if not found or not private.can_read_cycle_report(v_cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'phase_not_found',
      message = format('Workflow phase %s does not exist or is not visible to you.', p_phase_id);
  end if;
  if v_parent is null then
    select v.id into v_parent from public.artifact_versions v
     where v.phase_id = p_phase_id and v.version_status in ('approved', 'rejected')
     order by v.version_number desc limit 1;
  end if;
  insert into public.artifact_versions (phase_id, parent_version_id)
  values (p_phase_id, v_parent)
  returning * into v_row;
  -- Items were copied by the insert trigger; return the row with its counters.
  select * into v_row from public.artifact_versions v where v.id = v_row.id;
  return v_row;
end;
$$;
comment on function public.create_version(bigint, uuid) is
  'Creates the next draft version of a phase''s artifact. Its items are copied from the parent version (default: the phase''s latest approved or rejected version) with lineage; approved items stay approved where the phase carries them forward. Errors: PT404 phase_not_found, PT403 version_create_requires_tester, PT409 phase_not_in_progress | phase_has_no_artifact | open_version_exists | parent_version_not_final | parent_version_other_phase.';

create function private.lock_visible_version(p_version_id uuid)
returns public.artifact_versions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.artifact_versions;
begin
  select * into v_row from public.artifact_versions v where v.id = p_version_id for update;
  if not found or not private.can_read_cycle_report(v_row.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  return v_row;
end;
$$;
comment on function private.lock_visible_version(uuid) is
  'Locks a version for a transition and returns it; raises PT404 when it does not exist or the caller cannot read it.';

create function public.submit_version(p_version_id uuid)
returns public.artifact_versions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.artifact_versions := private.lock_visible_version(p_version_id);
begin
  if v_row.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Only a draft can be submitted; this version is %s.', v_row.version_status);
  end if;
  update public.artifact_versions set version_status = 'pending_approval' where id = p_version_id
  returning * into v_row;
  return v_row;
end;
$$;
comment on function public.submit_version(uuid) is
  'Submits a draft for the report owner''s approval. Needs a tester decision on every item. Errors: PT404 version_not_found, PT403 submit_requires_tester, PT409 version_not_draft | version_empty | tester_decisions_missing.';

create function public.approve_version(p_version_id uuid)
returns public.artifact_versions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.artifact_versions := private.lock_visible_version(p_version_id);
begin
  if v_row.version_status <> 'pending_approval' then
    raise exception using errcode = 'PT409', detail = 'version_not_pending',
      message = format('Only a version awaiting approval can be approved; this version is %s.', v_row.version_status);
  end if;
  update public.artifact_versions set version_status = 'approved' where id = p_version_id
  returning * into v_row;
  return v_row;
end;
$$;
comment on function public.approve_version(uuid) is
  'Approves a version awaiting approval; the previously approved version of the phase becomes superseded and the approval is registered in approved_artifacts. Errors: PT404 version_not_found, PT403 approve_requires_report_owner | approver_is_submitter, PT409 version_not_pending | owner_decisions_missing.';

create function public.reject_version(p_version_id uuid, p_reason text)
returns public.artifact_versions
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.artifact_versions := private.lock_visible_version(p_version_id);
begin
  if v_row.version_status <> 'pending_approval' then
    raise exception using errcode = 'PT409', detail = 'version_not_pending',
      message = format('Only a version awaiting approval can be rejected; this version is %s.', v_row.version_status);
  end if;
  update public.artifact_versions set version_status = 'rejected', rejection_reason = p_reason where id = p_version_id
  returning * into v_row;
  return v_row;
end;
$$;
comment on function public.reject_version(uuid, text) is
  'Rejects a version awaiting approval, with a reason. Errors: PT404 version_not_found, PT403 reject_requires_report_owner, PT400 rejection_reason_required, PT409 version_not_pending.';

revoke execute on function public.create_version(bigint, uuid), public.submit_version(uuid),
  public.approve_version(uuid), public.reject_version(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.create_version(bigint, uuid), public.submit_version(uuid),
  public.approve_version(uuid), public.reject_version(uuid, text) to authenticated;
