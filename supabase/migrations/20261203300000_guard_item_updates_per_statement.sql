-- Item updates are guarded once per statement: a bulk decision over 2,000 items locks its version once and asks
-- the caller's role once, instead of 2,000 times.
--
-- Before: the row-level item guard locked the item's version (private.lock_item_version) and ran the state and
-- role checks (check_item_change, check_tester_decision, check_owner_decision, each asking
-- can_work_on_cycle_report or can_review_cycle_report) for every row of an update. Those answers are the same for
-- every row of one version within one statement.
--
-- Now, for updates:
-- - the row trigger guard_versioned_item keeps only what must see each row and costs no read: id, lineage and
--   version never change (PT409 item_version_immutable, item_column_immutable), the who/when stamps, item_status,
--   and clearing a carried owner decision when the content or the tester's decision changes. A row that changes
--   the owner's decision together with the content or the tester's decision (refused in every state: the one
--   needs a draft, the other a version awaiting approval) is refused there, by the full checks, as before;
-- - the statement trigger guard_versioned_item_updates (after update, with the old and new rows as transition
--   tables) locks each distinct version once (lock_item_version: PT404 version_not_found, PT409 item_wrong_phase)
--   and runs check_item_change, check_tester_decision and check_owner_decision once per version for the kinds of
--   change its rows make, in the order the row guard ran them. A refusal there aborts the statement: no row of it
--   changes. INSERT and DELETE keep the row-level guard as it was.
--
-- Redefines private.guard_versioned_item (last in 20261201501000_split_versioned_item_guard); its split parts keep
-- their definitions and are called as before.

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
  v_tester_changed boolean;
  v_owner_changed boolean;
  v_content_changed boolean;
begin
  if tg_op = 'UPDATE' and new.version_id is distinct from old.version_id then
    raise exception using errcode = 'PT409', detail = 'item_version_immutable',
      message = 'An item cannot move to another version.';
  end if;

  if tg_op = 'UPDATE' then
    if new.id is distinct from old.id or new.parent_item_id is distinct from old.parent_item_id then
      raise exception using errcode = 'PT409', detail = 'item_column_immutable',
        message = 'An item''s id and lineage cannot change.';
    end if;
    v_tester_changed := (new.tester_decision, new.tester_notes) is distinct from (old.tester_decision, old.tester_notes);
    v_owner_changed := (new.report_owner_decision, new.report_owner_notes)
      is distinct from (old.report_owner_decision, old.report_owner_notes);
    if v_owner_changed or new.report_owner_decision is not null or new.report_owner_notes is not null then
      v_content_changed := private.item_content_changed(to_jsonb(new), to_jsonb(old));
    end if;
    if v_owner_changed and (v_content_changed or new.tester_decision is distinct from old.tester_decision) then
      -- Refused whatever the version's state; the full checks say why, in the order they always did.
      v_version := private.lock_item_version(tg_relid, new.version_id);
      perform private.updated_item_changes(v_version, to_jsonb(new), to_jsonb(old));
    end if;
    -- Derived columns are the database's: the stamps stay as they were unless a decision changes. The state and
    -- role checks run once per statement (private.guard_versioned_item_updates).
    new.tester_decided_by := old.tester_decided_by;
    new.tester_decided_at := old.tester_decided_at;
    new.report_owner_decided_by := old.report_owner_decided_by;
    new.report_owner_decided_at := old.report_owner_decided_at;
    if v_tester_changed then
      new.tester_decided_by := case when new.tester_decision is not null or new.tester_notes is not null then auth.uid() end;
      new.tester_decided_at := case when new.tester_decision is not null or new.tester_notes is not null then now() end;
    end if;
    if v_owner_changed then
      new.report_owner_decided_by := case when new.report_owner_decision is not null or new.report_owner_notes is not null then auth.uid() end;
      new.report_owner_decided_at := case when new.report_owner_decision is not null or new.report_owner_notes is not null then now() end;
    elsif (v_content_changed or new.tester_decision is distinct from old.tester_decision)
          and (new.report_owner_decision is not null or new.report_owner_notes is not null)
          and not private.is_copying_version(new.version_id) then
      -- A carried owner decision was given to the parent's content and the tester's decision on it: new content
      -- or a new tester decision needs a new one. (Outside a draft such a change is refused by the statement's
      -- checks, so clearing it there changes nothing.)
      new.report_owner_decision := null;
      new.report_owner_notes := null;
      new.report_owner_decided_by := null;
      new.report_owner_decided_at := null;
    end if;
    new.item_status := private.item_status_of(private.item_table_owner_review(tg_relid),
      jsonb_build_object('tester_decision', new.tester_decision, 'report_owner_decision', new.report_owner_decision));
    return new;
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
  end if;
  v_item := to_jsonb(new);
  v_changes := private.inserted_item_changes(tg_relid, v_version, v_item);
  -- Only the columns the parts set are written back; the rest of the row stays as it came.
  v_changes := v_changes || jsonb_build_object('item_status', private.item_status_of(v_version.owner_item_review, v_item || v_changes));
  new := jsonb_populate_record(new, v_changes);
  return new;
