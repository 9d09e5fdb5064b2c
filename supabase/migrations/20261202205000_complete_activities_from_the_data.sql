-- Activities follow the work: an activity whose proof (activity_definitions.proof) a record can show completes
-- itself when the phase's current version shows it, goes back when it no longer does (a new draft, a deleted
-- item), and cannot be started or completed by hand (PT409 activity_proven_by_data); an admin may still skip it.
-- It is read generically from phase_definitions.item_tables and artifact_versions: an item table registered
-- later (private.versioned_item_tables, as attach_versioned_items does) gets the same triggers, and until a
-- phase has item tables its proven activities stay manual steps.
-- Redefines private.guard_workflow_activity (from 20261122010000_create_phase_transitions), now in small parts.

create function private.current_phase_version(p_phase_id bigint)
returns public.artifact_versions
language sql
stable
security definer
set search_path = ''
as $$
  select v.* from public.artifact_versions v where v.phase_id = p_phase_id order by v.version_number desc limit 1
$$;
comment on function private.current_phase_version(bigint) is 'The phase''s current version: its latest (highest version_number), whatever its status; null when it has none.';

create function private.is_provable_activity(p_activity public.workflow_activities)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_activity.proof is not null and exists (
    select 1 from public.workflow_phases p join public.phase_definitions d on d.name = p.phase_name
     where p.id = p_activity.phase_id and cardinality(d.item_tables) > 0
       and (p_activity.proof_item_table is null or p_activity.proof_item_table = any (d.item_tables)))
$$;
comment on function private.is_provable_activity(public.workflow_activities) is
  'True when the activity has a proof and the records that prove it exist: its phase has item tables (and proof_item_table is one of them). Otherwise the activity is a manual step.';

create function private.activity_proof_holds(p_activity public.workflow_activities)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions := private.current_phase_version(p_activity.phase_id);
  v_found boolean;
begin
  if v_version.id is null then
    return false;
  end if;
  case p_activity.proof
    when 'items_exist' then
      if p_activity.proof_item_table is null then
        return v_version.item_count > 0;
      end if;
      execute format('select exists (select 1 from %s t where t.version_id = $1)', p_activity.proof_item_table)
         into v_found using v_version.id;
      return v_found;
    when 'items_decided' then
      return v_version.item_count > 0 and v_version.tester_decided_count = v_version.item_count
         and (v_version.owner_decided_count = v_version.item_count
              or not (select d.owner_item_review from public.phase_definitions d where d.name = v_version.phase_name));
    when 'version_submitted' then
      return v_version.version_status in ('pending_approval', 'approved');
    when 'version_approved' then
      return v_version.version_status = 'approved';
    else
      return false;
  end case;
end;
$$;
comment on function private.activity_proof_holds(public.workflow_activities) is
  'Whether the phase''s current version shows the activity''s proof (see type activity_proof).';

create function private.proven_activity_status(p_activity public.workflow_activities)
returns public.activity_status
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when private.activity_proof_holds(p_activity) then 'completed'
    when exists (select 1 from public.artifact_versions v where v.phase_id = p_activity.phase_id) then 'in_progress'
    else 'not_started'
  end::public.activity_status
$$;
comment on function private.proven_activity_status(public.workflow_activities) is
  'The status the data gives a provable activity: completed when its proof holds, in_progress once the phase has a version, not_started before.';

create function private.activity_proof_description(p_activity public.workflow_activities)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case p_activity.proof
    when 'items_exist' then 'the phase''s current version has '
      || coalesce(replace((select c.relname from pg_catalog.pg_class c where c.oid = p_activity.proof_item_table), '_', ' '), 'items')
    when 'items_decided' then 'every item of the phase''s current version is decided'
    when 'version_submitted' then 'the phase''s current version is submitted'
    when 'version_approved' then 'the phase''s current version is approved'
  end
$$;
comment on function private.activity_proof_description(public.workflow_activities) is 'The activity''s proof in words, for messages.';

create function private.is_proven_activity_change(p_new public.workflow_activities)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_new.status <> 'skipped' and private.is_provable_activity(p_new)
     and exists (select 1 from public.workflow_phases p where p.id = p_new.phase_id and p.status = 'in_progress')
     and p_new.status = private.proven_activity_status(p_new)
$$;
comment on function private.is_proven_activity_change(public.workflow_activities) is
  'Part of guard_workflow_activity: true when a provable activity of a phase in progress takes the status its data gives it (private.sync_proven_activities does that, whoever''s change caused it).';

