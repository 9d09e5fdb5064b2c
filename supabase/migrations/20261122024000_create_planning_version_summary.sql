-- The planning summary of each planning version: data sources, attributes (total, approved, primary key, CDE,
-- mandatory) and PDE mappings (total, approved, auto-approved). Kept by row triggers applying each item's
-- delta, so one decision costs one small update whatever the version's size. A table of its own rather than
-- keys in artifact_versions.summary: testers may edit that summary, and every counter change would be audited.

create table public.planning_version_summaries (
  version_id uuid primary key references public.artifact_versions (id) on delete cascade,
  data_sources integer not null default 0 check (data_sources >= 0),
  total_attributes integer not null default 0 check (total_attributes >= 0),
  approved_attributes integer not null default 0 check (approved_attributes >= 0),
  pk_attributes integer not null default 0 check (pk_attributes >= 0),
  cde_attributes integer not null default 0 check (cde_attributes >= 0),
  mandatory_attributes integer not null default 0 check (mandatory_attributes >= 0),
  total_mappings integer not null default 0 check (total_mappings >= 0),
  approved_mappings integer not null default 0 check (approved_mappings >= 0),
  auto_approved_mappings integer not null default 0 check (auto_approved_mappings >= 0)
);
comment on table public.planning_version_summaries is
  'Counters of a planning version (one row per planning version, created with it): data sources, attributes (total, approved, primary key, CDE, mandatory) and PDE mappings (total, approved, auto-approved). Maintained incrementally by the item triggers; nobody sets them. Embed from artifact_versions: select=*,planning_version_summaries(*).';

insert into public.planning_version_summaries (version_id)
select v.id from public.artifact_versions v where v.phase_name = 'planning';

alter table public.planning_version_summaries enable row level security;
revoke all on table public.planning_version_summaries from anon, authenticated;
grant select on table public.planning_version_summaries to authenticated;
create policy "Assigned testers, owners and admins can read planning summaries"
  on public.planning_version_summaries for select to authenticated
  using (version_id in (select private.readable_version_ids()));

select private.attach_audit('public.planning_version_summaries', array['data_sources', 'total_attributes',
  'approved_attributes', 'pk_attributes', 'cde_attributes', 'mandatory_attributes', 'total_mappings',
  'approved_mappings', 'auto_approved_mappings']);

create function private.guard_planning_version_summary()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_trigger_depth() > 1 then
    return case when tg_op = 'DELETE' then old else new end; -- the engine's own triggers and cascades
  end if;
  raise exception using errcode = 'PT409', detail = 'version_counters_derived',
    message = 'A planning version''s counters are maintained by the database and cannot be set.';
end;
$$;
comment on function private.guard_planning_version_summary() is
  'Trigger: planning summaries are written only by the engine''s triggers (PT409 version_counters_derived on direct writes, Studio included).';

create trigger guard_planning_version_summary
  before insert or update or delete on public.planning_version_summaries
  for each row execute function private.guard_planning_version_summary();
create trigger refuse_truncate before truncate on public.planning_version_summaries
  for each statement execute function private.refuse_truncate();

-- Every planning version has its row before its items are copied (after triggers fire by name).
create function private.add_planning_version_summary()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.planning_version_summaries (version_id) values (new.id);
  return null;
end;
$$;
comment on function private.add_planning_version_summary() is 'Trigger: creates the (zero) summary of a new planning version.';

create trigger add_planning_version_summary
  after insert on public.artifact_versions
  for each row when (new.phase_name = 'planning')
  execute function private.add_planning_version_summary();

-- Items: each change adds its row's contribution and takes away the old one -----------------------------------
create function private.count_planning_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old integer[] := array[0, 0, 0, 0, 0, 0, 0, 0, 0];
  v_new integer[] := array[0, 0, 0, 0, 0, 0, 0, 0, 0];
  d integer[];
begin
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
comment on function private.count_planning_item() is
  'Trigger on the planning item tables: applies the row''s change to its version''s summary counters (O(1) per change; no recount).';

create function private.planning_item_contribution(p_table text, p_row jsonb)
returns integer[]
language sql
immutable
set search_path = ''
as $$
  -- data_sources, total/approved/pk/cde/mandatory attributes, total/approved/auto-approved mappings
  select case p_table
    when 'planning_data_sources' then array[1, 0, 0, 0, 0, 0, 0, 0, 0]
    when 'planning_attributes' then array[0, 1, (p_row ->> 'item_status' = 'approved')::integer,
      (p_row ->> 'is_primary_key')::boolean::integer, (p_row ->> 'is_cde')::boolean::integer,
      (p_row ->> 'is_mandatory')::boolean::integer, 0, 0, 0]
    when 'planning_pde_mappings' then array[0, 0, 0, 0, 0, 0, 1, (p_row ->> 'item_status' = 'approved')::integer,
      (p_row ->> 'auto_approved')::boolean::integer]
  end
$$;
comment on function private.planning_item_contribution(text, jsonb) is
  'What one planning item row counts for in its version''s summary, in the order of planning_version_summaries'' counters.';

create trigger count_planning_item after insert or update or delete on public.planning_data_sources
  for each row execute function private.count_planning_item();
create trigger count_planning_item after insert or update or delete on public.planning_attributes
  for each row execute function private.count_planning_item();
create trigger count_planning_item after insert or update or delete on public.planning_pde_mappings
  for each row execute function private.count_planning_item();

revoke execute on function private.guard_planning_version_summary(), private.add_planning_version_summary(),
  private.count_planning_item(), private.planning_item_contribution(text, jsonb) from public;
