-- Inserts with RETURNING (PostgREST's Prefer: return=representation) return new observations and evidence links
-- to the assigned tester and to admins, the roles allowed to insert them.
begin;
select plan(4);

select tests.create_observation_fixture('upload_t58');
\set t1 '''tester1@test.local'''
\set admin '''admin@test.local'''

select is(tests.try_as(:t1, format($$with pgrst_source as (insert into public.observations (cycle_report_id, title, condition, criteria, severity, category)
  values (%s, 'Rating codes outdated', 'Ratings use the 2019 scale', 'Rating policy 2024', 'high', 'validity') returning *) select * from pgrst_source$$,
  tests.id('cr1'))), 'rows 1', 'the assigned tester gets the observation they record');
select is(tests.try_as(:admin, format($$with pgrst_source as (insert into public.observations (cycle_report_id, title)
  values (%s, 'Late finding') returning *) select * from pgrst_source$$, tests.id('cr1'))), 'rows 1', 'so does an admin');

select tests.run_as(:t1, format($$insert into public.observations (cycle_report_id, title) values (%s, 'Amount misstated')$$, tests.id('cr1')));
insert into tests.fixture_ids select 'ob', id::text from public.observations where title = 'Amount misstated';
insert into tests.fixture_ids
select 'failed', id::text from public.test_cases where version_id = tests.id('tv1')::uuid and result = 'fail' order by sample_key limit 1;
select is(tests.try_as(:t1, format($$with pgrst_source as (insert into public.observation_evidence (observation_id, test_case_id)
  values (%L, %L) returning *) select * from pgrst_source$$, tests.id('ob'), tests.id('failed'))),
  'rows 1', 'the assigned tester gets the evidence link they add');
select is(tests.try_as(:admin, format($$with pgrst_source as (insert into public.observation_evidence (observation_id, test_case_id)
  values (%L, %L) returning *) select * from pgrst_source$$, tests.id('ob'), tests.id('failed'))),
  'rows 1', 'so does an admin');

select * from finish();
rollback;
