-- Every update of items is counted once per statement, not only decide_items' bulk decisions.
--
-- Before: the row counters (count_versioned_item, count_planning_item) skipped an update only while decide_items'
-- marker (regtest.bulk_deciding_version_id) named its version; any other update of many items (a REST PATCH with a
-- filter, a Studio update) updated the version's counters once per row. Now the row counters count inserts and
-- deletes, and count_bulk_decisions (after update, for each statement, already on every registered item table)
-- applies the deltas of every updated row, once per version. decide_items' marker is no longer read. The delta is
-- the same sum the rows applied one by one, so the counters end the statement as before; no trigger reads them
-- while the statement runs.
--
-- Redefines private.count_versioned_item, private.count_planning_item and private.count_bulk_decisions (all last in
-- 20261202107000_count_bulk_decisions_per_statement).

create or replace function private.count_versioned_item()
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
  -- Updates are counted once per statement (count_bulk_decisions).
  if tg_op = 'UPDATE' then
    return null;
  end if;
  if tg_op = 'DELETE' then
    v_version_id := old.version_id;
    v_items := -1;
    v_tester := -(old.tester_decision is not null)::integer;
    v_owner := -(old.report_owner_decision is not null)::integer;
    v_approved := -(old.item_status = 'approved')::integer;
    v_rejected := -(old.item_status = 'rejected')::integer;
  else
    v_version_id := new.version_id;
    v_items := 1;
    v_tester := (new.tester_decision is not null)::integer;
    v_owner := (new.report_owner_decision is not null)::integer;
    v_approved := (new.item_status = 'approved')::integer;
    v_rejected := (new.item_status = 'rejected')::integer;
  end if;
  update public.artifact_versions v
     set item_count = v.item_count + v_items,
         tester_decided_count = v.tester_decided_count + v_tester,
         owner_decided_count = v.owner_decided_count + v_owner,
         approved_count = v.approved_count + v_approved,
         rejected_count = v.rejected_count + v_rejected
   where v.id = v_version_id;
  return null;
end;
$$;
comment on function private.count_versioned_item() is
  'Trigger: applies an inserted or deleted item''s contribution to its version''s counters (O(1) per change; no recount). Updates are counted once per statement by count_bulk_decisions.';

create or replace function private.count_planning_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  d integer[];
begin
  -- Updates are counted once per statement (count_bulk_decisions).
  if tg_op = 'UPDATE' then
    return null;
  end if;
  if tg_op = 'DELETE' then
    select array_agg(-c order by i) into d
      from unnest(private.planning_item_contribution(tg_table_name, to_jsonb(old))) with ordinality as t(c, i);
  else
    d := private.planning_item_contribution(tg_table_name, to_jsonb(new));
  end if;
  update public.planning_version_summaries s
     set data_sources = s.data_sources + d[1],
         total_attributes = s.total_attributes + d[2],
         approved_attributes = s.approved_attributes + d[3],
         pk_attributes = s.pk_attributes + d[4],
         cde_attributes = s.cde_attributes + d[5],
         mandatory_attributes = s.mandatory_attributes + d[6],
         total_mappings = s.total_mappings + d[7],
         approved_mappings = s.approved_mappings + d[8],
         auto_approved_mappings = s.auto_approved_mappings + d[9]
   where s.version_id = case when tg_op = 'DELETE' then old.version_id else new.version_id end;
  return null;
end;
$$;
comment on function private.count_planning_item() is
  'Trigger on the planning item tables: applies an inserted or deleted row''s contribution to its version''s summary counters (O(1) per change; no recount). Updates are counted once per statement by count_bulk_decisions.';

create or replace function private.count_bulk_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
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
    with contribution as materialized (
      select n.version_id,
             private.planning_item_contribution(tg_table_name, to_jsonb(n)) as n,
             private.planning_item_contribution(tg_table_name, to_jsonb(o)) as o
        from new_rows n join old_rows o on o.id = n.id
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
     where s.version_id = x.version_id and x.d <> array[0, 0, 0, 0, 0, 0, 0, 0, 0];
  end if;
  return null;
end;
$$;
comment on function private.count_bulk_decisions() is
  'Statement-level trigger on item tables (after update, with transition tables): applies the counter deltas of every row the statement updated to artifact_versions and, for planning tables, planning_version_summaries, once per version instead of once per item.';
