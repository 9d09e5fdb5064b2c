-- The report owner searches the population and asks for samples while reviewing; the next draft takes them in
-- as manual samples recommended by the owner; refusals by role and state.
begin;
select plan(16);

select tests.create_sampling_fixture('upload_pgtaprequests');
insert into source_data.upload_pgtaprequests
select 'Q' || lpad(i::text, 3, '0'), i, substr('AB', i % 2 + 1, 1), 'TAX-' || i, null from generate_series(1, 50) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 5, "reason": "pilot"}', p_seed => 'requests')$$,
  tests.id('sv1'), tests.id('source')));

-- acting as the owner: search ------------------------------------------------------------------------------------
select is((tests.run_as('owner1@test.local', format($$select count(*) from public.search_sample_population(%L, 'Q01')$$, tests.id('sv1'))) -> 0 ->> 'count')::integer,
  10, 'the owner searches the population by key prefix: Q010 to Q019');
select is(tests.run_as('owner1@test.local', format($$select sample_data from public.search_sample_population(%L, 'Q014', 1)$$, tests.id('sv1'))) -> 0 -> 'sample_data',
  '{"loan_id": "Q014", "amount": 14, "region": "A", "tax_id": "***"}'::jsonb, 'and sees what a sample would hold, masked');
select is(tests.try_as('owner1@test.local', format($$select * from public.search_sample_population(%L, 'Q', 500)$$, tests.id('sv1'))),
  'PT400 invalid_population_search', 'at most 100 rows at a time');
select is(tests.try_as('tester2@test.local', format($$select * from public.search_sample_population(%L, 'Q')$$, tests.id('sv1'))),
  'PT404 version_not_found', 'a tester of another cycle report cannot search it');

-- asking needs the version under review ------------------------------------------------------------------------------
select is(tests.try_as('owner1@test.local', format($$select public.request_samples(%L, array['Q014'], 'largest branch')$$, tests.id('sv1'))),
  'PT409 version_not_pending', 'the owner asks while reviewing, not while the tester drafts');
select tests.run_as('tester1@test.local', format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));
select is(tests.try_as('tester1@test.local', format($$select public.request_samples(%L, array['Q014'], 'x')$$, tests.id('sv1'))),
  'PT403 sample_request_requires_report_owner', 'the tester does not ask');
select is(tests.try_as('owner1@test.local', format($$select public.request_samples(%L, array['Q999'], 'x')$$, tests.id('sv1'))),
  'PT409 sample_not_in_population', 'a key outside the population is refused');
select is(tests.try_as('owner1@test.local', format($$select public.request_samples(%L, array['Q014'], ' ')$$, tests.id('sv1'))),
  'PT400 invalid_sample_request', 'a request needs a reason');
select is(tests.try_as('owner1@test.local', format($$select public.request_samples(%L, array[(select sample_key from public.sample_decisions where version_id = %L limit 1)], 'x')$$, tests.id('sv1'), tests.id('sv1'))),
  'PT409 sample_already_in_version', 'a key the version already has is refused');
select is((tests.run_as('owner1@test.local', format($$select count(*) from public.request_samples(%L, array['Q014', 'Q015'], 'largest branch')$$, tests.id('sv1'))) -> 0 ->> 'count')::integer,
  2, 'the owner asks for two samples');
select tests.run_as('owner1@test.local', format($$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as('owner1@test.local', format($$select public.reject_version(%L, 'add the two I asked for')$$, tests.id('sv1')));

-- acting as the tester: the next draft takes them in ---------------------------------------------------------------------
insert into tests.fixture_ids
select 'sv2', tests.run_as('tester1@test.local', format('select (public.create_version(%s, %L)).id', tests.phase('sample_selection1'), tests.id('sv1'))) -> 0 ->> 'id';
select is(tests.run_as('tester1@test.local', format('select public.add_requested_samples(%L) as n', tests.id('sv2'))) -> 0 ->> 'n',
  '2', 'the tester adds the two requested samples to the new draft');
select is((select array_agg((sample_key, recommendation_source, recommended_by::text, selection_reason)::text order by sample_key)
             from public.sample_decisions where version_id = tests.id('sv2')::uuid and recommendation_source = 'manual'),
  array[('Q014', 'manual', tests.id('o1'), 'requested by the report owner: largest branch')::text,
        ('Q015', 'manual', tests.id('o1'), 'requested by the report owner: largest branch')::text],
  'they are manual samples recommended by the owner, with the reason');
select is((select public.masked_sample_data(s) from public.sample_decisions s where version_id = tests.id('sv2')::uuid and sample_key = 'Q015'),
  '{"loan_id": "Q015", "amount": 15, "region": "B", "tax_id": "***"}'::jsonb, 'with the population''s values, masked');
select is((select count(*)::integer from public.sample_requests where version_id = tests.id('sv1')::uuid and fulfilled_decision_id is not null),
  2, 'the requests are fulfilled');
select is(tests.run_as('tester1@test.local', format('select public.add_requested_samples(%L) as n', tests.id('sv2'))) -> 0 ->> 'n',
  '0', 'adding again adds nothing');
select is(tests.try_as('tester1@test.local', format($$update public.sample_requests set reason = 'x' where version_id = %L$$, tests.id('sv1'))),
  '42501', 'requests are written by the functions only');

select * from finish();
rollback;
