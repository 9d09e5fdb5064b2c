-- Workflow phases and activities: one row per phase (and per activity) of every cycle report, created by a
-- trigger when a report is added to a cycle. Transitions (start, complete) come in 20261122010000.

create type public.phase_status as enum ('not_started', 'in_progress', 'completed', 'skipped');
comment on type public.phase_status is 'Status of a workflow phase.';
create type public.activity_status as enum ('not_started', 'in_progress', 'completed', 'skipped');
comment on type public.activity_status is 'Status of a workflow activity.';
create type public.risk_level as enum ('low', 'medium', 'high');
comment on type public.risk_level is 'Risk level of a phase.';

create table public.workflow_phases (
  id bigint generated always as identity primary key,
  cycle_report_id bigint not null references public.cycle_reports (id) on delete cascade,
  phase_name text not null references public.phase_definitions (name),
  phase_order integer not null,
  status public.phase_status not null default 'not_started',
  started_at timestamptz,
  started_by uuid references public.profiles (id),
  completed_at timestamptz,
  completed_by uuid references public.profiles (id),
  risk_level public.risk_level,
  phase_metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (cycle_report_id, phase_name)
);
comment on table public.workflow_phases is
  'One row per cycle report and phase (created by trigger). A phase starts when the phases it depends on are completed and completes when its required activities are done and its artifact (if any) has an approved version.';
comment on column public.workflow_phases.phase_order is 'Copied from phase_definitions when the cycle report is created.';
comment on column public.workflow_phases.status is 'not_started → in_progress → completed; not_started → skipped (admins). Changed through start_phase / complete_phase.';
comment on column public.workflow_phases.started_by is 'Who started the phase (stamped from auth.uid()).';
comment on column public.workflow_phases.completed_by is 'Who completed or skipped the phase (stamped from auth.uid()).';
comment on column public.workflow_phases.phase_metadata is 'Phase-specific data.';

create table public.workflow_activities (
  id bigint generated always as identity primary key,
  phase_id bigint not null references public.workflow_phases (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id) on delete cascade,
  activity_code text not null,
  activity_name text not null,
  activity_order integer not null,
  is_required boolean not null default true,
  status public.activity_status not null default 'not_started',
  started_at timestamptz,
  started_by uuid references public.profiles (id),
  completed_at timestamptz,
  completed_by uuid references public.profiles (id),
  notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (phase_id, activity_code)
);
comment on table public.workflow_activities is
  'Granular steps inside a workflow phase (copied from activity_definitions). Changed through start_activity / complete_activity / skip_activity while the phase is in progress.';
comment on column public.workflow_activities.cycle_report_id is 'The phase''s cycle report (set by trigger), for row-level security.';
create index workflow_activities_cycle_report_id_idx on public.workflow_activities (cycle_report_id);

create trigger touch_updated_at before update on public.workflow_phases
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.workflow_activities
  for each row execute function private.touch_updated_at();

-- Phases and activities for every new cycle report -----------------------------------------------------
create function private.create_workflow()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.workflow_phases (cycle_report_id, phase_name, phase_order)
  select new.id, d.name, d.phase_order from public.phase_definitions d order by d.phase_order;

  insert into public.workflow_activities
    (phase_id, cycle_report_id, activity_code, activity_name, activity_order, is_required)
  select p.id, new.id, a.activity_code, a.activity_name, a.activity_order, a.is_required
    from public.workflow_phases p
    join public.activity_definitions a on a.phase_name = p.phase_name
   where p.cycle_report_id = new.id
   order by p.phase_order, a.activity_order;
  return null;
end;
$$;
comment on function private.create_workflow() is
  'Trigger on cycle_reports: creates its workflow phases and activities from phase_definitions and activity_definitions.';

create trigger create_workflow
  after insert on public.cycle_reports
  for each row execute function private.create_workflow();

-- RLS ---------------------------------------------------------------------------------------------------
alter table public.workflow_phases enable row level security;
alter table public.workflow_activities enable row level security;
revoke all on table public.workflow_phases, public.workflow_activities from anon, authenticated;
grant select on table public.workflow_phases, public.workflow_activities to authenticated;
-- Status columns change only through the RPCs; these columns are plain edits.
grant update (risk_level, phase_metadata) on table public.workflow_phases to authenticated;
grant update (notes) on table public.workflow_activities to authenticated;

create policy "Assigned testers, owners and admins can read workflow phases"
  on public.workflow_phases for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));
create policy "Assigned testers and admins can update a phase's risk and data"
  on public.workflow_phases for update to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()))
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));

create policy "Assigned testers, owners and admins can read activities"
  on public.workflow_activities for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));
create policy "Assigned testers and admins can update an activity's notes"
  on public.workflow_activities for update to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()))
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));

select private.attach_audit('public.workflow_phases');
select private.attach_audit('public.workflow_activities');
