-- A carried item's owner decision is cleared when the tester changes their decision on it.
--
-- Before: in phases where the report owner reviews items, the owner's decision is the item's status, and an
-- item carried forward approved kept that decision whatever the tester decided in the new draft: a tester
-- could reject a carried item and it still counted as approved. Now a change of the tester's decision on an
-- item carrying an owner decision clears that decision and its stamps, as a content change already did, so
-- the item is pending until the owner decides again. A tester's note alone keeps it.

create or replace function private.guard_versioned_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase_name text;
  v_version record;
  v_version_id uuid;
  v_parent jsonb;
  v_carried boolean := false;
  v_copying boolean;
  v_derived constant text[] := array['tester_decided_by', 'tester_decided_at', 'report_owner_decided_by',
    'report_owner_decided_at', 'item_status', 'updated_at'];
  v_decisions constant text[] := array['tester_decision', 'tester_notes', 'report_owner_decision', 'report_owner_notes'];
  v_content_changed boolean;
  v_tester_changed boolean;
  v_owner_changed boolean;
begin
  select t.phase_name into v_phase_name from private.versioned_item_tables t where t.table_name = tg_relid;
  v_version_id := case when tg_op = 'DELETE' then old.version_id else new.version_id end;
  if tg_op = 'UPDATE' and new.version_id is distinct from old.version_id then
    raise exception using errcode = 'PT409', detail = 'item_version_immutable',
      message = 'An item cannot move to another version.';
  end if;

  -- Locks the version row: decisions and transitions of one version are serialized.
  select v.id, v.cycle_report_id, v.phase_name, v.version_status, v.parent_version_id,
         d.owner_item_review, d.carry_forward_approved
    into v_version
    from public.artifact_versions v
    join public.phase_definitions d on d.name = v.phase_name
   where v.id = v_version_id
     for no key update of v;
  if not found then
    if tg_op = 'DELETE' then
      return old; -- the draft version itself is being deleted
    end if;
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'The item''s version does not exist.';
  end if;
  if v_version.phase_name <> v_phase_name then
    raise exception using errcode = 'PT409', detail = 'item_wrong_phase',
      message = format('%s holds items of the %s phase, not of %s.', tg_relid::regclass, v_phase_name, v_version.phase_name);
  end if;

  -- The write comes from copy_version_items copying this version's items: it runs inside that trigger
  -- (depth > 1; a statement sent by a client runs at depth 1) while the copy's transaction-local marker
  -- names this version. See the function comment for why a client cannot fake this.
  v_copying := pg_trigger_depth() > 1
    and coalesce(current_setting('regtest.copying_version_id', true) = v_version_id::text, false);

  if tg_op = 'DELETE' then
    if v_version.version_status <> 'draft' then
      raise exception using errcode = 'PT409', detail = 'version_not_draft',
        message = format('Items can only be deleted while their version is a draft; this version is %s.', v_version.version_status);
    end if;
    if not private.can_work_on_cycle_report(v_version.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can change items.';
    end if;
    return old;
  end if;

  if tg_op = 'INSERT' then
    if v_version.version_status <> 'draft' then
      raise exception using errcode = 'PT409', detail = 'version_not_draft',
        message = format('Items can only be added while their version is a draft; this version is %s.', v_version.version_status);
    end if;
    if not private.can_work_on_cycle_report(v_version.cycle_report_id) then
      raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
        message = 'Only a tester assigned to this cycle report (or an admin) can change items.';
    end if;
    if new.parent_item_id is not null then
      execute format('select to_jsonb(t) from %s t where t.id = $1 and t.version_id = $2', tg_relid::regclass)
         into v_parent using new.parent_item_id, v_version.parent_version_id;
      if v_parent is null then
        raise exception using errcode = 'PT409', detail = 'parent_item_not_in_parent_version',
          message = 'An item''s parent must be an item of the version this version was created from.';
      end if;
      -- Only the copy carries decisions: it copies each parent item once, content included.
      v_carried := v_copying and v_version.carry_forward_approved and v_parent ->> 'item_status' = 'approved'
        and new.report_owner_decision is not distinct from (v_parent ->> 'report_owner_decision')::public.review_decision
        and new.tester_decision is not distinct from (v_parent ->> 'tester_decision')::public.review_decision;
    end if;
    if v_carried then
      -- Carried forward: keeps the parent's decisions and who made them.
      new.tester_decided_by := (v_parent ->> 'tester_decided_by')::uuid;
      new.tester_decided_at := (v_parent ->> 'tester_decided_at')::timestamptz;
      new.report_owner_decided_by := (v_parent ->> 'report_owner_decided_by')::uuid;
      new.report_owner_decided_at := (v_parent ->> 'report_owner_decided_at')::timestamptz;
    else
      if new.report_owner_decision is not null or new.report_owner_notes is not null then
        raise exception using errcode = 'PT409', detail = 'owner_decision_not_pending',
          message = case when new.parent_item_id is null
            then 'Report-owner decisions can only be recorded while the version awaits approval.'
            else 'Only create_version carries an approved item''s decisions into a new version; an item added by hand starts without a report-owner decision.' end;
      end if;
      new.report_owner_decided_by := null;
      new.report_owner_decided_at := null;
      if new.tester_decision is null and new.tester_notes is null then
        new.tester_decided_by := null;
        new.tester_decided_at := null;
      else
        new.tester_decided_by := auth.uid();
        new.tester_decided_at := now();
      end if;
    end if;
  else
    -- UPDATE: derived columns are the database's; compare the rest.
    if new.id is distinct from old.id or new.parent_item_id is distinct from old.parent_item_id then
      raise exception using errcode = 'PT409', detail = 'item_column_immutable',
        message = 'An item''s id and lineage cannot change.';
    end if;
    new.tester_decided_by := old.tester_decided_by;
    new.tester_decided_at := old.tester_decided_at;
    new.report_owner_decided_by := old.report_owner_decided_by;
    new.report_owner_decided_at := old.report_owner_decided_at;
    v_content_changed := (to_jsonb(new) - v_derived - v_decisions) is distinct from (to_jsonb(old) - v_derived - v_decisions);
    v_tester_changed := (new.tester_decision, new.tester_notes) is distinct from (old.tester_decision, old.tester_notes);
    v_owner_changed := (new.report_owner_decision, new.report_owner_notes)
      is distinct from (old.report_owner_decision, old.report_owner_notes);

    if v_content_changed then
      if v_version.version_status <> 'draft' then
        raise exception using errcode = 'PT409', detail = 'version_not_draft',
          message = format('Items can only be edited while their version is a draft; this version is %s.', v_version.version_status);
      end if;
      if not private.can_work_on_cycle_report(v_version.cycle_report_id) then
        raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
          message = 'Only a tester assigned to this cycle report (or an admin) can change items.';
      end if;
    end if;
    if v_tester_changed then
      if v_version.version_status <> 'draft' then
        raise exception using errcode = 'PT409', detail = 'tester_decision_not_in_draft',
          message = format('Tester decisions can only be recorded while the version is a draft; this version is %s.', v_version.version_status);
      end if;
      if not private.can_work_on_cycle_report(v_version.cycle_report_id) then
        raise exception using errcode = 'PT403', detail = 'tester_decision_requires_tester',
          message = 'Only a tester assigned to this cycle report (or an admin) can record tester decisions.';
      end if;
      if new.tester_decision is null and new.tester_notes is null then
        new.tester_decided_by := null;
        new.tester_decided_at := null;
      else
        new.tester_decided_by := auth.uid();
        new.tester_decided_at := now();
      end if;
    end if;
    if v_owner_changed then
      if v_version.version_status <> 'pending_approval' then
        raise exception using errcode = 'PT409', detail = 'owner_decision_not_pending',
          message = format('Report-owner decisions can only be recorded while the version awaits approval; this version is %s.', v_version.version_status);
      end if;
      if not v_version.owner_item_review then
        raise exception using errcode = 'PT409', detail = 'phase_has_no_owner_item_review',
          message = format('The %s phase has no report-owner item review; approve or reject the version as a whole.', v_version.phase_name);
      end if;
      if not private.can_review_cycle_report(v_version.cycle_report_id) then
        raise exception using errcode = 'PT403', detail = 'owner_decision_requires_report_owner',
          message = 'Only the owner of this report (or an admin) can record report-owner decisions.';
      end if;
      if new.report_owner_decision is null and new.report_owner_notes is null then
        new.report_owner_decided_by := null;
        new.report_owner_decided_at := null;
      else
        new.report_owner_decided_by := auth.uid();
        new.report_owner_decided_at := now();
      end if;
    end if;
    -- In a draft an owner decision can only be a carried one, given to the parent's content and the tester's
    -- decision on it. New content or a new tester decision needs a new owner decision. The copy's own updates
    -- (re-pointing references to the copies) keep it; a tester's note alone keeps it too.
    if (v_content_changed or new.tester_decision is distinct from old.tester_decision)
       and v_version.version_status = 'draft' and not v_copying
       and (new.report_owner_decision is not null or new.report_owner_notes is not null) then
      new.report_owner_decision := null;
      new.report_owner_notes := null;
      new.report_owner_decided_by := null;
      new.report_owner_decided_at := null;
    end if;
  end if;

  new.item_status := (case when v_version.owner_item_review then coalesce(new.report_owner_decision::text, 'pending')
                           else coalesce(new.tester_decision::text, 'pending') end)::public.item_status;
  return new;
end;
$$;
comment on function private.guard_versioned_item() is
  'Trigger on every versioned item table: items change only in a draft version, by its tester or an admin; tester decisions only in draft, report-owner decisions only while pending approval (and only where the phase reviews items); who/when stamped from auth.uid(); item_status derived from the decisions. '
  'An insert keeps its parent''s decisions and stamps (carried forward) only when copy_version_items makes it: the guard then runs at trigger depth > 1 and the transaction-local setting regtest.copying_version_id names the item''s version. '
  'That cannot be forged: the REST API runs no SQL of the caller''s and sets only request.* settings, so it cannot set the marker, and a statement sent by any client (Studio included) runs at trigger depth 1, where the marker is ignored even if an operator set it by hand; the copy sets it only around its own inserts and resets it. '
  'Any other insert bringing an owner decision is refused (PT409 owner_decision_not_pending); a content change, or a change of the tester''s decision, of an item carrying an owner decision in a draft clears that decision and its stamps (the counters follow the row''s delta).';
