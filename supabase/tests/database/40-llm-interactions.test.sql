-- LLM interactions as generation records them: idempotency key, attempts, failure reasons, links that follow
-- the version, one completion per key, finished rows frozen, accounting kept when the draft goes, RLS per
-- role, and the usage view totalling only what the caller may read.
begin;
select plan(27);

select tests.create_fixture();
select public.start_phase(tests.phase('planning1'));
select public.start_phase(tests.phase('planning2'));
insert into tests.fixture_ids select 'v1', id::text from public.create_version(tests.phase('planning1'));
insert into tests.fixture_ids select 'v2', id::text from public.create_version(tests.phase('planning2'));

-- Columns ---------------------------------------------------------------------------------------------------
select has_column('public', 'llm_interactions', 'idempotency_key', 'interactions have an idempotency key');
select col_type_is('public', 'llm_interactions', 'attempt', 'integer', 'interactions number their attempts');
select col_type_is('public', 'llm_interactions', 'failure_reason', 'text', 'failed interactions say why');
select col_type_is('public', 'llm_interactions', 'http_status', 'integer', 'the provider''s HTTP status is kept');
select col_type_is('public', 'llm_interactions', 'cost_usd', 'numeric(14,8)', 'cost is kept to a hundred-millionth of a dollar');
select col_type_is('public', 'llm_interactions', 'phase_id', 'bigint', 'interactions link to their workflow phase');

-- As the edge functions record calls (service_role) ---------------------------------------------------------
select tests.authenticate_as('service_role');
insert into public.llm_interactions (purpose, provider, model, idempotency_key, version_id, cycle_report_id)
values ('planning_attributes', 'openai', 'm', 'job:0', tests.id('v1')::uuid, tests.id('cr2')::bigint);
select tests.clear_authentication();
select is(
  (select (cycle_report_id, phase_id)::text from public.llm_interactions where idempotency_key = 'job:0'),
  (tests.id('cr1')::bigint, tests.phase('planning1'))::text,
  'cycle report and phase follow the version, whatever the writer sent');

select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'failed' where idempotency_key = 'job:0'$$),
  '23514', 'a failed call says why');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'failed', failure_reason = 'rate_limited', http_status = 429 where idempotency_key = 'job:0'$$),
  'rows 1', 'a pending call is recorded as failed with its reason');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'completed', input_tokens = 10, output_tokens = 5, cost_usd = 0.00012345 where idempotency_key = 'job:0'$$),
  'rows 1', 'a pending call is completed with its tokens and cost');