end;
$$;
comment on function private.guard_versioned_item() is
  'Trigger on every versioned item table: items change only in a draft version, by its tester or an admin; tester decisions only in draft, report-owner decisions only while pending approval (and only where the phase reviews items); who/when stamped from auth.uid(); item_status derived from the decisions. For inserts and deletes it runs the parts per row: lock_item_version, check_item_change, inserted_item_changes, carried_item_decisions, decision_stamps, item_status_of. For updates it keeps per row only what needs no read (id, lineage and version immutable, PT409 item_version_immutable, item_column_immutable; the stamps; item_status; clearing a carried owner decision in a draft when the content or the tester''s decision changes; a row changing the owner''s decision with the content or the tester''s decision is refused by the full checks), and private.guard_versioned_item_updates locks each version and checks state and role once per statement. An insert keeps its parent''s decisions and stamps (carried forward) only when copy_version_items makes it: the guard then runs at trigger depth > 1 and the transaction-local setting regtest.copying_version_id names the item''s version (is_copying_version). That cannot be forged: the REST API runs no SQL of the caller''s and sets only request.* settings, so it cannot set the marker, and a statement sent by any client (Studio included) runs at trigger depth 1, where the marker is ignored even if an operator set it by hand; the copy sets it only around its own inserts and resets it. Any other insert bringing an owner decision is refused (PT409 owner_decision_not_pending).';
revoke all on function private.guard_versioned_item() from public;

