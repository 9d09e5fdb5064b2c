-- Trust boundaries inside the database: only the Studio roles are operators; rule_executor cannot notify and
-- reads a source_data table only with a rule-execution token issued for a running job on that table.
begin;
select plan(19);

-- A statement run under another role, with its SQLSTATE (and PT reason) or 'ok <value>'.
create function pg_temp.as_role(p_role text, p_sql text)
returns text language plpgsql as $$
declare
  v_value text;
  v_state text;
  v_detail text;
begin
  begin
    perform set_config('role', p_role, true);
    execute p_sql into v_value;
    perform set_config('role', 'none', true);
    return 'ok ' || coalesce(v_value, 'null');
  exception when others then
    get stacked diagnostics v_state = returned_sqlstate, v_detail = pg_exception_detail;
    perform set_config('role', 'none', true);
    return v_state || case when v_state like 'PT%' then ' ' || v_detail else '' end;
  end;
end;
$$;

-- operators -------------------------------------------------------------------------------------------------------
select is(private.is_operator(), true, 'postgres without a JWT is an operator');
-- (for this test only: let both roles ask)
grant usage on schema private, auth to rule_executor, supabase_auth_admin;
grant execute on function private.is_operator(), auth.uid(), auth.role() to rule_executor, supabase_auth_admin;
select is(pg_temp.as_role('rule_executor', 'select private.is_operator()'), 'ok false', 'a rule_executor session is not an operator');
select is(pg_temp.as_role('supabase_auth_admin', 'select private.is_operator()'), 'ok false', 'nor is GoTrue''s supabase_auth_admin');
select is(private.is_privileged(), true, 'the operator is privileged');
select is(pg_temp.as_role('rule_executor', 'select private.is_privileged()'), '42501', 'rule_executor cannot even ask');

-- pg_notify -------------------------------------------------------------------------------------------------------
select is(pg_temp.as_role('rule_executor', $$select pg_notify('pgrst', 'reload schema')$$), '42501', 'rule_executor cannot pg_notify');
select is(pg_temp.as_role('authenticated', $$select pg_notify('pgrst', 'reload schema')$$), '42501', 'nor can signed-in users');
select is(pg_temp.as_role('service_role', $$select pg_notify('regtest', 'x')$$), 'ok ', 'the service_role can');

-- source_data tables ----------------------------------------------------------------------------------------------
select tests.create_profiling_fixture('upload_t53a');
create table source_data.upload_t53b (id integer);
insert into source_data.upload_t53a values (1, 10), (2, 20);
insert into source_data.upload_t53b values (1);
select is((select count(*)::int from pg_class c where c.relnamespace = 'source_data'::regnamespace and c.relkind = 'r' and not c.relrowsecurity), 0,
  'every source_data table has row-level security, those created now included');
select is(pg_temp.as_role('rule_executor', 'select count(*) from source_data.upload_t53a'), 'ok 0', 'without a token rule_executor reads no row');
select set_config('regtest.rule_execution', private.open_rule_execution(null, array['source_data.upload_t53a']::text[]), true);
select is(pg_temp.as_role('rule_executor', 'select count(*) from source_data.upload_t53a'), 'ok 2', 'with a token for the table it reads it');
select is(pg_temp.as_role('rule_executor', 'select count(*) from source_data.upload_t53b'), 'ok 0', 'but not another table');
select is(pg_temp.as_role('rule_executor', 'select count(*) from private.rule_execution_grants'), '42501', 'and cannot read the tokens');
update private.rule_execution_grants set expires_at = now() - interval '1 second';
select is(pg_temp.as_role('rule_executor', 'select count(*) from source_data.upload_t53a'), 'ok 0', 'an expired token opens nothing');

-- tokens for jobs -------------------------------------------------------------------------------------------------
insert into tests.fixture_ids
select 'dv', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
with j as (insert into public.background_jobs (job_type, version_id, cycle_report_id)
  values ('profiling.execute.test-rules', tests.id('dv')::uuid, tests.id('cr1')::bigint) returning id)
insert into tests.fixture_ids select 'job', j.id::text from j;
select is(tests.try_as('service_role', format($$select private.open_rule_execution(%L, array['source_data.upload_t53a']::text[])$$, tests.id('job'))),
  'PT409 job_not_running', 'no token for a job that is not running');
select tests.run_as('service_role', $$select public.claim_job(array['profiling.execute.test-rules'], 'w53')$$);
select is(tests.try_as('service_role', format($$select private.open_rule_execution(%L, array['source_data.upload_t53a']::text[])$$, tests.id('job'))),
  'rows 1', 'the worker gets a token for its running job''s upload');
select is(tests.try_as('service_role', format($$select private.open_rule_execution(%L, array['source_data.upload_t53b']::text[])$$, tests.id('job'))),
  'PT403 table_not_in_job', 'but not for another upload');
select is(tests.try_as('service_role', $$select private.open_rule_execution(null, array['source_data.upload_t53b']::text[])$$),
  'PT400 invalid_rule_execution', 'nor for no job');
select is(tests.try_as('tester1@test.local', format($$select private.open_rule_execution(%L, array['source_data.upload_t53a']::text[])$$, tests.id('job'))),
  '42501', 'signed-in users cannot ask for one');

select * from finish();
rollback;
