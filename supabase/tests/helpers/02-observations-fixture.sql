-- Fixtures for observations and the test report (loaded after 01-tests-schema.sql).

create function tests.create_observation_fixture(p_table text)
returns void
language plpgsql
as $$
begin
  perform tests.create_test_execution_fixture(p_table);
  insert into tests.fixture_ids
  select 'tv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format(
    $q$update public.test_cases set result = 'pass', source_value = reported_value where version_id = %L and attribute_name <> 'Amount'$q$, tests.id('tv1')));
  perform tests.run_as('tester1@test.local', format(
    $q$update public.test_cases set result = case when sample_key in ('2', '4') then 'fail' else 'pass' end, source_value = 'x',
            exception_description = case when sample_key in ('2', '4') then 'Amount differs from the statement' end
      where version_id = %L and attribute_name = 'Amount'$q$, tests.id('tv1')));
  perform tests.run_as('tester2@test.local', format(
    $q$update public.test_cases set tester_decision = 'approved' where version_id = %L$q$, tests.id('tv1')));
  perform tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('tv1')));
  perform tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('tv1')));
  perform tests.finish_activities(tests.phase('test_execution1'));
  perform public.complete_phase(tests.phase('test_execution1'));
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('observation_mgmt1')));
end;
$$;
comment on function tests.create_observation_fixture(text) is
  'The test-execution fixture carried to observations: test-execution version tv1 approved with samples 2 and 4 failing on Amount (every other case passes), the phase completed, observation_mgmt1 started by tester1@.';

grant execute on function tests.create_observation_fixture(text) to anon, authenticated, service_role;
