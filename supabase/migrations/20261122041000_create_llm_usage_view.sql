-- LLM usage totals by test cycle, cycle report and phase, computed by the database. The view runs with the
-- caller's rights (security_invoker), so each user totals exactly the interactions row-level security lets
-- them read: testers their cycle reports', owners their reports', admins everything.

create view public.llm_usage
with (security_invoker = true)
as
select
  case
    when grouping(c.id, cr.id, wp.phase_name) = 7 then 'total'
    when grouping(cr.id, wp.phase_name) = 3 then 'cycle'
    when grouping(wp.phase_name) = 1 then 'cycle_report'
    else 'phase'
  end as level,
  c.id as test_cycle_id,
  c.name as cycle_name,
  cr.id as cycle_report_id,
  r.name as report_name,
  wp.phase_name,
  count(*)::integer as calls,
  (count(*) filter (where i.status = 'completed'))::integer as completed_calls,
  (count(*) filter (where i.status = 'failed'))::integer as failed_calls,
  (count(*) filter (where i.status = 'pending'))::integer as pending_calls,
  coalesce(sum(i.input_tokens), 0)::bigint as input_tokens,
  coalesce(sum(i.output_tokens), 0)::bigint as output_tokens,
  coalesce(sum(i.cost_usd), 0)::numeric(16, 8) as cost_usd,
  coalesce(sum(i.duration_ms), 0)::bigint as duration_ms,
  max(i.created_at) as last_call_at
from public.llm_interactions i
left join public.cycle_reports cr on cr.id = i.cycle_report_id
left join public.reports r on r.id = cr.report_id
left join public.test_cycles c on c.id = cr.cycle_id
left join public.workflow_phases wp on wp.id = i.phase_id
group by grouping sets ((), (c.id, c.name), (c.id, c.name, cr.id, r.name), (c.id, c.name, cr.id, r.name, wp.phase_name));

comment on view public.llm_usage is
  'LLM calls, tokens, cost and time summed per level: total (everything you can read), cycle, cycle_report and phase. Runs with the caller''s rights, so the totals cover only the interactions row-level security lets the caller read. Calls without a cycle report are grouped under a null cycle.';
comment on column public.llm_usage.level is 'total | cycle | cycle_report | phase: which columns the row groups by.';
comment on column public.llm_usage.cost_usd is 'Sum of the calls'' cost in US dollars (failed attempts that were answered included).';

revoke all on table public.llm_usage from anon, authenticated;
grant select on table public.llm_usage to authenticated;
