-- A sample holds only the columns the test needs: the key and the columns of the attributes in scope (scoping's
-- private.in_scope_attribute_ids); an attribute scoped out leaves its column out of the samples.
begin;
select plan(3);

select tests.create_scoping_fixture('upload_pgtapsamplescope');
insert into source_data.upload_pgtapsamplescope select i, i * 10, 'branch ' || (i % 3) from generate_series(1, 30) i;

-- acting as the tester and the owner: Branch is out of scope
insert into tests.fixture_ids
select 'scv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format($$update public.scoping_decisions set in_scope = false, rationale = 'public reference data, tested elsewhere'
  where version_id = %L and attribute_id = %L$$, tests.id('scv1'), tests.id('pv1 Branch')));
select tests.run_as('tester1@test.local', format($$select public.decide_items(%1$L, 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = %1$L), 'tester', 'approved')$$, tests.id('scv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('scv1')));
select tests.run_as('owner1@test.local', format($$select public.decide_items(%1$L, 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = %1$L), 'report_owner', 'approved')$$, tests.id('scv1')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('scv1')));
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('data_request1'), tests.phase('data_profiling1'));
select tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('sample_selection1')));

-- acting as the tester: a draw
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "scope"}', p_seed => 'scope')$$,
  tests.id('sv1'), tests.id('source')));
select is((select count(*)::integer from public.sample_decisions where version_id = tests.id('sv1')::uuid), 3, 'three samples are drawn');
select is((select array_agg(distinct k order by k) from public.sample_decisions d, jsonb_object_keys(public.masked_sample_data(d)) k
            where d.version_id = tests.id('sv1')::uuid),
  array['amount', 'id'], 'their values are the key and the in-scope Amount; the scoped-out Branch is left out');
select ok((select bool_and((public.masked_sample_data(d) ->> 'amount')::numeric = sample_key::numeric * 10 and public.masked_sample_data(d) ->> 'id' = sample_key)
             from public.sample_decisions d where version_id = tests.id('sv1')::uuid),
  'the values are those of each sample''s population row');

select * from finish();
rollback;