create function private.stamp_proven_activity(p_old public.workflow_activities, p_new public.workflow_activities)
returns public.workflow_activities
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_new.status = 'not_started' then
    p_new.started_at := null; p_new.started_by := null;
  else
    p_new.started_at := coalesce(p_old.started_at, now()); p_new.started_by := coalesce(p_old.started_by, auth.uid());
  end if;
  if p_new.status = 'completed' then
    p_new.completed_at := now(); p_new.completed_by := auth.uid();
  else
    p_new.completed_at := null; p_new.completed_by := null;
  end if;
  return p_new;
end;
$$;
comment on function private.stamp_proven_activity(public.workflow_activities, public.workflow_activities) is
  'Part of guard_workflow_activity: the stamps of a change the data made (completed by whoever''s change proved it).';

create function private.refuse_hand_ticked_proof(p_old public.workflow_activities, p_new public.workflow_activities)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_new.status <> 'skipped' and private.is_provable_activity(p_old) then
    raise exception using errcode = 'PT409', detail = 'activity_proven_by_data',
      message = format('"%s" completes itself when %s; it cannot be %s by hand.', p_old.activity_name,
        private.activity_proof_description(p_old), case when p_new.status = 'completed' then 'completed' else 'started' end),
      hint = 'An admin can skip it.';
  end if;
end;
$$;
comment on function private.refuse_hand_ticked_proof(public.workflow_activities, public.workflow_activities) is
  'Part of guard_workflow_activity: an activity a record proves is never started or completed by hand. Errors: PT409 activity_proven_by_data.';

