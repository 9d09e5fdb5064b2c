-- One bulk decision (public.decide_items) on 2,000 items of a version of 10,000 ran past the API's statement timeout:
-- every item's counter trigger updated the same version row (and, in planning, the same summary row) again, each
-- update a new row version that fires the version row's own triggers. Now decide_items marks its statement (a
-- transaction-local setting naming the version, reset when it is done), the row-level counters skip its updates,
-- and a statement-level trigger (private.count_bulk_decisions, over the statement's transition tables) applies the
-- whole delta once per version. Single decisions and every other write count per row as before.
--
-- Redefines private.count_versioned_item (from 20261122008000_create_versioned_items), private.count_planning_item
-- (from 20261122024000_create_planning_version_summary) and public.decide_items (from
-- 20261201505000_create_decide_items), each with the marker added and nothing else changed.
--
-- The marker cannot be set through the API: PostgREST sets only request.* settings and runs no SQL of the caller's.
-- decide_items sets it only on tables that have count_bulk_decisions (private.attach_bulk_counting), so an item
-- table attached later without it is still counted per row.

create function private.is_bulk_deciding(p_version_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.current_setting('regtest.bulk_deciding_version_id', true) = p_version_id::text, false)
$$;
comment on function private.is_bulk_deciding(uuid) is
  'Whether the current statement is decide_items'' bulk decision on this version (transaction-local marker regtest.bulk_deciding_version_id), which private.count_bulk_decisions counts once per statement.';
revoke all on function private.is_bulk_deciding(uuid) from public;

create or replace function private.count_versioned_item() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_items integer := 0;
  v_tester integer := 0;
  v_owner integer := 0;
  v_approved integer := 0;
  v_rejected integer := 0;
  v_version_id uuid;
begin
  -- A bulk decision counts once per statement (count_bulk_decisions).
  if tg_op = 'UPDATE' and private.is_bulk_deciding(new.version_id) then
    return null;
  end if;
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

create or replace function private.count_planning_item() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_old integer[] := array[0, 0, 0, 0, 0, 0, 0, 0, 0];
  v_new integer[] := array[0, 0, 0, 0, 0, 0, 0, 0, 0];
  d integer[];
begin
  -- A bulk decision counts once per statement (count_bulk_decisions).
  if tg_op = 'UPDATE' and private.is_bulk_deciding(new.version_id) then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := private.planning_item_contribution(tg_table_name, to_jsonb(old));
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := private.planning_item_contribution(tg_table_name, to_jsonb(new));
  end if;
  if v_old = v_new then
    return null;
  end if;
  select array_agg(n - o order by i) into d from unnest(v_new, v_old) with ordinality as t(n, o, i);
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

create function private.count_bulk_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only the rows of a marked version were skipped by the row-level counters; the rest counted themselves.
  with changed as (
    select n.version_id,
           (n.tester_decision is not null)::integer - (o.tester_decision is not null)::integer as tester,
           (n.report_owner_decision is not null)::integer - (o.report_owner_decision is not null)::integer as owner,
           (n.item_status = 'approved')::integer - (o.item_status = 'approved')::integer as approved,
           (n.item_status = 'rejected')::integer - (o.item_status = 'rejected')::integer as rejected
      from new_rows n join old_rows o on o.id = n.id
     where private.is_bulk_deciding(n.version_id)
  ), delta as (
    select version_id, sum(tester)::integer as tester, sum(owner)::integer as owner,
           sum(approved)::integer as approved, sum(rejected)::integer as rejected
      from changed group by version_id
  )
  update public.artifact_versions v
     set tester_decided_count = v.tester_decided_count + d.tester,
         owner_decided_count = v.owner_decided_count + d.owner,
         approved_count = v.approved_count + d.approved,
         rejected_count = v.rejected_count + d.rejected
    from delta d
   where v.id = d.version_id and (d.tester, d.owner, d.approved, d.rejected) <> (0, 0, 0, 0);

  if tg_table_name in ('planning_data_sources', 'planning_attributes', 'planning_pde_mappings') then
    with contribution as (
      select n.version_id, c.i, sum(c.n - c.o)::integer as d
        from new_rows n join old_rows o on o.id = n.id
        cross join lateral unnest(private.planning_item_contribution(tg_table_name, to_jsonb(n)),
                                  private.planning_item_contribution(tg_table_name, to_jsonb(o)))
                           with ordinality as c(n, o, i)
       where private.is_bulk_deciding(n.version_id)
       group by n.version_id, c.i
    ), delta as (
      select version_id, array_agg(d order by i) as d from contribution group by version_id
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
  'Statement-level trigger on item tables (after update, with transition tables): applies the counter deltas of a bulk decision (the rows of a version private.is_bulk_deciding names) to artifact_versions and, for planning tables, planning_version_summaries, once per version instead of once per item.';
revoke all on function private.count_bulk_decisions() from public;

create function private.attach_bulk_counting(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger count_bulk_decisions after update on %s referencing old table as old_rows new table as new_rows
    for each statement execute function private.count_bulk_decisions()', p_table);
end;
$$;
comment on function private.attach_bulk_counting(regclass) is
  'Lets decide_items count a bulk decision on an item table once per statement (private.count_bulk_decisions). An item table without it is counted per row, as before.';
revoke all on function private.attach_bulk_counting(regclass) from public;

select private.attach_bulk_counting(t.table_name) from private.versioned_item_tables t;

create or replace function public.decide_items(p_version_id uuid, p_item_table text, p_item_ids text[], p_side text, p_decision public.review_decision, p_notes text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_table regclass;
  v_id_type text;
  v_count integer;
  v_bulk boolean;
begin
  if p_side is null or p_side not in ('tester', 'report_owner') then
    raise exception using errcode = 'PT400', detail = 'invalid_decision_side',
      message = 'A decision is the tester''s or the report owner''s.';
  end if;
  if p_item_ids is null or cardinality(p_item_ids) = 0 then
    raise exception using errcode = 'PT400', detail = 'no_items_chosen',
      message = 'Choose the items to decide on.';
  end if;
  -- The version as the caller sees it (RLS), and the item table among its phase's.
  select t.table_name into v_table
    from public.artifact_versions v
    join public.phase_definitions d on d.name = v.phase_name
    cross join lateral unnest(d.item_tables) as t(table_name)
   where v.id = p_version_id and t.table_name::text = p_item_table;
  if v_table is null then
    if not exists (select 1 from public.artifact_versions v where v.id = p_version_id) then
      raise exception using errcode = 'PT404', detail = 'version_not_found',
        message = 'This version does not exist or is not visible to you.';
    end if;
    raise exception using errcode = 'PT400', detail = 'item_table_not_of_phase',
      message = format('%s is not an item table of this version''s phase.', p_item_table);
  end if;
  select format_type(a.atttypid, a.atttypmod) into v_id_type
    from pg_catalog.pg_attribute a where a.attrelid = v_table and a.attname = 'id' and not a.attisdropped;

  -- Tables with the statement-level counter count the whole decision once (private.count_bulk_decisions);
  -- the row-level counters skip while the transaction-local marker names this version.
  v_bulk := exists (select 1 from pg_catalog.pg_trigger g where g.tgrelid = v_table and g.tgname = 'count_bulk_decisions');
  if v_bulk then
    perform pg_catalog.set_config('regtest.bulk_deciding_version_id', p_version_id::text, true);
  end if;
  execute format(
    'update %1$s t set %2$I = $3, %3$I = $4 where t.version_id = $1 and t.id = any ($2::%4$s[])',
    v_table, p_side || '_decision', p_side || '_notes', v_id_type
  ) using p_version_id, p_item_ids, p_decision, nullif(btrim(coalesce(p_notes, '')), '');
  get diagnostics v_count = row_count;
  if v_bulk then
    perform pg_catalog.set_config('regtest.bulk_deciding_version_id', '', true);
  end if;
  return v_count;
exception
  when invalid_text_representation then
    raise exception using errcode = 'PT400', detail = 'invalid_item_id',
      message = 'An item id is not an id of this item table.';
end;
$_$;