create function private.item_content_changed(p_new jsonb, p_old jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  -- Content is every column but the decisions and what the database derives.
  select (p_new - array['tester_decided_by', 'tester_decided_at', 'report_owner_decided_by', 'report_owner_decided_at',
                        'item_status', 'updated_at', 'tester_decision', 'tester_notes', 'report_owner_decision',
                        'report_owner_notes'])
         is distinct from
         (p_old - array['tester_decided_by', 'tester_decided_at', 'report_owner_decided_by', 'report_owner_decided_at',
                        'item_status', 'updated_at', 'tester_decision', 'tester_notes', 'report_owner_decision',
                        'report_owner_notes'])
$$;
comment on function private.item_content_changed(jsonb, jsonb) is
  'Item guard: whether an update changes an item''s content, i.e. a column other than its decisions, notes, stamps, item_status and updated_at (as updated_item_changes tells content from decisions).';
revoke all on function private.item_content_changed(jsonb, jsonb) from public;

create function private.item_table_owner_review(p_table regclass)
returns boolean
language sql
stable
set search_path = ''
as $$
  select d.owner_item_review from public.phase_definitions d where p_table = any (d.item_tables)
$$;
comment on function private.item_table_owner_review(regclass) is
  'Item guard: whether the phase whose items the table holds reviews items (owner_item_review); an update''s item_status follows from it. The statement''s checks refuse an item of another phase (lock_item_version, PT409 item_wrong_phase).';
revoke all on function private.item_table_owner_review(regclass) from public;

create function private.guard_versioned_item_updates()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_version private.item_version;
begin
  -- One pass over the statement's rows: which kinds of change each version's rows make. The owner's fields of a row
  -- whose content or tester decision changed were cleared by the row guard (a row changing them itself is refused
  -- there), so they count as the owner's change only otherwise.
  for r in
    with changed as (
      select n.version_id,
             private.item_content_changed(to_jsonb(n), to_jsonb(o)) as content,
             (n.tester_decision, n.tester_notes) is distinct from (o.tester_decision, o.tester_notes) as tester,
             n.tester_decision is distinct from o.tester_decision as tester_decision,
             (n.report_owner_decision, n.report_owner_notes) is distinct from (o.report_owner_decision, o.report_owner_notes) as owner,
             n.report_owner_decision is null and n.report_owner_notes is null as owner_cleared
        from new_items n join old_items o on o.id = n.id
    )
    select c.version_id, bool_or(c.content) as content, bool_or(c.tester) as tester,
           bool_or(c.owner and not (c.owner_cleared and (c.content or c.tester_decision))) as owner
      from changed c
     group by c.version_id
     order by c.version_id
  loop
    -- The version lock, once per version (decisions and transitions of one version are serialized).
    v_version := private.lock_item_version(tg_relid, r.version_id);
    if v_version.id is null then
      raise exception using errcode = 'PT404', detail = 'version_not_found',
        message = 'The item''s version does not exist.';
    end if;
    if r.content then
      perform private.check_item_change(v_version, 'edited');
    end if;
    if r.tester then
      perform private.check_tester_decision(v_version);
    end if;
    if r.owner then
      perform private.check_owner_decision(v_version);
    end if;
  end loop;
  return null;
end;
$$;
comment on function private.guard_versioned_item_updates() is
  'Statement trigger (after update, transition tables old_items and new_items) on every versioned item table: locks each version the statement''s rows belong to once (lock_item_version: PT404 version_not_found, PT409 item_wrong_phase) and, for the kinds of change its rows make, runs check_item_change (content: PT409 version_not_draft, PT403 item_edit_requires_tester), check_tester_decision (PT409 tester_decision_not_in_draft, PT403 tester_decision_requires_tester) and check_owner_decision (PT409 owner_decision_not_pending, phase_has_no_owner_item_review, PT403 owner_decision_requires_report_owner) once, in that order. A refusal aborts the whole statement. The per-row part is guard_versioned_item.';
revoke all on function private.guard_versioned_item_updates() from public;

create function private.attach_item_update_guard(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger guard_versioned_item_updates after update on %s
    referencing old table as old_items new table as new_items
    for each statement execute function private.guard_versioned_item_updates()', p_table);
end;
$$;
comment on function private.attach_item_update_guard(regclass) is
  'Installs the once-per-statement checks of item updates (private.guard_versioned_item_updates) on a versioned item table; run for every table registered in private.versioned_item_tables.';
revoke all on function private.attach_item_update_guard(regclass) from public;

create function private.attach_item_update_guard_on_register()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.attach_item_update_guard(new.table_name);
  return null;
end;
$$;
comment on function private.attach_item_update_guard_on_register() is
  'Trigger on private.versioned_item_tables: a table attached to the version lifecycle gets the once-per-statement checks of item updates (private.attach_item_update_guard).';
revoke all on function private.attach_item_update_guard_on_register() from public;

create trigger attach_item_update_guard_on_register after insert on private.versioned_item_tables
  for each row execute function private.attach_item_update_guard_on_register();

select private.attach_item_update_guard(t.table_name) from private.versioned_item_tables t;
