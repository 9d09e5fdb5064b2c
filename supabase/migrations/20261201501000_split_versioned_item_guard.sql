-- The item guard in small named parts.
--
-- private.guard_versioned_item was one function of about 190 lines, restated whole by every change
-- (three copies so far). It is now a short trigger that locks the item's version and hands each kind of
-- write to a named part, so a later change restates the part it changes: the version the item belongs to
-- (lock_item_version), who may change items and when (check_item_change, check_tester_decision,
-- check_owner_decision), what an insert and an update set (inserted_item_changes, updated_item_changes,
-- carried_item_decisions, decision_stamps) and the derived status (item_status_of). Behaviour, refusals
-- and their order are unchanged. The parts exchange an item as jsonb, because one guard serves every
-- item table and PL/pgSQL cannot address the fields of a row of any type; the trigger applies the columns
-- they return with jsonb_populate_record. The parts run as the guard's owner (the guard is security
-- definer) and are not granted to anyone.

create type private.item_version as (
  id uuid,
  cycle_report_id bigint,
  phase_name text,
  version_status public.version_status,
  parent_version_id uuid,
  owner_item_review boolean,
  carry_forward_approved boolean,
  copying boolean
);
comment on type private.item_version is
  'The version an item write belongs to, as the item guard sees it: its state, its phase''s review settings, and whether the write is create_version''s copy (copying).';

-- The version ----------------------------------------------------------------------------------------------
create function private.lock_item_version(p_table regclass, p_version_id uuid)
returns private.item_version
language plpgsql
set search_path = ''
as $$
declare
  v_table_phase text;
  v_version private.item_version;
begin
  -- Locks the version row: decisions and transitions of one version are serialized.
  select v.id, v.cycle_report_id, v.phase_name, v.version_status, v.parent_version_id,
         d.owner_item_review, d.carry_forward_approved, private.is_copying_version(v.id)
    into v_version
    from public.artifact_versions v
    join public.phase_definitions d on d.name = v.phase_name
   where v.id = p_version_id
     for no key update of v;
  if v_version.id is null then
    return null;
  end if;
  select d.name into v_table_phase from public.phase_definitions d where p_table = any (d.item_tables);
  if v_version.phase_name <> v_table_phase then
    raise exception using errcode = 'PT409', detail = 'item_wrong_phase',
      message = format('%s holds items of the %s phase, not of %s.', p_table, v_table_phase, v_version.phase_name);
  end if;
  return v_version;
end;
$$;
comment on function private.lock_item_version(regclass, uuid) is
  'Item guard: locks the item''s version (for no key update) and returns it with its phase''s review settings, or null when it does not exist; an item table holds items of its own phase only (PT409 item_wrong_phase).';

