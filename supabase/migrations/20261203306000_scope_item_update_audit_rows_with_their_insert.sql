-- The audit rows of an item update are scoped by the same statement that writes them.
--
-- Before (20261203302000): private.scope_audit_rows asked private.audit_scope for each new audit row; for an item
-- update, whose changed columns name neither a cycle report nor a version, that is a look-up of the item's earlier
-- audit rows, 2,000 of them for a bulk decision. An item's version never changes (the item guard refuses it, PT409
-- item_version_immutable), so the cycle report those earlier rows name is its version's. Now
-- private.audit_updated_rows writes each audit row's scope (its item's version's cycle report) in the same
-- statement, and private.scope_audit_rows asks audit_scope only for rows that have no scope yet.
--
-- Redefines private.audit_updated_rows and private.scope_audit_rows (20261203302000_audit_item_updates_per_statement).

create or replace function private.audit_updated_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unchanged text;
  v_row_id text;
begin
  -- Per column, its name when the row left it as it was. Types with an equality of their own compare as they are;
  -- others as jsonb, as private.audit_row compares them.
  select string_agg(format('case when %s then %L end',
           case when t.typtype = 'e' or t.oid in ('bool'::regtype, 'int2'::regtype, 'int4'::regtype, 'int8'::regtype,
                  'numeric'::regtype, 'text'::regtype, 'varchar'::regtype, 'uuid'::regtype, 'date'::regtype,
                  'timestamptz'::regtype, 'timestamp'::regtype, 'jsonb'::regtype, 'text[]'::regtype, 'uuid[]'::regtype)
                then format('n.%1$I is not distinct from o.%1$I', a.attname)
                else format('to_jsonb(n.%1$I) is not distinct from to_jsonb(o.%1$I)', a.attname) end,
           a.attname), ', ' order by a.attnum)
    into v_unchanged
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
   where a.attrelid = tg_relid and a.attnum > 0 and not a.attisdropped and not (a.attname = any (tg_argv));
  -- The primary key as text, its columns joined with commas, as private.audit_row writes it.
  select string_agg(format('(to_jsonb(n.%I) #>> ''{}'')', a.attname), ' || '','' || ' order by k.ord)
    into v_row_id
    from pg_catalog.pg_index i
    cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
   where i.indrelid = tg_relid and i.indisprimary;

  execute format($q$
    with changed as materialized (
      select %1$s as row_id, n.version_id, to_jsonb(o) as old_row, to_jsonb(n) as new_row, r.ord,
             array_remove(array[%2$s], null) || $4 as left_out
        from new_items n
        join old_items o on o.id = n.id
        join (select i.id, row_number() over () as ord from new_items i) r on r.id = n.id
    ), logged as (
      insert into public.audit_log (actor_id, actor_role, table_name, row_id, operation, old_values, new_values)
      select $1, $2, $3, c.row_id, 'UPDATE', c.old_row - c.left_out, c.new_row - c.left_out
        from changed c
       where (c.new_row - c.left_out) <> '{}'::jsonb
       order by c.ord
      returning id, actor_id, row_id
    )
    insert into private.audit_log_scopes (audit_id, actor_id, cycle_report_id)
    select l.id, l.actor_id, v.cycle_report_id
      from logged l
      join changed c on c.row_id = l.row_id
      join public.artifact_versions v on v.id = c.version_id
    $q$, v_row_id, v_unchanged)
  using auth.uid(), coalesce(nullif(auth.role(), ''), nullif(current_setting('role'), 'none'), session_user::text),
        tg_table_schema || '.' || tg_table_name, tg_argv::text[];
  return null;
end;
$$;
comment on function private.audit_updated_rows() is
  'Statement trigger (after update, transition tables old_items and new_items) on every versioned item table: writes one audit_log row per changed item, as private.audit_row does per row (only the changed columns, leaving out those named as trigger arguments), with one insert for the statement, and scopes each to its item''s version''s cycle report in private.audit_log_scopes. Items pair by id, which never changes.';

create or replace function private.scope_audit_rows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.audit_log_scopes (audit_id, actor_id, cycle_report_id)
  select n.id, n.actor_id, s.cycle_report_id
    from new_rows n
    cross join lateral (select private.audit_scope(n.table_name, n.operation, n.row_id,
                                                   coalesce(n.new_values, n.old_values)) as cycle_report_id
                         offset 0) s
   where not exists (select 1 from private.audit_log_scopes x where x.audit_id = n.id)
     and s.cycle_report_id is not null
   order by n.id
  on conflict (audit_id) do nothing;
  return null;
end;
$$;
comment on function private.scope_audit_rows() is
  'Statement trigger (after insert on audit_log, transition table new_rows): records the cycle report each new row is about (private.audit_scope) in private.audit_log_scopes, with one insert; rows their writer scoped already (private.audit_updated_rows) are left as they are.';
