-- Bulk decisions: one call records the same decision on many items of a version.
--
-- In the app a tester decides 44 items of 20 attributes one click at a time; the scoping issue asks for a
-- decision on a filtered selection, in every phase. public.decide_items updates the chosen items of one
-- item table in one statement, as the caller (security invoker): row-level security decides which rows
-- the caller reaches, and the item guard and the counters run for each row exactly as for a PATCH of one
-- item, so who may decide, when, the stamps and the version's counters stay right. The item table must be
-- one of the version's phase (phase_definitions.item_tables).

create function public.decide_items(
  p_version_id uuid,
  p_item_table text,
  p_item_ids text[],
  p_side text,
  p_decision public.review_decision,
  p_notes text default null
)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_table regclass;
  v_id_type text;
  v_count integer;
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

  execute format(
    'update %1$s t set %2$I = $3, %3$I = $4 where t.version_id = $1 and t.id = any ($2::%4$s[])',
    v_table, p_side || '_decision', p_side || '_notes', v_id_type
  ) using p_version_id, p_item_ids, p_decision, nullif(btrim(coalesce(p_notes, '')), '');
  get diagnostics v_count = row_count;
  return v_count;
exception
  when invalid_text_representation then
    raise exception using errcode = 'PT400', detail = 'invalid_item_id',
      message = 'An item id is not an id of this item table.';
end;
$$;
comment on function public.decide_items(uuid, text, text[], text, public.review_decision, text) is
  'Records one decision (p_side tester or report_owner; approved or rejected, with optional notes) on the chosen items (p_item_ids) of one item table of a version, in one statement as the caller: RLS, the item guard and the counters apply per item as for single decisions. Returns how many items were decided (items the caller cannot reach are left out). Errors: PT400 invalid_decision_side | no_items_chosen | item_table_not_of_phase | invalid_item_id; PT404 version_not_found; and every refusal of the item guard (e.g. PT409 tester_decision_not_in_draft, PT403 owner_decision_requires_report_owner), which leaves every item as it was.';

revoke execute on function public.decide_items(uuid, text, text[], text, public.review_decision, text) from public, anon, authenticated, service_role;
grant execute on function public.decide_items(uuid, text, text[], text, public.review_decision, text) to authenticated;
