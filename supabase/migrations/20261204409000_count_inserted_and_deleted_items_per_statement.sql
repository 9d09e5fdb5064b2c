-- Items added or removed are counted once per statement, as updates already are (decision 028): a draw of 200 samples,
-- a version copy or a redraw's deletion updated its version's counters once per row before, and each such update ran
-- artifact_versions' own row triggers and wrote an audit row. private.count_items_per_statement applies the counts of
-- a statement's inserted or deleted rows (its transition table) once per version. attach_bulk_counting gives every
-- item table the three statement triggers; the row trigger count_versioned_item and its function go. Restates
-- private.attach_versioned_items (from the schema's current definition; only the count_versioned_item trigger is
-- no longer created) and private.attach_bulk_counting.

create function private.count_items_per_statement()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.artifact_versions v
       set item_count = v.item_count + d.items,
           tester_decided_count = v.tester_decided_count + d.tester,
           owner_decided_count = v.owner_decided_count + d.owner,
           approved_count = v.approved_count + d.approved,
           rejected_count = v.rejected_count + d.rejected
      from (select n.version_id, count(*)::integer as items,
                   count(*) filter (where n.tester_decision is not null)::integer as tester,
                   count(*) filter (where n.report_owner_decision is not null)::integer as owner,
                   count(*) filter (where n.item_status = 'approved')::integer as approved,
                   count(*) filter (where n.item_status = 'rejected')::integer as rejected
              from new_rows n group by n.version_id) d
     where v.id = d.version_id;
  else
    update public.artifact_versions v
       set item_count = v.item_count - d.items,
           tester_decided_count = v.tester_decided_count - d.tester,
           owner_decided_count = v.owner_decided_count - d.owner,
           approved_count = v.approved_count - d.approved,
           rejected_count = v.rejected_count - d.rejected
      from (select o.version_id, count(*)::integer as items,
                   count(*) filter (where o.tester_decision is not null)::integer as tester,
                   count(*) filter (where o.report_owner_decision is not null)::integer as owner,
                   count(*) filter (where o.item_status = 'approved')::integer as approved,
                   count(*) filter (where o.item_status = 'rejected')::integer as rejected
              from old_rows o group by o.version_id) d
     where v.id = d.version_id;
  end if;
  return null;
end;
$$;
comment on function private.count_items_per_statement() is
  'Statement-level trigger on item tables (after insert with new_rows, after delete with old_rows): applies the item, decision and status counts of every row the statement added or removed to their versions'' counters in artifact_versions, once per version instead of once per item.';
revoke all on function private.count_items_per_statement() from public;

create or replace function private.attach_bulk_counting(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger count_bulk_decisions after update on %s referencing old table as old_rows new table as new_rows
    for each statement execute function private.count_bulk_decisions()', p_table);
  execute format('create trigger count_inserted_items after insert on %s referencing new table as new_rows
    for each statement execute function private.count_items_per_statement()', p_table);
  execute format('create trigger count_deleted_items after delete on %s referencing old table as old_rows
    for each statement execute function private.count_items_per_statement()', p_table);
end;
$$;
comment on function private.attach_bulk_counting(p_table regclass) is
  'Gives an item table its version counters, counted once per statement: updates by private.count_bulk_decisions, inserts and deletes by private.count_items_per_statement. Called when the table is registered in private.versioned_item_tables.';

create or replace function private.attach_versioned_items(p_table regclass, p_phase_name text, p_copy_order integer DEFAULT 0) RETURNS void
    language plpgsql
    set search_path = ''
    as $_$
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
$_$;

do $$
declare
  v_table regclass;
begin
  for v_table in select t.table_name from private.versioned_item_tables t loop
    execute format('drop trigger count_versioned_item on %s', v_table);
    execute format('create trigger count_inserted_items after insert on %s referencing new table as new_rows
      for each statement execute function private.count_items_per_statement()', v_table);
    execute format('create trigger count_deleted_items after delete on %s referencing old table as old_rows
      for each statement execute function private.count_items_per_statement()', v_table);
  end loop;
end;
$$;

drop function private.count_versioned_item();
