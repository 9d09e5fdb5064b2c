-- A test-execution fixture whose request for information was run, so test cases can link its files as evidence.

create function tests.create_rfi_evidence_fixture(p_table text)
returns void
language plpgsql
as $$
declare
  v_rfi_a bigint;
  v_rfi_b bigint;
  v_response bigint;
  v_f1 uuid;
  v_f2 uuid;
  v_f3 uuid;
begin
  perform tests.create_scoping_fixture(p_table);
  execute format($q$insert into source_data.%I select i, i * 100, 'B' || i from generate_series(1, 5) i$q$, p_table);
  insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t2')::uuid);
  insert into tests.fixture_ids values ('p1', tests.create_user('provider1@test.local', 'data_provider'));
  -- Scoping as in create_test_execution_fixture: Loan id, Amount (both) and Rating tested by samples.
  insert into tests.fixture_ids
  select 'sc1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format($q$
    update public.scoping_decisions d
       set in_scope = a.name <> 'Branch',
           testing_approach = case a.name when 'Amount' then 'both' when 'Region' then 'data_quality_rules' else 'sample_testing' end,
           risk_rating = 'medium', rationale = 'Decided for the test', tester_decision = 'approved'
      from public.planning_attributes a where a.id = d.attribute_id and d.version_id = %L$q$, tests.id('sc1')));
  perform public.submit_version(tests.id('sc1')::uuid);
  perform tests.run_as('owner1@test.local', format(
    $q$update public.scoping_decisions set report_owner_decision = 'approved' where version_id = %L$q$, tests.id('sc1')));
  perform tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sc1')));
  perform tests.finish_activities(tests.phase('scoping1'));
  perform public.complete_phase(tests.phase('scoping1'));
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
   where id in (tests.phase('data_request1'), tests.phase('data_profiling1'));
  perform public.start_phase(tests.phase('sample_selection1'));
  insert into tests.fixture_ids
  select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format(
    $q$select public.run_sample_selection(%L, %L, 'id', 'simple_random', '{"basis": "tester_set", "size": 5, "reason": "the whole population"}', '{}', '[]', null, 'fixture')$q$,
    tests.id('sv1'), tests.id('source')));
  perform tests.run_as('tester1@test.local', format(
    $q$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$q$, tests.id('sv1')));
  perform tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));
  perform tests.run_as('owner1@test.local', format(
    $q$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L$q$, tests.id('sv1')));
  perform tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sv1')));
  perform tests.finish_activities(tests.phase('sample_selection1'));
  perform public.complete_phase(tests.phase('sample_selection1'));
  insert into tests.fixture_ids select 'sample ' || sample_key, id::text from public.sample_decisions where version_id = tests.id('sv1')::uuid;

  -- The request for information: request A asks for sample 1 × Amount and sample 1 × Loan id, request B for
  -- sample 2 × Amount. The provider answers A's Amount item with one file and the whole of A with another, B with one.
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('request_info1')));
  v_rfi_a := tests.run_as('tester1@test.local', format(
    $q$select id from public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}, {"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3, 'Evidence for loan 1')$q$,
    tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('sample 1'), tests.id('pv1 Loan id'), tests.id('sample 1'), tests.id('p1'))) -> 0 ->> 'id';
  v_rfi_b := tests.run_as('tester1@test.local', format(
    $q$select id from public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3, 'Evidence for loan 2')$q$,
    tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('sample 2'), tests.id('p1'))) -> 0 ->> 'id';
  insert into tests.fixture_ids values ('rfi a', v_rfi_a::text), ('rfi b', v_rfi_b::text);
  perform tests.run_as('tester1@test.local', format('select public.send_request(%s)', v_rfi_a));
  perform tests.run_as('tester1@test.local', format('select public.send_request(%s)', v_rfi_b));

  perform tests.authenticate_as('provider1@test.local');
  insert into public.request_responses (request_id, item_id, body)
  select v_rfi_a, i.id, 'The statement for the amount' from public.request_items i where i.request_id = v_rfi_a and i.attribute_name = 'Amount'
  returning id into v_response;
  v_f1 := tests.add_response_file(v_response, format('%s/%s/statement-1.pdf', tests.id('cr1'), v_rfi_a), 'statement-1.pdf');
  insert into public.request_responses (request_id, body) values (v_rfi_a, 'The whole loan file') returning id into v_response;
  v_f2 := tests.add_response_file(v_response, format('%s/%s/loan-file-1.pdf', tests.id('cr1'), v_rfi_a), 'loan-file-1.pdf');
  insert into public.request_responses (request_id, body) values (v_rfi_b, 'The statement') returning id into v_response;
  v_f3 := tests.add_response_file(v_response, format('%s/%s/statement-2.pdf', tests.id('cr1'), v_rfi_b), 'statement-2.pdf');
  perform tests.clear_authentication();
  insert into tests.fixture_ids values ('f amount 1', v_f1::text), ('f whole 1', v_f2::text), ('f amount 2', v_f3::text);
  perform tests.run_as('provider1@test.local', format('select public.respond_to_request(%s)', v_rfi_a));
  perform tests.run_as('provider1@test.local', format('select public.respond_to_request(%s)', v_rfi_b));
  perform tests.run_as('tester1@test.local', format('select public.accept_request(%s)', v_rfi_a));
  perform tests.run_as('tester1@test.local', format('select public.accept_request(%s)', v_rfi_b));
  perform tests.finish_activities(tests.phase('request_info1'));
  perform public.complete_phase(tests.phase('request_info1'));
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('test_execution1')));
  insert into tests.fixture_ids
  select 'tv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('test_execution1'))) -> 0 ->> 'id';
  insert into tests.fixture_ids
  select 'case ' || sample_key || ' ' || attribute_name, id::text from public.test_cases where version_id = tests.id('tv1')::uuid;
end;
$$;
comment on function tests.create_rfi_evidence_fixture(text) is
  'As create_test_execution_fixture (5 loans × Loan id, Amount, Rating), with provider1@ (''p1'') and the request for information run: request ''rfi a'' asks for sample 1 × Amount and sample 1 × Loan id, answered with file ''f amount 1'' (statement-1.pdf, for the Amount item) and ''f whole 1'' (loan-file-1.pdf, for the whole request); ''rfi b'' asks for sample 2 × Amount, answered with ''f amount 2''; both accepted and the phase completed. Test-execution version ''tv1'' is created by tester1@; its cases are ''case <sample key> <attribute>''.';

create function tests.add_response_file(p_response_id bigint, p_path text, p_name text)
returns uuid
language plpgsql
as $$
declare
  v_id uuid;
begin
  -- As the signed-in provider (the caller authenticates): the object into the evidence bucket, then its record.
  insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', p_path, auth.uid()::text, '{"size": 1000, "mimetype": "application/pdf"}');
  insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (p_response_id, p_path, p_name, 'application/pdf', 1000, repeat('ab', 32)) returning id into v_id;
  return v_id;
end;
$$;
comment on function tests.add_response_file(bigint, text, text) is
  'As the signed-in data provider (tests.authenticate_as first): uploads an evidence object (a 1000-byte PDF) at p_path and attaches it to response p_response_id as p_name; returns the file''s id.';

grant execute on function tests.create_rfi_evidence_fixture(text) to anon, authenticated, service_role;
grant execute on function tests.add_response_file(bigint, text, text) to anon, authenticated, service_role;
