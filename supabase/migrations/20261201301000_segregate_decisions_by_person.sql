-- Segregation of duties by person, at item and at version level, whatever the roles say.
--
-- Before: the decision columns checked only the caller's current role and assignment, so someone whose role
-- changed could record the tester decision and then the owner decision on the same items, and approve a version
-- whose items they had decided as its tester (only the submitter was kept from approving).
-- Now:
--   - private.item_tester_deciders remembers everyone who ever recorded a tester decision on an item (also
--     decisions since replaced, and decisions carried into a new version), for each version;
--   - recording an owner decision on an item whose tester decision you recorded is refused (PT403
--     owner_decision_by_item_tester), and so is recording a tester decision on an item that carries your owner
--     decision (PT403 tester_decision_by_item_owner);
--   - approving a version in which you recorded tester decisions is refused (PT403
--     approver_made_tester_decisions).
-- An admin may still do both sides (the product's exception, as for approving their own submission); each time
-- they do, a row of public.duty_segregation_overrides records who overrode which rule where.
-- The checks are their own triggers, attached to every current item table here and to every later one by a
-- trigger on private.versioned_item_tables (attach_versioned_items registers each table there).

-- Who decided as tester ----------------------------------------------------------------------------------------
create table private.item_tester_deciders (
  item_table regclass not null,
  item_id text not null,
  version_id uuid not null references public.artifact_versions (id) on delete cascade,
  decider_id uuid not null,
  first_decided_at timestamptz not null default now(),
  primary key (item_table, item_id, decider_id)
);
comment on table private.item_tester_deciders is
  'Everyone who recorded (or had carried) a tester decision on an item, per version: the memory behind segregation of duties, which a later decision by someone else does not erase.';
create index item_tester_deciders_version_idx on private.item_tester_deciders (version_id, decider_id);
alter table private.item_tester_deciders enable row level security;
revoke all on table private.item_tester_deciders from public, anon, authenticated, service_role;

-- Admin overrides ------------------------------------------------------------------------------------------------
create table public.duty_segregation_overrides (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  actor_id uuid not null references public.profiles (id),
  rule text not null check (rule in ('owner_decision_by_item_tester', 'tester_decision_by_item_owner',
    'approver_made_tester_decisions')),
  cycle_report_id bigint not null references public.cycle_reports (id),
  version_id uuid references public.artifact_versions (id) on delete set null,
  item_table text,
  item_id text
);
comment on table public.duty_segregation_overrides is
  'Each time an admin did both sides of a segregated duty (recorded the tester and the owner decision on one item, or approved a version in which they recorded tester decisions), written by the checks themselves. Append-only.';
comment on column public.duty_segregation_overrides.rule is
  'The rule the admin overrode: owner_decision_by_item_tester | tester_decision_by_item_owner | approver_made_tester_decisions (the reasons others are refused with).';
comment on column public.duty_segregation_overrides.item_table is 'The item''s table, for item-level overrides; null for an approval.';
comment on column public.duty_segregation_overrides.item_id is 'The item''s id as text, for item-level overrides.';
create index duty_segregation_overrides_cycle_report_idx on public.duty_segregation_overrides (cycle_report_id);
create index duty_segregation_overrides_version_idx on public.duty_segregation_overrides (version_id);

create function private.refuse_duty_override_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'PT403', detail = 'duty_overrides_immutable',
    message = 'The record of segregation-of-duties overrides cannot be changed or deleted.';
end;
$$;
comment on function private.refuse_duty_override_change() is 'Trigger: duty_segregation_overrides is append-only.';

create trigger refuse_duty_override_change
  before update or delete on public.duty_segregation_overrides
  for each row execute function private.refuse_duty_override_change();
create trigger refuse_duty_override_truncate
  before truncate on public.duty_segregation_overrides
  for each statement execute function private.refuse_duty_override_change();

alter table public.duty_segregation_overrides enable row level security;
revoke all on table public.duty_segregation_overrides from anon, authenticated, service_role;
grant select on table public.duty_segregation_overrides to authenticated, service_role;
create policy "Readers of a cycle report can read its duty overrides"
  on public.duty_segregation_overrides for select to authenticated
  using ((select private.is_admin()) or cycle_report_id in (select private.readable_cycle_report_ids()));

-- The checks ------------------------------------------------------------------------------------------------------
create function private.override_or_refuse_duty(p_rule text, p_message text, p_cycle_report_id bigint,
  p_version_id uuid, p_item_table regclass default null, p_item_id text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception using errcode = 'PT403', detail = p_rule, message = p_message,
      hint = 'Segregation of duties: someone else must do this.';
  end if;
  insert into public.duty_segregation_overrides (actor_id, rule, cycle_report_id, version_id, item_table, item_id)
  values (auth.uid(), p_rule, p_cycle_report_id, p_version_id, p_item_table::text, p_item_id);
end;
$$;
comment on function private.override_or_refuse_duty(text, text, bigint, uuid, regclass, text) is
  'Refuses a breach of segregation of duties with PT403 and the rule as reason, unless the caller is an admin: then records the override in duty_segregation_overrides.';

create function private.segregate_item_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint;
begin
  -- After guard_versioned_item (triggers fire by name): the stamps say who records each decision now.
  if new.report_owner_decided_by is not null
     and (new.report_owner_decision, new.report_owner_notes) is distinct from (old.report_owner_decision, old.report_owner_notes)
     and (new.report_owner_decided_by = new.tester_decided_by
          or exists (select 1 from private.item_tester_deciders d
                      where d.item_table = tg_relid and d.item_id = new.id::text and d.decider_id = new.report_owner_decided_by)) then
    select v.cycle_report_id into v_cycle_report_id from public.artifact_versions v where v.id = new.version_id;
    perform private.override_or_refuse_duty('owner_decision_by_item_tester',
      'You recorded the tester decision on this item, so someone else records the owner decision.',
      v_cycle_report_id, new.version_id, tg_relid, new.id::text);
  end if;
  if new.tester_decided_by is not null
     and (new.tester_decision, new.tester_notes) is distinct from (old.tester_decision, old.tester_notes)
     and new.tester_decided_by = new.report_owner_decided_by then
    select v.cycle_report_id into v_cycle_report_id from public.artifact_versions v where v.id = new.version_id;
    perform private.override_or_refuse_duty('tester_decision_by_item_owner',
      'You recorded the owner decision this item carries, so someone else records its tester decision.',
      v_cycle_report_id, new.version_id, tg_relid, new.id::text);
  end if;
  return new;
end;
$$;
comment on function private.segregate_item_decisions() is
  'Trigger (before update, after guard_versioned_item) on every versioned item table: nobody records both the tester and the owner decision on one item (PT403 owner_decision_by_item_tester, tester_decision_by_item_owner), counting every tester decision ever recorded on it; admins are recorded in duty_segregation_overrides instead.';

create function private.record_tester_decider()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.item_tester_deciders (item_table, item_id, version_id, decider_id)
  values (tg_relid, new.id::text, new.version_id, new.tester_decided_by)
  on conflict do nothing;
  return null;
end;
$$;
comment on function private.record_tester_decider() is
  'Trigger (after insert or update of a tester decision) on every versioned item table: remembers who decided, in item_tester_deciders.';

create function private.segregate_version_approval()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_trigger_depth() = 1 and old.version_status = 'pending_approval' and new.version_status = 'approved'
     and exists (select 1 from private.item_tester_deciders d where d.version_id = old.id and d.decider_id = auth.uid()) then
    perform private.override_or_refuse_duty('approver_made_tester_decisions',
      'You recorded tester decisions in this version, so someone else must approve it.', old.cycle_report_id, old.id);
  end if;
  return new;
end;
$$;
comment on function private.segregate_version_approval() is
  'Trigger (before update, after version_before_update) on artifact_versions: the approver recorded no tester decision in the version (PT403 approver_made_tester_decisions); an admin''s approval is recorded in duty_segregation_overrides instead.';

-- Named to fire after version_before_update, which refuses illegal transitions first.
create trigger version_segregation_of_duties
  before update of version_status on public.artifact_versions
  for each row execute function private.segregate_version_approval();

-- Attaching -------------------------------------------------------------------------------------------------------
create function private.attach_segregation_of_duties(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format('create trigger segregate_item_decisions before update on %s for each row execute function private.segregate_item_decisions()', p_table);
  execute format('create trigger record_tester_decider_on_insert after insert on %s for each row when (new.tester_decided_by is not null) execute function private.record_tester_decider()', p_table);
  execute format('create trigger record_tester_decider_on_update after update on %s for each row when (new.tester_decided_by is not null and new.tester_decided_by is distinct from old.tester_decided_by) execute function private.record_tester_decider()', p_table);
  execute format('insert into private.item_tester_deciders (item_table, item_id, version_id, decider_id)
    select %L::regclass, t.id::text, t.version_id, t.tester_decided_by from %s t where t.tester_decided_by is not null
    on conflict do nothing', p_table, p_table);
end;
$$;
comment on function private.attach_segregation_of_duties(regclass) is
  'Installs the segregation-of-duties triggers on a versioned item table and records its current tester deciders. Run for every table registered in private.versioned_item_tables.';

create function private.attach_segregation_on_register()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.attach_segregation_of_duties(new.table_name);
  return null;
end;
$$;
comment on function private.attach_segregation_on_register() is
  'Trigger on private.versioned_item_tables: a table attached to the version lifecycle gets the segregation-of-duties triggers too.';

create trigger attach_segregation_on_register
  after insert on private.versioned_item_tables
  for each row execute function private.attach_segregation_on_register();

select private.attach_segregation_of_duties(t.table_name) from private.versioned_item_tables t;

revoke execute on function private.refuse_duty_override_change(), private.override_or_refuse_duty(text, text, bigint, uuid, regclass, text),
  private.segregate_item_decisions(), private.record_tester_decider(), private.segregate_version_approval(),
  private.attach_segregation_of_duties(regclass), private.attach_segregation_on_register() from public;
