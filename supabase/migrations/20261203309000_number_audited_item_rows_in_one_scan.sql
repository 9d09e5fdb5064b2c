-- The audit of item updates reads the statement's new rows once.
--
-- Before (20261203306000): private.audit_updated_rows numbered the new rows (their order in the statement) in a
-- second scan of the transition table joined back by id; with 2,000 rows that second reader of the same transition
-- table waited seconds before its first row under load (measured with auto_explain: 6.8 s of a 7.6 s statement).
-- Now the rows are numbered in the one scan that reads them. The audit rows written are the same, in the same order.
--
-- Redefines private.audit_updated_rows (20261203306000_scope_item_update_audit_rows_with_their_insert).

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
      select %1$s as row_id, n.version_id, to_jsonb(o) as old_row, to_jsonb(n) - 'audit_ord' as new_row, n.audit_ord as ord,
             array_remove(array[%2$s], null) || $4 as left_out
        from (select n.*, row_number() over () as audit_ord from new_items n) n
        join old_items o on o.id = n.id
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
