-- The nine phases of the testing workflow and their default activities, as data: an admin can change the
-- dependency graph, the review settings and the activities in Studio. Existing cycle reports keep the phases
-- and activities they were created with.

create table public.phase_definitions (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  display_name text not null,
  phase_order integer not null unique check (phase_order > 0),
  depends_on text[] not null default '{}',
  has_artifact boolean not null default false,
  owner_item_review boolean not null default false,
  carry_forward_approved boolean not null default false,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.phase_definitions is
  'The workflow''s phases: order, the phases each depends on, and how its artifact is versioned and reviewed.';
comment on column public.phase_definitions.name is 'Stable phase name (planning, scoping, …), used by workflow_phases and item tables.';
comment on column public.phase_definitions.depends_on is 'Names of the phases that must be completed (or skipped) before this phase can start.';
comment on column public.phase_definitions.has_artifact is 'True when the phase produces a versioned artifact that needs an approved version before the phase completes.';
comment on column public.phase_definitions.owner_item_review is 'True when the report owner decides on every item of a version before approving it.';
comment on column public.phase_definitions.carry_forward_approved is 'True when a new version keeps the approved items of its parent approved (with their decisions).';

create function private.check_phase_definition()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_unknown text[];
  v_cycle boolean;
begin
  if tg_op = 'DELETE' then
    if exists (select 1 from public.phase_definitions d where old.name = any (d.depends_on) and d.name <> old.name) then
      raise exception using errcode = 'PT409', detail = 'phase_is_a_dependency',
        message = format('Phase %s cannot be removed: other phases depend on it.', old.name);
    end if;
    return old;
  end if;
  if tg_op = 'UPDATE' and new.name is distinct from old.name then
    raise exception using errcode = 'PT409', detail = 'phase_name_immutable',
      message = 'A phase''s name cannot change; add a new phase instead.';
  end if;
  if new.name = any (new.depends_on) then
    raise exception using errcode = 'PT400', detail = 'phase_depends_on_itself',
      message = format('Phase %s cannot depend on itself.', new.name);
  end if;
  select array_agg(dep) into v_unknown
    from unnest(new.depends_on) dep
   where not exists (select 1 from public.phase_definitions d where d.name = dep);
  if v_unknown is not null then
    raise exception using errcode = 'PT400', detail = 'unknown_phase_dependency',
      message = format('Phase %s depends on unknown phases: %s.', new.name, array_to_string(v_unknown, ', '));
  end if;
  -- No cycles: walk the dependencies of the new row and refuse if they lead back to it.
  with recursive deps(name) as (
    select unnest(new.depends_on)
    union
    select unnest(d.depends_on) from public.phase_definitions d join deps on d.name = deps.name where d.name <> new.name
  )
  select exists (select 1 from deps where deps.name = new.name) into v_cycle;
  if v_cycle then
    raise exception using errcode = 'PT400', detail = 'phase_dependency_cycle',
      message = format('The dependencies of phase %s would form a cycle.', new.name);
  end if;
  return new;
end;
$$;
comment on function private.check_phase_definition() is
  'Trigger: dependencies name existing phases, never the phase itself, never form a cycle; a phase others depend on is not deleted.';

create trigger check_phase_definition
  before insert or update or delete on public.phase_definitions
  for each row execute function private.check_phase_definition();
create trigger touch_updated_at before update on public.phase_definitions
  for each row execute function private.touch_updated_at();

insert into public.phase_definitions
  (name, display_name, phase_order, depends_on, has_artifact, owner_item_review, carry_forward_approved, description)
values
  ('planning', 'Planning', 1, '{}', true, false, false,
   'Attributes of the report, their data sources and PDE mappings.'),
  ('scoping', 'Scoping', 2, '{planning}', true, false, false,
   'Which attributes are in scope for testing, with the risk rationale.'),
  ('data_request', 'Data request', 3, '{scoping}', false, false, false,
   'Requests for data sent to the data owners.'),
  ('data_profiling', 'Data profiling', 4, '{data_request}', true, true, false,
   'Data-quality rules per attribute, then their execution results.'),
  ('sample_selection', 'Sample selection', 5, '{data_profiling}', true, true, true,
   'The samples to test, each with its own decision and lineage.'),
  ('request_info', 'Request for information', 6, '{sample_selection}', false, false, false,
   'Evidence requested for the selected samples.'),
  ('test_execution', 'Test execution', 7, '{request_info}', false, false, false,
   'Testing of the samples against the evidence.'),
  ('observation_mgmt', 'Observation management', 8, '{test_execution}', false, false, false,
   'Observations raised by the tests and their resolution.'),
  ('test_report', 'Test report', 9, '{observation_mgmt}', false, false, false,
   'The final test report.');

-- activity_definitions ----------------------------------------------------------------------------------
create table public.activity_definitions (
  id bigint generated always as identity primary key,
  phase_name text not null references public.phase_definitions (name) on delete cascade,
  activity_code text not null check (activity_code ~ '^[a-z][a-z0-9_]*$'),
  activity_name text not null,
  activity_order integer not null check (activity_order > 0),
  is_required boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (phase_name, activity_code),
  unique (phase_name, activity_order)
);
comment on table public.activity_definitions is
  'Default activities of each phase, copied into workflow_activities for every new cycle report.';
comment on column public.activity_definitions.is_required is 'A required activity must be completed (or skipped by an admin) before its phase can complete.';

create trigger touch_updated_at before update on public.activity_definitions
  for each row execute function private.touch_updated_at();

insert into public.activity_definitions (phase_name, activity_code, activity_name, activity_order, is_required) values
  ('planning', 'load_attributes', 'Load the report''s attributes', 1, true),
  ('planning', 'map_data_sources', 'Map attributes to data sources (PDE mappings)', 2, true),
  ('planning', 'review_attributes', 'Review the attribute list', 3, true),
  ('scoping', 'assess_risk', 'Assess the risk of each attribute', 1, true),
  ('scoping', 'decide_scope', 'Decide which attributes are in scope', 2, true),
  ('data_request', 'identify_data_owners', 'Identify the data owners', 1, true),
  ('data_request', 'send_data_requests', 'Send the data requests', 2, true),
  ('data_request', 'receive_data', 'Receive the requested data', 3, true),
  ('data_profiling', 'generate_rules', 'Generate data-quality rules', 1, true),
  ('data_profiling', 'execute_rules', 'Execute the approved rules', 2, true),
  ('data_profiling', 'review_results', 'Review the profiling results', 3, true),
  ('sample_selection', 'select_samples', 'Select the samples', 1, true),
  ('sample_selection', 'review_samples', 'Review the samples with the report owner', 2, true),
  ('request_info', 'send_requests', 'Send requests for information', 1, true),
  ('request_info', 'collect_evidence', 'Collect the evidence', 2, true),
  ('test_execution', 'execute_tests', 'Execute the tests', 1, true),
  ('test_execution', 'review_test_results', 'Review the test results', 2, true),
  ('observation_mgmt', 'record_observations', 'Record observations', 1, true),
  ('observation_mgmt', 'resolve_observations', 'Resolve observations', 2, false),
  ('test_report', 'draft_report', 'Draft the test report', 1, true),
  ('test_report', 'finalize_report', 'Finalize and sign off the test report', 2, true);

-- RLS: everyone signed in reads the definitions; admins change them -------------------------------------
alter table public.phase_definitions enable row level security;
alter table public.activity_definitions enable row level security;
revoke all on table public.phase_definitions, public.activity_definitions from anon, authenticated;
grant select, insert, update, delete on table public.phase_definitions, public.activity_definitions to authenticated;

create policy "Signed-in users can read the phase definitions"
  on public.phase_definitions for select to authenticated using (true);
create policy "Admins can add phase definitions"
  on public.phase_definitions for insert to authenticated with check ((select private.is_admin()));
create policy "Admins can update phase definitions"
  on public.phase_definitions for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can delete phase definitions"
  on public.phase_definitions for delete to authenticated using ((select private.is_admin()));

create policy "Signed-in users can read the activity definitions"
  on public.activity_definitions for select to authenticated using (true);
create policy "Admins can add activity definitions"
  on public.activity_definitions for insert to authenticated with check ((select private.is_admin()));
create policy "Admins can update activity definitions"
  on public.activity_definitions for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can delete activity definitions"
  on public.activity_definitions for delete to authenticated using ((select private.is_admin()));

select private.attach_audit('public.phase_definitions');
select private.attach_audit('public.activity_definitions');