select is(tests.try_as('service_role', $$update public.llm_interactions set request = '{"x": 1}' where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_column_immutable', 'what was asked never changes');

update public.llm_interactions set status = 'completed', input_tokens = 10, output_tokens = 5, cost_usd = 0.00012345
 where idempotency_key = 'job:0';
select isnt((select completed_at from public.llm_interactions where idempotency_key = 'job:0'), null,
  'completion is stamped');
select is((select cost_usd from public.llm_interactions where idempotency_key = 'job:0'), 0.00012345::numeric,
  'the cost keeps its eight decimals');
select is(tests.try_as('postgres', $$update public.llm_interactions set input_tokens = 1 where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_final', 'a completed call is a record: not even an operator changes it');

insert into public.llm_interactions (purpose, provider, model, idempotency_key, version_id, attempt)
values ('planning_attributes', 'openai', 'm', 'job:0', tests.id('v1')::uuid, 2);
select is(tests.try_as('postgres', $$update public.llm_interactions set status = 'completed' where idempotency_key = 'job:0' and status = 'pending'$$),
  '23505', 'a second completion of the same key is refused, so its items roll back with it');
select is(tests.try_as('postgres', $$update public.llm_interactions set status = 'failed', failure_reason = 'abandoned' where idempotency_key = 'job:0' and status = 'pending'$$),
  'rows 1', 'other attempts of the key may fail as often as they like');
select is(tests.try_as('postgres', $$insert into public.llm_interactions (purpose, provider, model, status, failure_reason) values ('x', 'p', 'm', 'failed', 'guessing')$$),
  '23514', 'failure reasons are the documented ones');

-- Calls for cr2, and one for nobody's cycle report
insert into public.llm_interactions (purpose, provider, model, idempotency_key, version_id, status, input_tokens, output_tokens, cost_usd)
values ('planning_attributes', 'heuristic', 'rules-v1', 'job2:0', tests.id('v2')::uuid, 'completed', 0, 0, 0),
       ('planning_attributes', 'openai', 'm', 'job2:1', tests.id('v2')::uuid, 'completed', 100, 50, 0.5);
insert into public.llm_interactions (purpose, provider, model) values ('profiling_rules', 'openai', 'm');

-- RLS ---------------------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', 'select count(*) from public.llm_interactions'), 'rows 2',
  'a tester reads the calls of their cycle reports');
select is(tests.try_as('owner2@test.local', 'select count(*) from public.llm_interactions'), 'rows 2',
  'an owner reads the calls of their reports');
select is(tests.try_as('admin@test.local', 'select count(*) from public.llm_interactions where created_at = now()'), 'rows 5',
  'an admin reads every call');
select is(tests.try_as('anon', 'select count(*) from public.llm_interactions'), '42501', 'anon reads nothing');
select is(tests.try_as('tester1@test.local', $$insert into public.llm_interactions (purpose, provider, model) values ('x', 'p', 'm')$$),
  '42501', 'users cannot write calls: only the edge functions record them');

-- The usage view ------------------------------------------------------------------------------------------
select is(
  tests.run_as('tester2@test.local', $$select level, cycle_report_id, phase_name, calls, input_tokens, output_tokens, cost_usd from public.llm_usage where level in ('total', 'phase') order by level$$),
  jsonb_build_array(
    jsonb_build_object('level', 'phase', 'cycle_report_id', tests.id('cr2')::bigint, 'phase_name', 'planning', 'calls', 2,
      'input_tokens', 100, 'output_tokens', 50, 'cost_usd', 0.5),
    jsonb_build_object('level', 'total', 'cycle_report_id', null, 'phase_name', null, 'calls', 2,
      'input_tokens', 100, 'output_tokens', 50, 'cost_usd', 0.5)) ,
  'a tester''s usage totals only their cycle reports'' calls, by phase');
select is(
  tests.run_as('admin@test.local', format($$select level, cycle_report_id, calls from public.llm_usage
    where test_cycle_id = %s and level in ('cycle', 'cycle_report') order by level, cycle_report_id$$, tests.id('cycle'))),
  jsonb_build_array(
    jsonb_build_object('level', 'cycle', 'cycle_report_id', null, 'calls', 4),
    jsonb_build_object('level', 'cycle_report', 'cycle_report_id', tests.id('cr1')::bigint, 'calls', 2),
    jsonb_build_object('level', 'cycle_report', 'cycle_report_id', tests.id('cr2')::bigint, 'calls', 2)),
  'an admin''s usage groups every call by cycle and cycle report');
select is(
  tests.run_as('admin@test.local', $$select count(*) as n from public.llm_usage where level = 'cycle' and test_cycle_id is null$$) -> 0 ->> 'n',
  '1', 'calls for no cycle report have a group of their own');
select is(tests.try_as('anon', 'select count(*) from public.llm_usage'), '42501', 'anon cannot read usage');

-- Deleting the draft keeps the accounting --------------------------------------------------------------------
delete from public.artifact_versions where id = tests.id('v2')::uuid;
select is(
  (select count(*)::int from public.llm_interactions where cycle_report_id = tests.id('cr2')::bigint and version_id is null
      and phase_id = tests.phase('planning2')),
  2, 'deleting a draft unlinks its calls but keeps them, with their cycle report and phase');

select * from finish();
rollback;
