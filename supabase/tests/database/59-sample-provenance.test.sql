-- Provenance cannot be forged on samples either: a sample says it was recommended by an LLM only when the
-- service_role (the generation function) wrote it, never because a tester or an admin said so through the API.
begin;
select plan(6);

select tests.create_sampling_fixture('upload_t59');
\set t1 '''tester1@test.local'''
\set admin '''admin@test.local'''
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

select is(tests.try_as(:t1, format($$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason)
  values (%L, 'L0001', 'llm', 'the model picked it') $$, tests.id('sv1'))),
  'PT403 llm_recommendation_by_generation', 'a tester cannot label the sample they pick as the LLM''s recommendation');
select is(tests.try_as(:admin, format($$insert into public.sample_decisions (version_id, sample_key, recommendation_source)
  values (%L, 'L0001', 'llm')$$, tests.id('sv1'))),
  'PT403 llm_recommendation_by_generation', 'nor can an admin through the API');
select is(tests.try_as(:t1, format($$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
  values (%L, 'L0001', 1, 'random')$$, tests.id('sv1'))),
  'rows 1', 'the tester''s own samples are recorded as theirs');
select is(tests.try_as(:t1, format($$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason)
  values (%L, 'L0003', 'manual', 'the owner asked for it')$$, tests.id('sv1'))),
  'rows 1', 'and samples added by hand as manual');
select tests.run_as_service_for(:t1, format($$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason)
  values (%L, 'L0002', 'llm', 'proposed by the model')$$, tests.id('sv1')));
select is((select recommendation_source from public.sample_decisions where version_id = tests.id('sv1')::uuid and sample_key = 'L0002'),
  'llm', 'the generation function (service_role) records an LLM''s recommendation');
select is(tests.try_as(:t1, format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L and sample_key = 'L0002'$$, tests.id('sv1'))),
  'rows 1', 'which the tester then decides like any other');

select * from finish();
rollback;
