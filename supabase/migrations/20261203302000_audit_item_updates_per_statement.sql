-- Audit rows of item updates are written with one insert per statement, and their scopes with one more.
--
-- Before: private.audit_row (after each row) inserted one audit_log row per changed item, and private.scope_audit_row
-- (after each audit_log row) one audit_log_scopes row each: 4,000 single-row inserts for a bulk decision over 2,000
-- items. Now, on every versioned item table, audit_row stays for inserts and deletes, and audit_updated_rows (after
-- update, for each statement, with the old and new rows as transition tables) writes the same rows (actor, role,
-- table, row id, only the changed columns but the ignored ones, in the order the statement changed the rows) with
-- one insert ... select. An item's id never changes (the item guard refuses it, PT409 item_column_immutable), so
-- old and new rows pair by id. On audit_log, scope_audit_rows (after insert, for each statement) scopes every new
-- row with private.audit_scope as scope_audit_row did, in one insert. The hash chain is made at commit as before
-- (20261203303000 links a transaction's rows in one pass).
--
-- Replaces the trigger scope_audit_row (20261201302000_end_access_with_assignment) with scope_audit_rows.

create function private.audit_updated_rows()
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
    insert into public.audit_log (actor_id, actor_role, table_name, row_id, operation, old_values, new_values)
    select $1, $2, $3, c.row_id, 'UPDATE', c.old_row - c.left_out, c.new_row - c.left_out
      from (select %s as row_id, to_jsonb(o) as old_row, to_jsonb(n) as new_row, r.ord,
                   array_remove(array[%s], null) || $4 as left_out
              from new_items n
              join old_items o on o.id = n.id
              join (select i.id, row_number() over () as ord from new_items i) r on r.id = n.id
            offset 0) c
     where (c.new_row - c.left_out) <> '{}'::jsonb
     order by c.ord
    $q$, v_row_id, v_unchanged)
  using auth.uid(), coalesce(nullif(auth.role(), ''), nullif(current_setting('role'), 'none'), session_user::text),
        tg_table_schema || '.' || tg_table_name, tg_argv::text[];
  return null;
end;
$$;
comment on function private.audit_updated_rows() is
  'Statement trigger (after update, transition tables old_items and new_items) on every versioned item table: writes one audit_log row per changed item, as private.audit_row does per row (only the changed columns, leaving out those named as trigger arguments), with one insert for the statement. Items pair by id, which never changes.';
revoke all on function private.audit_updated_rows() from public;

create function private.attach_item_update_audit(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_args text;
begin
  -- The ignored columns stay those the table's audit_row trigger names.
  select coalesce(string_agg(quote_literal(a), ', ' order by o), '')
    into v_args
    from pg_catalog.pg_trigger g
    cross join lateral unnest(string_to_array(rtrim(encode(g.tgargs, 'escape'), '\000'), '\000')) with ordinality as x(a, o)
   where g.tgrelid = p_table and g.tgname = 'audit_row' and g.tgnargs > 0;
  execute format('drop trigger if exists audit_row on %s', p_table);
  execute format('create trigger audit_row after insert or delete on %s for each row execute function private.audit_row(%s)',
    p_table, v_args);
  execute format('create trigger audit_updated_rows after update on %s
    referencing old table as old_items new table as new_items
    for each statement execute function private.audit_updated_rows(%s)', p_table, v_args);
end;
$$;
comment on function private.attach_item_update_audit(regclass) is
  'Audits a versioned item table''s updates once per statement (private.audit_updated_rows) and its inserts and deletes per row (private.audit_row), with the columns its audit_row trigger ignored. Run for every table registered in private.versioned_item_tables.';
revoke all on function private.attach_item_update_audit(regclass) from public;

create function private.attach_item_update_audit_on_register()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.attach_item_update_audit(new.table_name);
  return null;
end;
$$;
comment on function private.attach_item_update_audit_on_register() is
  'Trigger on private.versioned_item_tables: a table attached to the version lifecycle has its updates audited once per statement (private.attach_item_update_audit).';
revoke all on function private.attach_item_update_audit_on_register() from public;

create trigger attach_item_update_audit_on_register after insert on private.versioned_item_tables
  for each row execute function private.attach_item_update_audit_on_register();

select private.attach_item_update_audit(t.table_name) from private.versioned_item_tables t;

create function private.scope_audit_rows()
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
   where s.cycle_report_id is not null
   order by n.id
  on conflict (audit_id) do nothing;
  return null;
end;
$$;
comment on function private.scope_audit_rows() is
  'Statement trigger (after insert on audit_log, transition table new_rows): records the cycle report each new row is about (private.audit_scope) in private.audit_log_scopes, with one insert.';
revoke all on function private.scope_audit_rows() from public;

drop trigger scope_audit_row on public.audit_log;
create trigger scope_audit_rows after insert on public.audit_log
  referencing new table as new_rows
  for each statement execute function private.scope_audit_rows();
comment on function private.scope_audit_row() is
  'No longer attached: private.scope_audit_rows scopes audit rows once per insert statement (20261203302000).';
