-- The copy of a new version's items in small named parts.
--
-- private.copy_version_items (restated whole twice so far) is now a short trigger over named parts: the
-- columns a copy takes (copied_item_columns), the copy of one item table (copy_item_table) and the
-- re-pointing of references between a phase's item tables (repoint_copied_references). The tables and
-- their order come from phase_definitions.item_tables. Behaviour is unchanged.

create function private.copied_item_columns(p_table regclass)
returns text[]
language sql
stable
set search_path = ''
as $$
  -- Lineage, decisions, stamps and timestamps are the version machinery's; generated and identity columns
  -- are the table's. Everything else is the item's content.
  select coalesce(array_agg(a.attname::text order by a.attnum), '{}')
    from pg_catalog.pg_attribute a
   where a.attrelid = p_table and a.attnum > 0 and not a.attisdropped
     and a.attgenerated = '' and a.attidentity = ''
     and a.attname <> all (array['id', 'version_id', 'parent_item_id', 'tester_decision', 'tester_notes',
       'tester_decided_by', 'tester_decided_at', 'report_owner_decision', 'report_owner_notes', 'report_owner_decided_by',
       'report_owner_decided_at', 'item_status', 'created_at', 'updated_at'])
$$;
comment on function private.copied_item_columns(regclass) is
  'The content columns of an item table that a new version copies from its parent (not lineage, decisions, stamps, timestamps, generated or identity columns).';

create function private.copy_item_table(p_table regclass, p_version_id uuid, p_parent_version_id uuid, p_carry boolean)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_columns text := (select coalesce(string_agg(', ' || quote_ident(c), ''), '') from unnest(private.copied_item_columns(p_table)) c);
  v_select text := (select coalesce(string_agg(', t.' || quote_ident(c), ''), '') from unnest(private.copied_item_columns(p_table)) c);
begin
  -- Decisions of approved items go along where the phase carries them forward (p_carry); the item guard
  -- keeps them only for this copy (private.is_copying_version).
  execute format(
    'insert into %1$s (version_id, parent_item_id, tester_decision, tester_notes, report_owner_decision, report_owner_notes%2$s)
     select $1, t.id,
            case when $2 and t.item_status = ''approved'' then t.tester_decision end,
            case when $2 and t.item_status = ''approved'' then t.tester_notes end,
            case when $2 and t.item_status = ''approved'' then t.report_owner_decision end,
            case when $2 and t.item_status = ''approved'' then t.report_owner_notes end%3$s
       from %1$s t where t.version_id = $3',
    p_table, v_columns, v_select
  ) using p_version_id, p_carry, p_parent_version_id;
end;
$$;
comment on function private.copy_item_table(regclass, uuid, uuid, boolean) is
  'Copies the items of one item table from the parent version into a new version (parent_item_id = the original), with the decisions of approved items when p_carry.';

create function private.repoint_copied_references(p_phase_name text, p_version_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_fk record;
begin
  -- References between item tables of the phase (e.g. a mapping to an attribute) follow to the copies.
  for v_fk in
    select c.conrelid::regclass as child, a.attname as column_name, c.confrelid::regclass as parent
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join public.phase_definitions d on d.name = p_phase_name
     where c.conrelid = any (d.item_tables) and c.confrelid = any (d.item_tables)
       and c.contype = 'f' and array_length(c.conkey, 1) = 1 and a.attname <> 'parent_item_id'
  loop
    execute format(
      'update %1$s t set %2$I = p.id from %3$s p where t.version_id = $1 and p.version_id = $1 and p.parent_item_id = t.%2$I',
      v_fk.child, v_fk.column_name, v_fk.parent
    ) using p_version_id;
  end loop;
end;
$$;
comment on function private.repoint_copied_references(text, uuid) is
  'After a copy: a reference from one item table of the phase to another (single-column foreign key) points to the copy of what it pointed to.';

create or replace function private.copy_version_items()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase public.phase_definitions;
  v_table regclass;
  v_marker text;
begin
  if new.parent_version_id is null then
    return null;
  end if;
  select * into v_phase from public.phase_definitions d where d.name = new.phase_name;

  -- Tells guard_versioned_item that the inserts and updates below are this copy's (transaction-local; an
  -- error rolls it back with the (sub)transaction, and it is reset when the copy is done).
  v_marker := current_setting('regtest.copying_version_id', true);
  perform set_config('regtest.copying_version_id', new.id::text, true);
  foreach v_table in array v_phase.item_tables loop
    perform private.copy_item_table(v_table, new.id, new.parent_version_id, v_phase.carry_forward_approved);
  end loop;
  perform private.repoint_copied_references(new.phase_name, new.id);
  perform set_config('regtest.copying_version_id', coalesce(v_marker, ''), true);
  return null;
end;
$$;
comment on function private.copy_version_items() is
  'Trigger on artifact_versions insert: copies every item table of the phase (phase_definitions.item_tables, in that order) from the parent version (copy_item_table; parent_item_id = the original), keeping approved items'' decisions where the phase carries them forward, then re-points references between the phase''s item tables to the copies (repoint_copied_references). While it copies, the transaction-local setting regtest.copying_version_id names the new version, so the item guard carries decisions for its inserts only.';

revoke execute on function private.copied_item_columns(regclass) from public;
revoke execute on function private.copy_item_table(regclass, uuid, uuid, boolean) from public;
revoke execute on function private.repoint_copied_references(text, uuid) from public;
