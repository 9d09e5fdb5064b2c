-- The work: regulatory reports, test cycles, the reports inside each cycle (cycle_reports) and which testers
-- are assigned to each. Together they decide who may see and do what, so they share one migration with the
-- access helpers every later policy uses.

create type public.cycle_status as enum ('planned', 'active', 'closed');
comment on type public.cycle_status is 'Status of a test cycle.';
create type public.cycle_report_status as enum ('not_started', 'in_progress', 'completed');
comment on type public.cycle_report_status is 'Status of a report within a cycle, derived from its phases.';

-- reports -----------------------------------------------------------------------------------------------
create table public.reports (
  id bigint generated always as identity primary key,
  name text not null unique check (btrim(name) <> ''),
  regulation text not null,
  description text,
  owner_id uuid not null references public.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.reports is 'A regulatory report (e.g. FR Y-9C) and its owner, who reviews and approves the testing work on it.';
comment on column public.reports.regulation is 'The regulation or form the report answers to.';
comment on column public.reports.owner_id is 'The report owner (a profile with app_role report_owner or admin).';
create index reports_owner_id_idx on public.reports (owner_id);

-- test_cycles -------------------------------------------------------------------------------------------
create table public.test_cycles (
  id bigint generated always as identity primary key,
  name text not null unique check (btrim(name) <> ''),
  period_start date not null,
  period_end date not null,
  status public.cycle_status not null default 'planned',
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint test_cycles_period_check check (period_end >= period_start)
);
comment on table public.test_cycles is 'A testing cycle (quarter, year) in which reports are tested.';
comment on column public.test_cycles.period_start is 'First day of the reporting period under test.';
comment on column public.test_cycles.period_end is 'Last day of the reporting period under test.';

-- cycle_reports -----------------------------------------------------------------------------------------
create table public.cycle_reports (
  id bigint generated always as identity primary key,
  cycle_id bigint not null references public.test_cycles (id),
  report_id bigint not null references public.reports (id),
  status public.cycle_report_status not null default 'not_started',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (cycle_id, report_id)
);
comment on table public.cycle_reports is
  'One report inside one test cycle: the unit of work. Its nine workflow phases are created by trigger.';
comment on column public.cycle_reports.status is 'Derived from the phases: in_progress once a phase starts, completed when every phase is completed or skipped.';
create index cycle_reports_report_id_idx on public.cycle_reports (report_id);

-- cycle_report_testers ----------------------------------------------------------------------------------
create table public.cycle_report_testers (
  cycle_report_id bigint not null references public.cycle_reports (id) on delete cascade,
  tester_id uuid not null references public.profiles (id) on delete cascade,
  assigned_at timestamptz not null default now(),
  assigned_by uuid references public.profiles (id) default auth.uid(),
  primary key (cycle_report_id, tester_id)
);
comment on table public.cycle_report_testers is 'Assignments: the testers who work on a cycle report (several per cycle report).';
create index cycle_report_testers_tester_id_idx on public.cycle_report_testers (tester_id);

-- Role checks on owners and testers ---------------------------------------------------------------------
create function private.check_report_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.profiles p where p.id = new.owner_id and p.app_role in ('report_owner', 'admin')) then
    raise exception using errcode = 'PT409', detail = 'owner_not_report_owner',
      message = 'A report''s owner must be a user with the report owner (or admin) role.';
  end if;
  return new;
end;
$$;
comment on function private.check_report_owner() is 'Trigger: a report''s owner must have app_role report_owner or admin.';

create trigger check_report_owner
  before insert or update of owner_id on public.reports
  for each row execute function private.check_report_owner();

create function private.check_assigned_tester()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.profiles p where p.id = new.tester_id and p.app_role = 'tester') then
    raise exception using errcode = 'PT409', detail = 'assignee_not_tester',
      message = 'Only users with the tester role can be assigned to a cycle report.';
  end if;
  return new;
end;
$$;
comment on function private.check_assigned_tester() is 'Trigger: only testers are assigned to cycle reports.';

create trigger check_assigned_tester
  before insert or update on public.cycle_report_testers
  for each row execute function private.check_assigned_tester();

create trigger touch_updated_at before update on public.reports
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.test_cycles
  for each row execute function private.touch_updated_at();
create trigger touch_updated_at before update on public.cycle_reports
  for each row execute function private.touch_updated_at();

-- Access helpers (used by the policies of every workflow table) -----------------------------------------
create function private.is_assigned_tester(p_cycle_report_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.cycle_report_testers t
     where t.cycle_report_id = p_cycle_report_id and t.tester_id = auth.uid()
  )
$$;
comment on function private.is_assigned_tester(bigint) is 'True when the signed-in user is assigned as a tester to the cycle report.';

create function private.is_report_owner_of(p_cycle_report_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.cycle_reports cr join public.reports r on r.id = cr.report_id
     where cr.id = p_cycle_report_id and r.owner_id = auth.uid()
  )
$$;
comment on function private.is_report_owner_of(bigint) is 'True when the signed-in user owns the report of the cycle report.';

