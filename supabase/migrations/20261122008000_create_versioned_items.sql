-- Versioned items: the machinery any item table opts into with
--   select private.attach_versioned_items('public.some_items', 'planning');
-- It adds the lineage and decision columns, the triggers that enforce the lifecycle on items and keep the
-- version's counters, row-level security, the audit trigger, and registers the table so new versions copy it.

create type public.review_decision as enum ('approved', 'rejected');
comment on type public.review_decision is 'A tester''s or report owner''s decision on an item.';
create type public.item_status as enum ('pending', 'approved', 'rejected');
comment on type public.item_status is
  'Status of an item, derived from the decisions: the owner''s where the phase has owner item review, else the tester''s.';

create table private.versioned_item_tables (
  table_name regclass primary key,
  phase_name text not null references public.phase_definitions (name),
  copy_order integer not null default 0
);
comment on table private.versioned_item_tables is
  'Item tables attached to the version lifecycle, with the phase they belong to and the order in which new versions copy them.';

-- Guard: edits only in draft, decisions by the right role in the right state, stamps from auth.uid() -----
create function private.guard_versioned_item()
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
      v_carried := v_version.carry_forward_approved and v_parent ->> 'item_status' = 'approved'
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
          message = 'Report-owner decisions can only be recorded while the version awaits approval.';
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
  end if;

  new.item_status := (case when v_version.owner_item_review then coalesce(new.report_owner_decision::text, 'pending')
                           else coalesce(new.tester_decision::text, 'pending') end)::public.item_status;
  return new;
end;
$$;
comment on function private.guard_versioned_item() is
  'Trigger on every versioned item table: items change only in a draft version, by its tester or an admin; tester decisions only in draft, report-owner decisions only while pending approval (and only where the phase reviews items); who/when stamped from auth.uid(); item_status derived from the decisions.';

-- Counters: one row update of the version per item change, whatever the version's size -----------------
create function private.count_versioned_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_items integer := 0;
  v_tester integer := 0;
  v_owner integer := 0;
  v_approved integer := 0;
  v_rejected integer := 0;
  v_version_id uuid;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    v_version_id := old.version_id;
    v_items := v_items - 1;
    v_tester := v_tester - (old.tester_decision is not null)::integer;
    v_owner := v_owner - (old.report_owner_decision is not null)::integer;
    v_approved := v_approved - (old.item_status = 'approved')::integer;
    v_rejected := v_rejected - (old.item_status = 'rejected')::integer;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_version_id := new.version_id;
    v_items := v_items + 1;
    v_tester := v_tester + (new.tester_decision is not null)::integer;
    v_owner := v_owner + (new.report_owner_decision is not null)::integer;
    v_approved := v_approved + (new.item_status = 'approved')::integer;
    v_rejected := v_rejected + (new.item_status = 'rejected')::integer;
  end if;
  if (v_items, v_tester, v_owner, v_approved, v_rejected) <> (0, 0, 0, 0, 0) then
    update public.artifact_versions v
       set item_count = v.item_count + v_items,
           tester_decided_count = v.tester_decided_count + v_tester,
           owner_decided_count = v.owner_decided_count + v_owner,
           approved_count = v.approved_count + v_approved,
           rejected_count = v.rejected_count + v_rejected
     where v.id = v_version_id;
  end if;
  return null;
end;
$$;
comment on function private.count_versioned_item() is
  'Trigger: applies the item''s contribution delta to its version''s counters (O(1) per change; no recount).';

-- Copy: a new version starts with its parent's items, linked by parent_item_id ----------------------------
create function private.copy_version_items()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_table record;
  v_fk record;
  v_columns text;
  v_select text;
  v_carry boolean;
  v_excluded constant text[] := array['id', 'version_id', 'parent_item_id', 'tester_decision', 'tester_notes',
    'tester_decided_by', 'tester_decided_at', 'report_owner_decision', 'report_owner_notes', 'report_owner_decided_by',
    'report_owner_decided_at', 'item_status', 'created_at', 'updated_at'];
begin
  if new.parent_version_id is null then
    return null;
  end if;
  select d.carry_forward_approved into v_carry from public.phase_definitions d where d.name = new.phase_name;

  for v_table in
    select t.table_name from private.versioned_item_tables t where t.phase_name = new.phase_name
     order by t.copy_order, t.table_name::text
  loop
    select coalesce(string_agg(', ' || quote_ident(a.attname), '' order by a.attnum), ''),
           coalesce(string_agg(', t.' || quote_ident(a.attname), '' order by a.attnum), '')
      into v_columns, v_select
      from pg_catalog.pg_attribute a
     where a.attrelid = v_table.table_name and a.attnum > 0 and not a.attisdropped
       and a.attgenerated = '' and a.attidentity = '' and a.attname <> all (v_excluded);
    execute format(
      'insert into %1$s (version_id, parent_item_id, tester_decision, tester_notes, report_owner_decision, report_owner_notes%2$s)
       select $1, t.id,
              case when $2 and t.item_status = ''approved'' then t.tester_decision end,
              case when $2 and t.item_status = ''approved'' then t.tester_notes end,
              case when $2 and t.item_status = ''approved'' then t.report_owner_decision end,
              case when $2 and t.item_status = ''approved'' then t.report_owner_notes end%3$s
         from %1$s t where t.version_id = $3',
      v_table.table_name, v_columns, v_select
    ) using new.id, v_carry, new.parent_version_id;
  end loop;

  -- References between item tables of the phase (e.g. a mapping to an attribute) follow to the copies.
  for v_fk in
    select c.conrelid::regclass as child, a.attname as column_name, c.confrelid::regclass as parent
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join private.versioned_item_tables tc on tc.table_name = c.conrelid and tc.phase_name = new.phase_name
      join private.versioned_item_tables tp on tp.table_name = c.confrelid and tp.phase_name = new.phase_name
     where c.contype = 'f' and array_length(c.conkey, 1) = 1 and a.attname <> 'parent_item_id'
  loop
    execute format(
      'update %1$s t set %2$I = p.id from %3$s p where t.version_id = $1 and p.version_id = $1 and p.parent_item_id = t.%2$I',
      v_fk.child, v_fk.column_name, v_fk.parent
    ) using new.id;
  end loop;
  return null;
