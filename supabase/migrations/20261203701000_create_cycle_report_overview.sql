-- The cycle view (issue 17 item 5, decision 032): one row per cycle report with what admins and report owners
-- follow across a cycle: phase progress, open and overdue requests, failed tests, observations by severity and
-- status, and the figures behind the pass rates. It runs with the caller's rights (security_invoker), so every
-- count is over the rows row-level security lets the caller read: an owner sees their reports only, an admin all.

create view public.cycle_report_overview
with (security_invoker = true)
as
select cr.id as cycle_report_id,
       cr.cycle_id,
       c.name as cycle_name,
       c.period_start,
       cr.report_id,
       r.name as report_name,
       r.regulation,
       r.owner_id,
       cr.status,
       coalesce((select jsonb_agg(jsonb_build_object('id', t.tester_id, 'name', coalesce(nullif(btrim(p.full_name), ''), p.email))
                                  order by coalesce(nullif(btrim(p.full_name), ''), p.email))
                   from public.cycle_report_testers t left join public.profiles p on p.id = t.tester_id
                  where t.cycle_report_id = cr.id), '[]') as testers,
       (select count(*) from public.workflow_phases w where w.cycle_report_id = cr.id)::integer as phases_total,
       (select count(*) from public.workflow_phases w
         where w.cycle_report_id = cr.id and w.status in ('completed', 'skipped'))::integer as phases_done,
       (select d.display_name from public.workflow_phases w join public.phase_definitions d on d.name = w.phase_name
         where w.cycle_report_id = cr.id and w.status = 'in_progress' order by w.phase_order limit 1) as current_phase,
       (select count(*) from public.requests q
         where q.cycle_report_id = cr.id and q.status in ('sent', 'responded', 'returned'))::integer as requests_open,
       (select count(*) from public.requests q
         where q.cycle_report_id = cr.id and private.request_is_overdue(q.status, q.due_date))::integer as requests_overdue,
       tests.total as tests_total,
       tests.passed as tests_passed,
       tests.failed as tests_failed,
       quality.rules as dq_rules,
       quality.rows_total as dq_rows,
       quality.rows_passed as dq_rows_passed,
       coalesce((select jsonb_object_agg(s.severity, s.statuses)
                   from (select o.severity, jsonb_object_agg(o.status, o.n) as statuses
                           from (select o.severity, o.status, count(*) as n from public.observations o
                                  where o.cycle_report_id = cr.id group by o.severity, o.status) o
                          group by o.severity) s), '{}') as observations
  from public.cycle_reports cr
  join public.reports r on r.id = cr.report_id
  join public.test_cycles c on c.id = cr.cycle_id
  -- Tests: the cases of the approved test-execution version, else of the one in the works.
  left join lateral (
    select count(*) filter (where t.result is not null)::integer as total,
           count(*) filter (where t.result = 'pass')::integer as passed,
           count(*) filter (where t.result = 'fail')::integer as failed
      from public.test_cases t
     where t.version_id = (select v.id from public.artifact_versions v
                            where v.cycle_report_id = cr.id and v.phase_name = 'test_execution'
                              and v.version_status in ('approved', 'draft', 'pending_approval')
                            order by v.version_status = 'approved' desc, v.version_number desc limit 1)
  ) tests on true
  -- Data quality: the latest result of each rule of the approved profiling version, else of the one in the works.
  left join lateral (
    select count(*)::integer as rules,
           coalesce(sum(res.total_count), 0)::bigint as rows_total,
           coalesce(sum(res.passed_count), 0)::bigint as rows_passed
      from public.profiling_rules ru
      join lateral (select x.total_count, x.passed_count from public.profiling_rule_results x where x.rule_id = ru.id
                     order by x.executed_at desc, x.id desc limit 1) res on true
     where ru.version_id = (select v.id from public.artifact_versions v
                             where v.cycle_report_id = cr.id and v.phase_name = 'data_profiling'
                               and v.version_status in ('approved', 'draft', 'pending_approval')
                             order by v.version_status = 'approved' desc, v.version_number desc limit 1)
  ) quality on true;
comment on view public.cycle_report_overview is
  'The cycle view: one row per cycle report the caller can read (security_invoker: row-level security of every table applies), with its testers [{id, name}], phases done (completed or skipped) of all and the phase in progress, open requests (sent, responded, returned) and overdue ones, test cases tested/passed/failed of the approved test-execution version (else the open one), the data-quality rules with a result and their rows checked/passed (latest result per rule of the approved profiling version, else the open one), and observations as {severity: {status: count}}.';
revoke all on public.cycle_report_overview from anon, public;
grant select on public.cycle_report_overview to authenticated, service_role;