create function private.is_copying_version(p_version_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  -- The write comes from copy_version_items copying this version's items: it runs inside that trigger
  -- (depth > 1; a statement sent by a client runs at depth 1) while the copy's transaction-local marker
  -- names this version. See guard_versioned_item's comment for why a client cannot fake this.
  select pg_catalog.pg_trigger_depth() > 1
     and coalesce(pg_catalog.current_setting('regtest.copying_version_id', true) = p_version_id::text, false)
$$;
comment on function private.is_copying_version(uuid) is
  'Whether the current write is create_version''s copy of items into this version (copy_version_items sets the transaction-local marker regtest.copying_version_id around its own writes; client statements run at trigger depth 1).';

-- Who may change what, and when ---------------------------------------------------------------------------
create function private.check_item_change(p_version private.item_version, p_verb text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Items can only be %s while their version is a draft; this version is %s.', p_verb, p_version.version_status);
  end if;
  if not private.can_work_on_cycle_report(p_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can change items.';
  end if;
end;
$$;
comment on function private.check_item_change(private.item_version, text) is
  'Item guard: items are added, edited and deleted (p_verb) only in a draft (PT409 version_not_draft), by an assigned tester or an admin (PT403 item_edit_requires_tester).';

create function private.check_tester_decision(p_version private.item_version)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'tester_decision_not_in_draft',
      message = format('Tester decisions can only be recorded while the version is a draft; this version is %s.', p_version.version_status);
  end if;
  if not private.can_work_on_cycle_report(p_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'tester_decision_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can record tester decisions.';
  end if;
end;
$$;
comment on function private.check_tester_decision(private.item_version) is
  'Item guard: tester decisions only in a draft (PT409 tester_decision_not_in_draft), by an assigned tester or an admin (PT403 tester_decision_requires_tester).';

create function private.check_owner_decision(p_version private.item_version)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_version.version_status <> 'pending_approval' then
    raise exception using errcode = 'PT409', detail = 'owner_decision_not_pending',
      message = format('Report-owner decisions can only be recorded while the version awaits approval; this version is %s.', p_version.version_status);
  end if;
  if not p_version.owner_item_review then
    raise exception using errcode = 'PT409', detail = 'phase_has_no_owner_item_review',
      message = format('The %s phase has no report-owner item review; approve or reject the version as a whole.', p_version.phase_name);
  end if;
  if not private.can_review_cycle_report(p_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'owner_decision_requires_report_owner',
      message = 'Only the owner of this report (or an admin) can record report-owner decisions.';
  end if;
end;
$$;
comment on function private.check_owner_decision(private.item_version) is
  'Item guard: report-owner decisions only while the version awaits approval (PT409 owner_decision_not_pending), where the phase reviews items (PT409 phase_has_no_owner_item_review), by the report''s owner or an admin (PT403 owner_decision_requires_report_owner).';

-- What a write sets -----------------------------------------------------------------------------------------
create function private.decision_stamps(p_role text, p_decided boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  -- p_role is tester or report_owner; a decision (or a note) is stamped with the caller and the time.
  select jsonb_build_object(p_role || '_decided_by', case when p_decided then auth.uid() end,
                            p_role || '_decided_at', case when p_decided then now() end)
$$;
comment on function private.decision_stamps(text, boolean) is
  'Item guard: the who/when columns of a tester''s or report owner''s decision: the caller and now when there is a decision or a note, else none.';

create function private.carried_item_decisions(p_table regclass, p_version private.item_version, p_item jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_parent jsonb;
begin
  if p_item ->> 'parent_item_id' is null then
    return null;
  end if;
  -- The parent's id read back in the table's own id type (bigint or uuid), so the primary key is used.
  execute format('select to_jsonb(t) from %1$s t where t.id = (jsonb_populate_record(null::%1$s, $1)).parent_item_id and t.version_id = $2', p_table)
     into v_parent using p_item, p_version.parent_version_id;
  if v_parent is null then
    raise exception using errcode = 'PT409', detail = 'parent_item_not_in_parent_version',
      message = 'An item''s parent must be an item of the version this version was created from.';
  end if;
  -- Only the copy carries decisions: it copies each parent item once, content included.
  if p_version.copying and p_version.carry_forward_approved and v_parent ->> 'item_status' = 'approved'
     and p_item ->> 'report_owner_decision' is not distinct from v_parent ->> 'report_owner_decision'
     and p_item ->> 'tester_decision' is not distinct from v_parent ->> 'tester_decision' then
    -- Carried forward: keeps the parent's decisions and who made them.
    return jsonb_build_object('tester_decided_by', v_parent -> 'tester_decided_by',
      'tester_decided_at', v_parent -> 'tester_decided_at',
      'report_owner_decided_by', v_parent -> 'report_owner_decided_by',
      'report_owner_decided_at', v_parent -> 'report_owner_decided_at');
  end if;
  return null;
end;
$$;
comment on function private.carried_item_decisions(regclass, private.item_version, jsonb) is
  'Item guard, insert: an item''s parent is an item of the parent version (PT409 parent_item_not_in_parent_version); when create_version''s copy carries an approved item forward in a phase that does so, returns the parent''s decision stamps, else null.';

create function private.inserted_item_changes(p_table regclass, p_version private.item_version, p_item jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_carried jsonb;
begin
  perform private.check_item_change(p_version, 'added');
  v_carried := private.carried_item_decisions(p_table, p_version, p_item);
  if v_carried is not null then
    return v_carried;
  end if;
  if p_item ->> 'report_owner_decision' is not null or p_item ->> 'report_owner_notes' is not null then
    raise exception using errcode = 'PT409', detail = 'owner_decision_not_pending',
      message = case when p_item ->> 'parent_item_id' is null
        then 'Report-owner decisions can only be recorded while the version awaits approval.'
        else 'Only create_version carries an approved item''s decisions into a new version; an item added by hand starts without a report-owner decision.' end;
  end if;
  return private.decision_stamps('report_owner', false)
    || private.decision_stamps('tester', p_item ->> 'tester_decision' is not null or p_item ->> 'tester_notes' is not null);
end;
$$;
comment on function private.inserted_item_changes(regclass, private.item_version, jsonb) is
  'Item guard, insert: what the database sets on a new item: carried decision stamps, or the tester''s stamps and no report-owner decision (an insert bringing one is refused, PT409 owner_decision_not_pending).';

create function private.updated_item_changes(p_version private.item_version, p_new jsonb, p_old jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_derived constant text[] := array['tester_decided_by', 'tester_decided_at', 'report_owner_decided_by',
    'report_owner_decided_at', 'item_status', 'updated_at'];
  v_decisions constant text[] := array['tester_decision', 'tester_notes', 'report_owner_decision', 'report_owner_notes'];
  v_content_changed boolean;
  -- Derived columns are the database's: the stamps stay as they were unless a decision changes.
  v_changes jsonb := jsonb_build_object('tester_decided_by', p_old -> 'tester_decided_by',
    'tester_decided_at', p_old -> 'tester_decided_at', 'report_owner_decided_by', p_old -> 'report_owner_decided_by',
    'report_owner_decided_at', p_old -> 'report_owner_decided_at');
begin
  if p_new -> 'id' is distinct from p_old -> 'id' or p_new -> 'parent_item_id' is distinct from p_old -> 'parent_item_id' then
    raise exception using errcode = 'PT409', detail = 'item_column_immutable',
      message = 'An item''s id and lineage cannot change.';
  end if;
  v_content_changed := (p_new - v_derived - v_decisions) is distinct from (p_old - v_derived - v_decisions);
  if v_content_changed then
    perform private.check_item_change(p_version, 'edited');
  end if;
  if (p_new -> 'tester_decision', p_new -> 'tester_notes') is distinct from (p_old -> 'tester_decision', p_old -> 'tester_notes') then
    perform private.check_tester_decision(p_version);
    v_changes := v_changes || private.decision_stamps('tester',
      p_new ->> 'tester_decision' is not null or p_new ->> 'tester_notes' is not null);
  end if;
  if (p_new -> 'report_owner_decision', p_new -> 'report_owner_notes')
     is distinct from (p_old -> 'report_owner_decision', p_old -> 'report_owner_notes') then
    perform private.check_owner_decision(p_version);
    v_changes := v_changes || private.decision_stamps('report_owner',
      p_new ->> 'report_owner_decision' is not null or p_new ->> 'report_owner_notes' is not null);
  end if;
  -- In a draft an owner decision can only be a carried one, given to the parent's content and the tester's
  -- decision on it. New content or a new tester decision needs a new owner decision. The copy's own updates
  -- (re-pointing references to the copies) keep it; a tester's note alone keeps it too.
  if (v_content_changed or p_new -> 'tester_decision' is distinct from p_old -> 'tester_decision')
     and p_version.version_status = 'draft' and not p_version.copying
     and (p_new ->> 'report_owner_decision' is not null or p_new ->> 'report_owner_notes' is not null) then
    v_changes := v_changes || jsonb_build_object('report_owner_decision', null, 'report_owner_notes', null)
      || private.decision_stamps('report_owner', false);
  end if;
  return v_changes;
end;
$$;
comment on function private.updated_item_changes(private.item_version, jsonb, jsonb) is
  'Item guard, update: id and lineage never change (PT409 item_column_immutable); content changes as check_item_change allows, decisions as check_tester_decision and check_owner_decision allow; returns the stamps to set, and clears a carried owner decision in a draft when the content or the tester''s decision changes.';

create function private.item_status_of(p_owner_item_review boolean, p_item jsonb)
returns public.item_status
language sql
immutable
set search_path = ''
as $$
  select (case when p_owner_item_review then coalesce(p_item ->> 'report_owner_decision', 'pending')
               else coalesce(p_item ->> 'tester_decision', 'pending') end)::public.item_status
$$;
comment on function private.item_status_of(boolean, jsonb) is
  'An item''s status, derived from its decisions: the report owner''s where the phase reviews items, else the tester''s.';

-- The trigger -------------------------------------------------------------------------------------------------
create or replace function private.guard_versioned_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version private.item_version;
  v_item jsonb;
  v_changes jsonb;
begin
  if tg_op = 'UPDATE' and new.version_id is distinct from old.version_id then
    raise exception using errcode = 'PT409', detail = 'item_version_immutable',
      message = 'An item cannot move to another version.';
  end if;
  v_version := private.lock_item_version(tg_relid, case when tg_op = 'DELETE' then old.version_id else new.version_id end);
  if v_version.id is null and tg_op = 'DELETE' then
    return old; -- the draft version itself is being deleted
  elsif v_version.id is null then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'The item''s version does not exist.';
  end if;

  if tg_op = 'DELETE' then
    perform private.check_item_change(v_version, 'deleted');
    return old;
  elsif tg_op = 'INSERT' then
    v_item := to_jsonb(new);
    v_changes := private.inserted_item_changes(tg_relid, v_version, v_item);
  else
    v_item := to_jsonb(new);
    v_changes := private.updated_item_changes(v_version, v_item, to_jsonb(old));
  end if;
  -- Only the columns the parts set are written back; the rest of the row stays as it came.
  v_changes := v_changes || jsonb_build_object('item_status', private.item_status_of(v_version.owner_item_review, v_item || v_changes));
  new := jsonb_populate_record(new, v_changes);
  return new;
end;
$$;
comment on function private.guard_versioned_item() is
  'Trigger on every versioned item table: items change only in a draft version, by its tester or an admin; tester decisions only in draft, report-owner decisions only while pending approval (and only where the phase reviews items); who/when stamped from auth.uid(); item_status derived from the decisions. The parts: lock_item_version, check_item_change, check_tester_decision, check_owner_decision, inserted_item_changes, carried_item_decisions, updated_item_changes, decision_stamps, item_status_of. '
  'An insert keeps its parent''s decisions and stamps (carried forward) only when copy_version_items makes it: the guard then runs at trigger depth > 1 and the transaction-local setting regtest.copying_version_id names the item''s version (is_copying_version). '
  'That cannot be forged: the REST API runs no SQL of the caller''s and sets only request.* settings, so it cannot set the marker, and a statement sent by any client (Studio included) runs at trigger depth 1, where the marker is ignored even if an operator set it by hand; the copy sets it only around its own inserts and resets it. '
  'Any other insert bringing an owner decision is refused (PT409 owner_decision_not_pending); a content change, or a change of the tester''s decision, of an item carrying an owner decision in a draft clears that decision and its stamps (the counters follow the row''s delta).';

revoke execute on function private.lock_item_version(regclass, uuid) from public;
revoke execute on function private.is_copying_version(uuid) from public;
revoke execute on function private.check_item_change(private.item_version, text) from public;
revoke execute on function private.check_tester_decision(private.item_version) from public;
revoke execute on function private.check_owner_decision(private.item_version) from public;
revoke execute on function private.decision_stamps(text, boolean) from public;
revoke execute on function private.carried_item_decisions(regclass, private.item_version, jsonb) from public;
revoke execute on function private.inserted_item_changes(regclass, private.item_version, jsonb) from public;
revoke execute on function private.updated_item_changes(private.item_version, jsonb, jsonb) from public;
revoke execute on function private.item_status_of(boolean, jsonb) from public;
