-- The statement checks and counters of item updates compare columns as themselves instead of whole rows as jsonb.
--
-- Before (20261203300000, 20261203304000): private.guard_versioned_item_updates told content changes by turning every
-- old and new row into jsonb (private.item_content_changed), and count_bulk_decisions turned them into jsonb again
-- for planning's summary (private.planning_item_contribution): four conversions of a whole row per item. Now
-- private.item_columns_unchanged writes, for one table, the condition "these columns are as they were" over the
-- columns themselves (types with an equality of their own compare as they are, others as jsonb, the comparison the
-- jsonb of the rows made), and both functions run it as the table's own statement; count_bulk_decisions passes
-- planning_item_contribution only the columns it reads. The answers are the same.
--
-- Redefines private.guard_versioned_item_updates (20261203300000_guard_item_updates_per_statement) and
-- private.count_bulk_decisions (20261203304000_count_item_updates_per_statement).

create function private.item_columns_unchanged(p_table regclass, p_except text[])
returns text
language sql
stable
set search_path = ''
as $$
  -- For the aliases n (new row) and o (old row) of a statement over p_table.
  select coalesce(string_agg(
           case when t.typtype = 'e' or t.oid in ('bool'::regtype, 'int2'::regtype, 'int4'::regtype, 'int8'::regtype,
                  'numeric'::regtype, 'text'::regtype, 'varchar'::regtype, 'uuid'::regtype, 'date'::regtype,
                  'timestamptz'::regtype, 'timestamp'::regtype, 'jsonb'::regtype, 'text[]'::regtype, 'uuid[]'::regtype)
                then format('n.%1$I is not distinct from o.%1$I', a.attname)
                else format('to_jsonb(n.%1$I) is not distinct from to_jsonb(o.%1$I)', a.attname) end,
           ' and ' order by a.attnum), 'true')
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_type t on t.oid = a.atttypid
   where a.attrelid = p_table and a.attnum > 0 and not a.attisdropped and not (a.attname = any (p_except))
$$;
comment on function private.item_columns_unchanged(regclass, text[]) is
  'SQL text of the condition that every column of p_table but p_except is as it was, for the aliases n (new row) and o (old row): columns whose type has an equality of its own compare as they are, others as jsonb (as to_jsonb of the rows compares them).';
revoke all on function private.item_columns_unchanged(regclass, text[]) from public;

create or replace function private.guard_versioned_item_updates()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_version private.item_version;
begin
  -- One pass over the statement's rows: which kinds of change each version's rows make. Content is every column but
  -- the decisions, notes, stamps, item_status and updated_at (as private.item_content_changed says). The owner's
  -- fields of a row whose content or tester decision changed were cleared by the row guard (a row changing them
  -- itself is refused there), so they count as the owner's change only otherwise.
  for r in execute format($q$
    with changed as (
      select n.version_id,
             not (%s) as content,
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
    $q$, private.item_columns_unchanged(tg_relid, array['tester_decided_by', 'tester_decided_at',
      'report_owner_decided_by', 'report_owner_decided_at', 'item_status', 'updated_at', 'tester_decision',
      'tester_notes', 'report_owner_decision', 'report_owner_notes']))
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

create or replace function private.count_bulk_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_counted text;
begin
  with delta as (
    select n.version_id,
           sum((n.tester_decision is not null)::integer - (o.tester_decision is not null)::integer)::integer as tester,
           sum((n.report_owner_decision is not null)::integer - (o.report_owner_decision is not null)::integer)::integer as owner,
           sum((n.item_status = 'approved')::integer - (o.item_status = 'approved')::integer)::integer as approved,
           sum((n.item_status = 'rejected')::integer - (o.item_status = 'rejected')::integer)::integer as rejected
      from new_rows n join old_rows o on o.id = n.id
     group by n.version_id
  )
  update public.artifact_versions v
     set tester_decided_count = v.tester_decided_count + d.tester,
         owner_decided_count = v.owner_decided_count + d.owner,
         approved_count = v.approved_count + d.approved,
         rejected_count = v.rejected_count + d.rejected
    from delta d
   where v.id = d.version_id and (d.tester, d.owner, d.approved, d.rejected) <> (0, 0, 0, 0);

  if tg_table_name in ('planning_data_sources', 'planning_attributes', 'planning_pde_mappings') then
    -- The columns planning_item_contribution reads, of those the table has, and only from rows that changed one.
    select string_agg(format('%L, %s.%I', a.attname, '%1$s', a.attname), ', ' order by a.attnum)
      into v_counted
      from pg_catalog.pg_attribute a
     where a.attrelid = tg_relid and a.attnum > 0 and not a.attisdropped
       and a.attname in ('item_status', 'is_primary_key', 'is_cde', 'is_mandatory', 'auto_approved');
    execute format($q$
      with contribution as materialized (
        select n.version_id,
               private.planning_item_contribution($1, jsonb_build_object(%1$s)) as n,
               private.planning_item_contribution($1, jsonb_build_object(%2$s)) as o
          from new_rows n join old_rows o on o.id = n.id
         where not (%3$s)
      ), delta as (
        select c.version_id,
               array[sum(c.n[1] - c.o[1]), sum(c.n[2] - c.o[2]), sum(c.n[3] - c.o[3]), sum(c.n[4] - c.o[4]),
                     sum(c.n[5] - c.o[5]), sum(c.n[6] - c.o[6]), sum(c.n[7] - c.o[7]), sum(c.n[8] - c.o[8]),
                     sum(c.n[9] - c.o[9])]::integer[] as d
          from contribution c group by c.version_id
      )
      update public.planning_version_summaries s
         set data_sources = s.data_sources + x.d[1],
             total_attributes = s.total_attributes + x.d[2],
             approved_attributes = s.approved_attributes + x.d[3],
             pk_attributes = s.pk_attributes + x.d[4],
             cde_attributes = s.cde_attributes + x.d[5],
             mandatory_attributes = s.mandatory_attributes + x.d[6],
             total_mappings = s.total_mappings + x.d[7],
             approved_mappings = s.approved_mappings + x.d[8],
             auto_approved_mappings = s.auto_approved_mappings + x.d[9]
        from delta x
       where s.version_id = x.version_id and x.d <> array[0, 0, 0, 0, 0, 0, 0, 0, 0]
      $q$, format(coalesce(v_counted, ''), 'n'), format(coalesce(v_counted, ''), 'o'),
      private.item_columns_unchanged(tg_relid,
        array(select a.attname::text from pg_catalog.pg_attribute a
               where a.attrelid = tg_relid and a.attnum > 0 and not a.attisdropped
                 and a.attname not in ('item_status', 'is_primary_key', 'is_cde', 'is_mandatory', 'auto_approved'))))
    using tg_table_name;
  end if;
  return null;
end;
$$;
comment on function private.count_bulk_decisions() is
  'Statement-level trigger on item tables (after update, with transition tables): applies the counter deltas of every row the statement updated to artifact_versions and, for planning tables, planning_version_summaries (from the rows that changed a column planning_item_contribution reads), once per version instead of once per item.';