end;
$$;
comment on function private.copy_version_items() is
  'Trigger on artifact_versions insert: copies every item table of the phase from the parent version (parent_item_id = the original), keeping approved items'' decisions where the phase carries them forward and re-pointing references between the phase''s item tables to the copies.';

create trigger copy_version_items
  after insert on public.artifact_versions
  for each row execute function private.copy_version_items();

-- Opting in -------------------------------------------------------------------------------------------------
create function private.attach_versioned_items(p_table regclass, p_phase_name text, p_copy_order integer default 0)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_id_type text;
  v_name text := (select c.relname from pg_catalog.pg_class c where c.oid = p_table);
begin
  if not exists (select 1 from public.phase_definitions d where d.name = p_phase_name and d.has_artifact) then
    raise exception using errcode = 'PT400', detail = 'phase_has_no_artifact',
      message = format('Phase %s does not exist or has no versioned artifact.', p_phase_name);
  end if;
  select format_type(a.atttypid, a.atttypmod) into v_id_type
    from pg_catalog.pg_attribute a where a.attrelid = p_table and a.attname = 'id' and not a.attisdropped;
  if v_id_type is null
     or not exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = p_table and a.attname = 'version_id'
                    and a.atttypid = 'uuid'::regtype and not a.attisdropped) then
    raise exception using errcode = 'PT400', detail = 'item_table_shape',
      message = format('%s needs an id primary key and a version_id uuid column.', p_table);
  end if;

  execute format($f$
    alter table %1$s
      alter column version_id set not null,
      add column if not exists parent_item_id %2$s references %1$s (id),
      add column if not exists tester_decision public.review_decision,
      add column if not exists tester_notes text,
      add column if not exists tester_decided_by uuid references public.profiles (id),
      add column if not exists tester_decided_at timestamptz,
      add column if not exists report_owner_decision public.review_decision,
      add column if not exists report_owner_notes text,
      add column if not exists report_owner_decided_by uuid references public.profiles (id),
      add column if not exists report_owner_decided_at timestamptz,
      add column if not exists item_status public.item_status not null default 'pending'
  $f$, p_table, v_id_type);

  if not exists (select 1 from pg_catalog.pg_constraint c
                  where c.conrelid = p_table and c.contype = 'f' and c.confrelid = 'public.artifact_versions'::regclass) then
    execute format('alter table %s add foreign key (version_id) references public.artifact_versions (id) on delete cascade', p_table);
  end if;
  execute format('create index if not exists %I on %s (version_id)', v_name || '_version_id_idx', p_table);
  execute format('create index if not exists %I on %s (parent_item_id)', v_name || '_parent_item_id_idx', p_table);

  execute format('comment on column %s.parent_item_id is %L', p_table, 'The item of the parent version this item was copied from (lineage).');
  execute format('comment on column %s.tester_decision is %L', p_table, 'The tester''s decision (draft only); who and when are stamped by the database.');
  execute format('comment on column %s.report_owner_decision is %L', p_table, 'The report owner''s decision (pending approval only, where the phase reviews items).');
  execute format('comment on column %s.item_status is %L', p_table, 'Derived from the decisions: the owner''s where the phase reviews items, else the tester''s.');

  execute format('create trigger guard_versioned_item before insert or update or delete on %s for each row execute function private.guard_versioned_item()', p_table);
  execute format('create trigger count_versioned_item after insert or update or delete on %s for each row execute function private.count_versioned_item()', p_table);
  execute format('create trigger refuse_truncate before truncate on %s for each statement execute function private.refuse_truncate()', p_table);
  perform private.attach_audit(p_table);

  execute format('alter table %s enable row level security', p_table);
  execute format('revoke all on table %s from anon, authenticated', p_table);
  execute format('grant select, insert, update, delete on table %s to authenticated', p_table);
  execute format($p$create policy "Assigned testers, owners and admins can read items" on %s
    for select to authenticated using (version_id in (select private.readable_version_ids()))$p$, p_table);
  execute format($p$create policy "Assigned testers and admins can add items to drafts" on %s
    for insert to authenticated with check (version_id in (select private.workable_version_ids()))$p$, p_table);
  execute format($p$create policy "Testers, owners and admins can update items and decisions" on %s
    for update to authenticated using (version_id in (select private.readable_version_ids()))
    with check (version_id in (select private.readable_version_ids()))$p$, p_table);
  execute format($p$create policy "Assigned testers and admins can delete items of drafts" on %s
    for delete to authenticated using (version_id in (select private.workable_version_ids()))$p$, p_table);

  insert into private.versioned_item_tables (table_name, phase_name, copy_order) values (p_table, p_phase_name, p_copy_order);
end;
$$;
comment on function private.attach_versioned_items(regclass, text, integer) is
  'Opts an item table (id primary key, version_id uuid) into the version lifecycle of a phase: adds lineage and decision columns, lifecycle and counter triggers, audit, RLS policies and grants, and registers it for copying (copy_order: referenced tables first).';