create function private.can_work_on_cycle_report(p_cycle_report_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_privileged() or private.is_assigned_tester(p_cycle_report_id)
$$;
comment on function private.can_work_on_cycle_report(bigint) is
  'True when the caller may do a tester''s work on the cycle report: an assigned tester, an admin, the service_role or a database operator.';

create function private.can_review_cycle_report(p_cycle_report_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_privileged() or private.is_report_owner_of(p_cycle_report_id)
$$;
comment on function private.can_review_cycle_report(bigint) is
  'True when the caller may do a report owner''s work on the cycle report: its report''s owner, an admin, the service_role or a database operator.';

create function private.can_read_cycle_report(p_cycle_report_id bigint)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.can_work_on_cycle_report(p_cycle_report_id) or private.is_report_owner_of(p_cycle_report_id)
$$;
comment on function private.can_read_cycle_report(bigint) is 'True when the caller may read the cycle report and everything in it.';

create function private.readable_cycle_report_ids()
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select cr.id from public.cycle_reports cr where private.is_admin()
  union
  select t.cycle_report_id from public.cycle_report_testers t where t.tester_id = auth.uid()
  union
  select cr.id from public.cycle_reports cr join public.reports r on r.id = cr.report_id where r.owner_id = auth.uid()
$$;
comment on function private.readable_cycle_report_ids() is
  'Ids of the cycle reports the signed-in user may read (assigned tester, owner of the report, or admin: all). Used by policies as `x in (select …)` so it runs once per statement.';

create function private.workable_cycle_report_ids()
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select cr.id from public.cycle_reports cr where private.is_admin()
  union
  select t.cycle_report_id from public.cycle_report_testers t where t.tester_id = auth.uid()
$$;
comment on function private.workable_cycle_report_ids() is
  'Ids of the cycle reports on which the signed-in user may do a tester''s work (assigned tester, or admin: all).';

create function private.reviewable_cycle_report_ids()
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select cr.id from public.cycle_reports cr where private.is_admin()
  union
  select cr.id from public.cycle_reports cr join public.reports r on r.id = cr.report_id where r.owner_id = auth.uid()
$$;
comment on function private.reviewable_cycle_report_ids() is
  'Ids of the cycle reports on which the signed-in user may do a report owner''s work (owner of the report, or admin: all).';

create function private.teammate_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select t.tester_id from public.cycle_report_testers t
   where t.cycle_report_id in (select private.readable_cycle_report_ids())
  union
  select r.owner_id from public.cycle_reports cr join public.reports r on r.id = cr.report_id
   where cr.id in (select private.readable_cycle_report_ids())
  union
  select r.owner_id from public.reports r where r.owner_id = auth.uid()
$$;
comment on function private.teammate_ids() is
  'Profiles the signed-in user works with: the testers and owners of the cycle reports they can read.';

grant execute on function private.is_assigned_tester(bigint), private.is_report_owner_of(bigint),
  private.can_work_on_cycle_report(bigint), private.can_review_cycle_report(bigint),
  private.can_read_cycle_report(bigint), private.readable_cycle_report_ids(), private.workable_cycle_report_ids(),
  private.reviewable_cycle_report_ids(), private.teammate_ids()
  to authenticated, service_role;

-- RLS ---------------------------------------------------------------------------------------------------
alter table public.reports enable row level security;
alter table public.test_cycles enable row level security;
alter table public.cycle_reports enable row level security;
alter table public.cycle_report_testers enable row level security;

revoke all on table public.reports, public.test_cycles, public.cycle_reports, public.cycle_report_testers
  from anon, authenticated;
grant select, insert, update, delete on table public.reports, public.test_cycles, public.cycle_reports,
  public.cycle_report_testers to authenticated;

-- reports
create policy "Owners, their reports' testers and admins can read reports"
  on public.reports for select to authenticated
  using (
    (select private.is_admin())
    or owner_id = (select auth.uid())
    or id in (select cr.report_id from public.cycle_reports cr where cr.id in (select private.readable_cycle_report_ids()))
  );
create policy "Admins can create reports"
  on public.reports for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins can update reports"
  on public.reports for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can delete reports"
  on public.reports for delete to authenticated
  using ((select private.is_admin()));

-- test_cycles
create policy "Users can read the cycles they work in and admins all cycles"
  on public.test_cycles for select to authenticated
  using (
    (select private.is_admin())
    or id in (select cr.cycle_id from public.cycle_reports cr where cr.id in (select private.readable_cycle_report_ids()))
  );
create policy "Admins can create test cycles"
  on public.test_cycles for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins can update test cycles"
  on public.test_cycles for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can delete test cycles"
  on public.test_cycles for delete to authenticated
  using ((select private.is_admin()));

-- cycle_reports
create policy "Assigned testers, owners and admins can read cycle reports"
  on public.cycle_reports for select to authenticated
  using (id in (select private.readable_cycle_report_ids()));
create policy "Admins can add reports to cycles"
  on public.cycle_reports for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins can update cycle reports"
  on public.cycle_reports for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can remove reports from cycles"
  on public.cycle_reports for delete to authenticated
  using ((select private.is_admin()));

-- cycle_report_testers
create policy "Users can read the assignments of cycle reports they can read"
  on public.cycle_report_testers for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));
create policy "Admins can assign testers"
  on public.cycle_report_testers for insert to authenticated
  with check ((select private.is_admin()));
create policy "Admins can update assignments"
  on public.cycle_report_testers for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can unassign testers"
  on public.cycle_report_testers for delete to authenticated
  using ((select private.is_admin()));

-- profiles: now that teams exist, people see the profiles of those they work with.
drop policy "Users can read their own profile and admins all profiles" on public.profiles;
create policy "Users can read their own and teammates' profiles, admins all"
  on public.profiles for select to authenticated
  using (
    id = (select auth.uid())
    or (select private.is_admin())
    or id in (select private.teammate_ids())
  );

select private.attach_audit('public.reports');
select private.attach_audit('public.test_cycles');
select private.attach_audit('public.cycle_reports');
select private.attach_audit('public.cycle_report_testers');
