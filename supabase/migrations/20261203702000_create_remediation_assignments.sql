-- A remediation owner's way in (decision 032): the observations they must remediate, with the report and cycle
-- each belongs to. A remediation owner outside the cycle report's assignment reads those observations (their
-- policy on public.observations) but not the cycle report, so nothing told them which report a finding is about;
-- this function names just that, for their own observations only. Row-level security is unchanged.

create function public.remediation_assignments()
returns table (observation_id uuid, cycle_report_id bigint, report_name text, regulation text, cycle_name text,
               title text, severity text, status text, due_date date)
language sql
stable
security definer
set search_path = ''
as $$
  select o.id, o.cycle_report_id, r.name, r.regulation, c.name, o.title, o.severity, o.status, o.due_date
    from public.observations o
    join public.cycle_reports cr on cr.id = o.cycle_report_id
    join public.reports r on r.id = cr.report_id
    join public.test_cycles c on c.id = cr.cycle_id
   -- The permission check: only the caller's own assignments, and nobody's without a signed-in caller.
   where auth.uid() is not null and o.remediation_owner_id = auth.uid()
   order by o.status in ('validated', 'closed'), o.due_date nulls last, o.title, o.id
$$;
comment on function public.remediation_assignments() is
  'The observations the caller is the remediation owner of, with the report (name, regulation) and cycle each belongs to, its title, severity, status and due date; open ones first, by due date. Names nothing else of the cycle report: what a remediation owner outside the assignment may know.';
revoke execute on function public.remediation_assignments() from public, anon;
grant execute on function public.remediation_assignments() to authenticated;
