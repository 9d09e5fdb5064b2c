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
    $q$update public.test_cases set result = 'pass', source_value = public.masked_reported_value(test_cases) where version_id = %L and attribute_name <> 'Amount'$q$, tests.id('tv1')));
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

create function tests.create_test_report_fixture(p_table text)
returns void
language plpgsql
as $$
begin
  perform tests.create_observation_fixture(p_table);
  insert into tests.fixture_ids
  select 'ob1', tests.run_as('tester1@test.local', format('select id from public.propose_observations(%s)', tests.id('cr1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format($q$update public.observations set severity = 'high' where id = %L$q$, tests.id('ob1')));
  perform tests.run_as('tester1@test.local', format($q$select public.move_observation(%L, 'open', 'Raised')$q$, tests.id('ob1')));
  perform tests.run_as('owner1@test.local', format($q$update public.observations set owner_response = 'Agreed' where id = %L$q$, tests.id('ob1')));
  perform tests.run_as('owner1@test.local', format($q$select public.move_observation(%L, 'responded', 'Agreed')$q$, tests.id('ob1')));
  perform tests.finish_activities(tests.phase('observation_mgmt1'));
  perform public.complete_phase(tests.phase('observation_mgmt1'));
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('test_report1')));
end;
$$;
comment on function tests.create_test_report_fixture(text) is
  'The observation fixture carried to the test report: observation ob1 (Amount, high) proposed, raised and answered by owner1@, observation_mgmt1 completed, test_report1 started by tester1@.';

grant execute on function tests.create_test_report_fixture(text) to anon, authenticated, service_role;
