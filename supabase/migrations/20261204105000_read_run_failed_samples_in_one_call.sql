-- A run's failed-row samples, masked when read, in one call.
--
-- The computed field public.masked_failed_sample asks, per result, who the caller is and which columns the rule's
-- data source masks: a run of more than a thousand rules, read by the profiling workspace a thousand results a
-- page, ran past the API's 8-second statement timeout on the loaded machine. public.run_failed_samples(execution)
-- checks the caller once and asks the masked columns once per rule, joining without nested loops.

create function public.run_failed_samples(p_execution_id uuid)
returns table (result_id bigint, failed_sample jsonb)
language plpgsql
stable
security definer
set search_path = ''
set enable_nestloop = off
as $$
begin
  if not exists (select 1 from public.background_jobs j
                  where j.id = p_execution_id and j.cycle_report_id is not null
                    and private.can_read_cycle_report(j.cycle_report_id)) then
    raise exception using errcode = 'PT404', detail = 'execution_not_found',
      message = 'This execution does not exist or is not visible to you.';
  end if;
  return query
  with masks as materialized (
    select x.rule_id, private.profiling_masked_columns(x.rule_id) as cols
      from (select distinct f.rule_id from private.failed_samples f where f.execution_id = p_execution_id) x
  )
  select r.id,
         (select coalesce(jsonb_agg((select coalesce(jsonb_object_agg(e.key, case when e.key = any (m.cols) then '"***"'::jsonb else e.value end), '{}'::jsonb)
                                       from jsonb_each(x.failed_row) e) order by x.o), '[]'::jsonb)
            from jsonb_array_elements(f.rows) with ordinality x (failed_row, o))
    from public.profiling_rule_results r
    join private.failed_samples f on f.execution_id = r.execution_id and f.rule_id = r.rule_id
    join masks m on m.rule_id = f.rule_id
   where r.execution_id = p_execution_id
   order by r.id;
end;
$$;
comment on function public.run_failed_samples(uuid) is
  'The failed-row samples of every result of one execution (a profiling.execute job), masked as public.masked_failed_sample masks them (by the classification at the time of the call), in one call: (result_id, failed_sample). Results without failing rows are left out. For whoever can read the execution''s cycle report. Errors: PT404 execution_not_found.';

revoke all on function public.run_failed_samples(uuid) from public, anon, authenticated, service_role;
grant execute on function public.run_failed_samples(uuid) to authenticated;
