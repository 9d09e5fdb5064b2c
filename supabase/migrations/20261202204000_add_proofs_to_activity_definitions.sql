-- What proves an activity is data: activity_definitions.proof names the record that shows the activity done
-- (items in the phase's current version, every item decided, the version submitted, the version approved). The
-- next migration makes such activities complete themselves; an activity without a proof stays a manual step.
-- Cycle reports keep the activities they were created with, so workflow_activities carries the proof too.
-- Redefines private.create_workflow (from 20261122006000_create_workflow_phases).

create type public.activity_proof as enum ('items_exist', 'items_decided', 'version_submitted', 'version_approved');
comment on type public.activity_proof is
  'What proves an activity done, read from the phase''s current (latest) version: items_exist (it has items; in proof_item_table when set), items_decided (every item has a tester decision, and a report-owner decision where the phase has owner item review), version_submitted (awaiting approval or approved), version_approved.';

alter table public.activity_definitions
  add column proof public.activity_proof,
  add column proof_item_table regclass,
  add constraint activity_definitions_proof_item_table_check check (proof_item_table is null or proof = 'items_exist');
comment on column public.activity_definitions.proof is
  'What record proves the activity done (activity_proof), or null for a manual step. A proven activity completes itself and cannot be ticked by hand, once the phase''s item tables exist (phase_definitions.item_tables); until then it stays manual.';
comment on column public.activity_definitions.proof_item_table is
  'With proof items_exist: the one item table of the phase that must hold items (e.g. PDE mappings); null for any of them.';

alter table public.workflow_activities
  add column proof public.activity_proof,
  add column proof_item_table regclass;
comment on column public.workflow_activities.proof is 'Copied from activity_definitions.proof when the cycle report is created.';
comment on column public.workflow_activities.proof_item_table is 'Copied from activity_definitions.proof_item_table when the cycle report is created.';

update public.activity_definitions d
   set proof = p.proof::public.activity_proof, proof_item_table = p.proof_item_table::regclass
  from (values
    ('planning', 'load_attributes', 'items_exist', 'public.planning_attributes'),
    ('planning', 'map_data_sources', 'items_exist', 'public.planning_pde_mappings'),
    ('planning', 'review_attributes', 'items_decided', null),
    ('scoping', 'decide_scope', 'items_decided', null),
    ('data_profiling', 'generate_rules', 'items_exist', null),
    ('sample_selection', 'select_samples', 'items_exist', null),
    ('sample_selection', 'review_samples', 'version_approved', null)
  ) as p(phase_name, activity_code, proof, proof_item_table)
 where d.phase_name = p.phase_name and d.activity_code = p.activity_code;

update public.workflow_activities a
   set proof = d.proof, proof_item_table = d.proof_item_table
  from public.workflow_phases p
  join public.activity_definitions d on d.phase_name = p.phase_name
 where p.id = a.phase_id and d.activity_code = a.activity_code and d.proof is not null;

create or replace function private.create_workflow()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.workflow_phases (cycle_report_id, phase_name, phase_order)
  select new.id, d.name, d.phase_order from public.phase_definitions d order by d.phase_order;

  insert into public.workflow_activities
    (phase_id, cycle_report_id, activity_code, activity_name, activity_order, is_required, proof, proof_item_table)
  select p.id, new.id, a.activity_code, a.activity_name, a.activity_order, a.is_required, a.proof, a.proof_item_table
    from public.workflow_phases p
    join public.activity_definitions a on a.phase_name = p.phase_name
   where p.cycle_report_id = new.id
   order by p.phase_order, a.activity_order;
  return null;
end;
$$;
comment on function private.create_workflow() is
  'Trigger on cycle_reports: creates its workflow phases and activities (with their proofs) from phase_definitions and activity_definitions.';
