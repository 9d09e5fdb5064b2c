-- Phase behaviour as data: what a phase's versions are based on, which item tables they hold (in copy
-- order) and which background jobs work on them, beside owner_item_review and carry_forward_approved.
--
-- Before: set_version_basis said "a data_profiling version is based on the approved planning version" in
-- code, so every phase built on an earlier one would restate it; the item tables of a phase were visible
-- only in private.versioned_item_tables. Now:
-- - basis_phase names the phase whose approved version a new version of this phase is built from
--   (data_profiling: planning); set_version_basis reads it, for any phase;
-- - item_tables lists the phase's item tables in the order a new version copies them. It is kept by the
--   database from private.attach_versioned_items (through private.versioned_item_tables, which keeps the
--   copy order numbers) and cannot be edited by hand; the copy, the item guard and the re-pointing of
--   references read it;
-- - job_types names the background job types that work on the phase's versions.

alter table public.phase_definitions
  add column basis_phase text references public.phase_definitions (name),
  add column item_tables regclass[] not null default '{}',
  add column job_types text[] not null default '{}',
  add constraint phase_definitions_basis_phase_check check (basis_phase <> name);
comment on column public.phase_definitions.basis_phase is
  'The phase whose approved version a new version of this phase is built from (artifact_versions.based_on_version_id), or null. A new version is refused while that phase has no approved version (PT409 approved_<phase>_version_required).';
comment on column public.phase_definitions.item_tables is
  'The item tables of the phase''s versions, in the order a new version copies them (referenced tables first). Kept by the database: private.attach_versioned_items registers a table; not edited by hand (PT409 phase_item_tables_managed).';
comment on column public.phase_definitions.job_types is
  'The background job types (background_jobs.job_type) that work on the phase''s versions, e.g. generation of proposals or execution of rules.';

create index phase_definitions_basis_phase_idx on public.phase_definitions (basis_phase);

-- item_tables follows the registry -------------------------------------------------------------------------
create function private.sync_phase_item_tables()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.phase_definitions d
     set item_tables = coalesce((select array_agg(t.table_name order by t.copy_order, t.table_name::text)
                                   from private.versioned_item_tables t where t.phase_name = d.name), '{}')
   where d.name in (new.phase_name, old.phase_name); -- old is null on insert, new on delete
  return null;
end;
$$;
comment on function private.sync_phase_item_tables() is
  'Trigger on private.versioned_item_tables: phase_definitions.item_tables lists the registered item tables of each phase, in copy order.';

create trigger sync_phase_item_tables
  after insert or update or delete on private.versioned_item_tables
  for each row execute function private.sync_phase_item_tables();

create function private.keep_phase_item_tables()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Only the registry's trigger writes the list (it runs at trigger depth 2; a statement at depth 1).
  if new.item_tables is distinct from (case when tg_op = 'UPDATE' then old.item_tables else '{}'::regclass[] end)
     and pg_catalog.pg_trigger_depth() = 1 then
    raise exception using errcode = 'PT409', detail = 'phase_item_tables_managed',
      message = 'A phase''s item tables are registered by private.attach_versioned_items, not edited by hand.';
  end if;
  return new;
end;
$$;
comment on function private.keep_phase_item_tables() is
  'Trigger on phase_definitions: item_tables is written only by the item-table registry (PT409 phase_item_tables_managed).';

create trigger keep_phase_item_tables
  before insert or update of item_tables on public.phase_definitions
  for each row execute function private.keep_phase_item_tables();

-- The data as the code had it ---------------------------------------------------------------------------
update private.versioned_item_tables set copy_order = copy_order; -- fills item_tables through the trigger
update public.phase_definitions set basis_phase = 'planning' where name = 'data_profiling';
update public.phase_definitions set job_types = '{generation.planning_attributes}' where name = 'planning';
update public.phase_definitions set job_types = '{generation.profiling_rules,profiling.execute}' where name = 'data_profiling';

-- set_version_basis reads basis_phase ------------------------------------------------------------------------
create or replace function private.set_version_basis()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phase public.phase_definitions;
  v_basis public.phase_definitions;
begin
  if tg_op = 'UPDATE' then
    if new.based_on_version_id is distinct from old.based_on_version_id then
      raise exception using errcode = 'PT409', detail = 'version_column_immutable',
        message = 'The version a version is built from cannot change.';
    end if;
    return new;
  end if;

  select * into v_phase from public.phase_definitions d where d.name = new.phase_name;
  select * into v_basis from public.phase_definitions d where d.name = v_phase.basis_phase;
  if v_basis.name is null then
    new.based_on_version_id := null;
    return new;
  end if;
  -- Phases that are completed never reopen, so the approval a new version sees is final.
  select v.id into new.based_on_version_id
    from public.artifact_versions v
   where v.cycle_report_id = new.cycle_report_id and v.phase_name = v_basis.name and v.version_status = 'approved';
  if new.based_on_version_id is null then
    raise exception using errcode = 'PT409', detail = format('approved_%s_version_required', v_basis.name),
      message = format('%s versions are built from the approved %s version, and this cycle report has none.',
        v_phase.display_name, lower(v_basis.display_name)),
      hint = format('Get the %s version approved first.', lower(v_basis.display_name));
  end if;
  return new;
end;
$$;
comment on function private.set_version_basis() is
  'Trigger: a version of a phase with a basis_phase (phase_definitions) is based on the approved version of that phase in its cycle report (PT409 approved_<basis phase>_version_required when there is none, e.g. approved_planning_version_required for data profiling); the reference never changes (PT409 version_column_immutable).';

revoke execute on function private.sync_phase_item_tables() from public;
revoke execute on function private.keep_phase_item_tables() from public;
