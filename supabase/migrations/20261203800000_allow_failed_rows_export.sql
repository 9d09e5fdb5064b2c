-- Every failing row of one rule's result, exported by the profiling function (GET /profiling/results/:id/failed-rows).
--
-- The export re-evaluates the rule against its data source at export time (decision 033). On an upload that
-- needs the rule executor to read a source_data table outside a running job, which open_rule_execution refuses
-- (PT409 job_not_running). This function issues such a token for exactly one table, the upload the result's rule
-- reads, to a person who may read the result's cycle report: the profiling function calls it acting as the
-- signed-in user (request.jwt.claims), so the database decides who may export. It never returns a token for a
-- database source (null): those are read over their own login.

create function private.open_failed_rows_export(p_result_id bigint, p_seconds integer default 300)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_result record;
  v_table regclass;
  v_token text;
begin
  if p_seconds is null or p_seconds not between 1 and 3600 then
    raise exception using errcode = 'PT400', detail = 'invalid_failed_rows_export',
      message = 'A failed-rows export lasts 1 second to 1 hour.';
  end if;
  select r.id, r.status, r.cycle_report_id, s.source_type, s.table_name
    into v_result
    from public.profiling_rule_results r
    join public.profiling_rules ru on ru.id = r.rule_id
    join public.planning_attributes a on a.id = ru.attribute_id
    join public.planning_data_sources s on s.id = a.data_source_id
   where r.id = p_result_id;
  -- The same answer for a result that does not exist and one the caller may not read.
  if not found or not (private.is_admin() or private.can_read_cycle_report(v_result.cycle_report_id)) then
    raise exception using errcode = 'PT404', detail = 'result_not_found',
      message = 'This result does not exist or is not visible to you.';
  end if;
  if v_result.status <> 'completed' then
    raise exception using errcode = 'PT409', detail = 'result_not_completed',
      message = 'The rule did not complete in this run, so it has no failing rows to export.',
      hint = 'Run the rules again once the error is fixed.';
  end if;
  if v_result.source_type <> 'file_upload' then
    return null;
  end if;
  v_table := to_regclass(format('source_data.%I', v_result.table_name));
  if v_table is null then
    raise exception using errcode = 'PT409', detail = 'source_table_missing',
      message = 'The uploaded table this rule read no longer exists.';
  end if;
  delete from private.rule_execution_grants g where g.expires_at <= now();
  insert into private.rule_execution_grants (job_id, tables, expires_at)
  values (null, array[v_table], now() + make_interval(secs => p_seconds))
  returning token into v_token;
  return v_token;
end;
$$;

comment on function private.open_failed_rows_export(bigint, integer) is
  'Issues a rule-execution token for the one upload table a profiling result''s rule reads, so the profiling function can export every failing row (decision 033). Caller: the signed-in user (the function acts as them), who must be able to read the result''s cycle report (PT404 result_not_found otherwise); the result must have completed (PT409 result_not_completed). Null for a database source.';

revoke all on function private.open_failed_rows_export(bigint, integer) from public;
grant execute on function private.open_failed_rows_export(bigint, integer) to authenticated;