create or replace function private.guard_workflow_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase record;
begin
  if (new.id, new.phase_id, new.cycle_report_id, new.activity_code, new.activity_name, new.activity_order,
      new.is_required, new.created_at, new.proof, new.proof_item_table)
     is distinct from
     (old.id, old.phase_id, old.cycle_report_id, old.activity_code, old.activity_name, old.activity_order,
      old.is_required, old.created_at, old.proof, old.proof_item_table) then
    raise exception using errcode = 'PT409', detail = 'activity_column_immutable',
      message = 'An activity''s phase, code, name, order, requirement and proof cannot change.';
  end if;
  new.started_at := old.started_at; new.started_by := old.started_by;
  new.completed_at := old.completed_at; new.completed_by := old.completed_by;
  if (new.status, new.notes) is not distinct from (old.status, old.notes) then
    return new;
  end if;
  if new.status <> old.status and private.is_proven_activity_change(new) then
    return private.stamp_proven_activity(old, new);
  end if;

  select p.phase_name, p.status into v_phase from public.workflow_phases p where p.id = old.phase_id;
  if not private.can_work_on_cycle_report(old.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'activity_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can work on activities.';
  end if;
  if v_phase.status <> 'in_progress' then
    raise exception using errcode = 'PT409', detail = 'phase_not_in_progress',
      message = format('The %s phase is %s; its activities change only while it is in progress.', v_phase.phase_name, v_phase.status);
  end if;
  if new.status = old.status then
    return new;
  end if;
  perform private.refuse_hand_ticked_proof(old, new);

  if old.status = 'not_started' and new.status = 'in_progress' then
    new.started_at := now();
    new.started_by := auth.uid();
  elsif old.status in ('not_started', 'in_progress') and new.status = 'completed' then
    new.started_at := coalesce(old.started_at, now());
    new.started_by := coalesce(old.started_by, auth.uid());
    new.completed_at := now();
    new.completed_by := auth.uid();
  elsif old.status in ('not_started', 'in_progress') and new.status = 'skipped' then
    if old.is_required and not private.is_privileged() then
      raise exception using errcode = 'PT403', detail = 'skip_required_activity_requires_admin',
        message = format('"%s" is required; only an admin can skip it.', old.activity_name);
    end if;
    new.completed_at := now();
    new.completed_by := auth.uid();
  else
    raise exception using errcode = 'PT409', detail = 'illegal_activity_transition',
      message = format('An activity cannot go from %s to %s.', old.status, new.status);
  end if;
  return new;
end;
$$;
comment on function private.guard_workflow_activity() is
  'Trigger: a provable activity takes the status its data gives it (is_proven_activity_change), whoever''s change caused it; otherwise activities change only while their phase is in progress, by an assigned tester or an admin: not_started → in_progress → completed, or skipped (required ones by admins only), and never by hand where a record proves them (refuse_hand_ticked_proof); stamps who and when.';

-- Keeping the statuses in step ------------------------------------------------------------------------------
create function private.sync_proven_activities(p_phase_ids bigint[])
returns void
language sql
security definer
set search_path = ''
as $$
  update public.workflow_activities a
     set status = s.proven
    from (select a2.id, private.proven_activity_status(a2) as proven
            from public.workflow_activities a2
            join public.workflow_phases p on p.id = a2.phase_id
           where a2.phase_id = any (p_phase_ids) and p.status = 'in_progress' and a2.proof is not null
             and a2.status <> 'skipped' and private.is_provable_activity(a2)) s
   where a.id = s.id and a.status <> s.proven
$$;
comment on function private.sync_proven_activities(bigint[]) is
  'Gives the provable activities of these phases (those in progress) the status their data gives them; skipped ones stay skipped.';

create function private.sync_activities_of_items()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.sync_proven_activities(array(
    select distinct v.phase_id from public.artifact_versions v
     where v.id in (select c.version_id from changed_items c) and not private.is_copying_version(v.id)));
  return null;
end;
$$;
comment on function private.sync_activities_of_items() is
  'Statement trigger on every item table (transition table changed_items): the phases of the versions whose items changed get their proven activities re-read, once per statement (a bulk decision is one); a version''s copy is read once, when the copy is done (sync_activities_of_version).';

create function private.sync_activities_of_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.sync_proven_activities(array[coalesce(new.phase_id, old.phase_id)]);
  return null;
end;
$$;
comment on function private.sync_activities_of_version() is
  'Trigger on artifact_versions: a new, deleted, submitted, approved or rejected version changes the phase''s current version, so its proven activities are re-read.';

create function private.sync_activities_of_phase()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.sync_proven_activities(array[new.id]);
  return null;
end;
$$;
comment on function private.sync_activities_of_phase() is
  'Trigger on workflow_phases: a phase that starts or reopens gets its proven activities re-read.';

create function private.attach_activity_proofs(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger sync_proven_activities_after_insert after insert on %s referencing new table as changed_items '
                 'for each statement execute function private.sync_activities_of_items()', p_table);
  execute format('create trigger sync_proven_activities_after_update after update on %s referencing new table as changed_items '
                 'for each statement execute function private.sync_activities_of_items()', p_table);
  execute format('create trigger sync_proven_activities_after_delete after delete on %s referencing old table as changed_items '
                 'for each statement execute function private.sync_activities_of_items()', p_table);
end;
$$;
comment on function private.attach_activity_proofs(regclass) is
  'Adds to an item table the statement triggers that keep its phase''s proven activities in step. Called for every registered item table.';

create function private.attach_activity_proofs_on_register()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.attach_activity_proofs(new.table_name);
  perform private.sync_proven_activities(array(
    select p.id from public.workflow_phases p where p.phase_name = new.phase_name and p.status = 'in_progress'));
  return null;
end;
$$;
comment on function private.attach_activity_proofs_on_register() is
  'Trigger on private.versioned_item_tables: a table attached to the version lifecycle keeps its phase''s proven activities in step, and the phases in progress follow their data from then on.';

-- Fires after sync_phase_item_tables (triggers fire in name order), so item_tables already names the table.
create trigger sync_proven_activities_on_register after insert on private.versioned_item_tables
  for each row execute function private.attach_activity_proofs_on_register();
create trigger sync_proven_activities after insert or delete or update of version_status on public.artifact_versions
  for each row execute function private.sync_activities_of_version();
create trigger sync_proven_activities after update of status on public.workflow_phases
  for each row when (new.status = 'in_progress' and old.status is distinct from new.status)
  execute function private.sync_activities_of_phase();

select private.attach_activity_proofs(t.table_name) from private.versioned_item_tables t;
select private.sync_proven_activities(array(select p.id from public.workflow_phases p where p.status = 'in_progress'));

revoke all on function private.current_phase_version(bigint), private.is_provable_activity(public.workflow_activities),
  private.activity_proof_holds(public.workflow_activities), private.proven_activity_status(public.workflow_activities),
  private.activity_proof_description(public.workflow_activities), private.is_proven_activity_change(public.workflow_activities),
  private.stamp_proven_activity(public.workflow_activities, public.workflow_activities),
  private.refuse_hand_ticked_proof(public.workflow_activities, public.workflow_activities),
  private.sync_proven_activities(bigint[]), private.sync_activities_of_items(), private.sync_activities_of_version(),
  private.sync_activities_of_phase(), private.attach_activity_proofs(regclass), private.attach_activity_proofs_on_register()
  from public;

comment on table public.workflow_activities is
  'Granular steps inside a workflow phase (copied from activity_definitions). An activity with a proof completes itself from the data of the phase''s current version once the phase''s item tables exist; the others change through start_activity / complete_activity / skip_activity while the phase is in progress.';
