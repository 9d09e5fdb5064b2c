-- An answered LLM call: the answer and its accounting recorded before the items are stored. It must carry what it
-- cost, keeps it whatever happens next, ends only completed or failed, and counts as not finished in the usage view.
begin;
select plan(17);

select tests.create_fixture();
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'v1', id::text from public.create_version(tests.phase('planning1'));

insert into public.llm_interactions (purpose, provider, model, idempotency_key, version_id)
values ('planning_attributes', 'openai', 'm', 'job:0', tests.id('v1')::uuid);

select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'answered', response = '{"content": "{}"}' where idempotency_key = 'job:0'$$),
  'PT400 llm_answer_incomplete', 'an answer is recorded with its tokens, cost and duration');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'answered', response = '{"content": "{}"}',
    input_tokens = 10, output_tokens = 5, cost_usd = 0.0001, duration_ms = 20 where idempotency_key = 'job:0'$$),
  'rows 1', 'a pending call records its answer');

update public.llm_interactions set status = 'answered', response = '{"content": "{\"attributes\": []}"}',
  input_tokens = 10, output_tokens = 5, cost_usd = 0.0001, duration_ms = 20 where idempotency_key = 'job:0';
select is((select completed_at from public.llm_interactions where idempotency_key = 'job:0'), null,
  'an answered call is not finished yet');

select is(tests.try_as('postgres', $$update public.llm_interactions set cost_usd = 0 where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_answered', 'what an answer cost never changes, not even for an operator');
select is(tests.try_as('postgres', $$update public.llm_interactions set response = '{"content": "other"}' where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_answered', 'the answer as received never changes while it waits');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'pending' where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_answered', 'an answered call does not go back to pending');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'completed', input_tokens = 11 where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_answered', 'completing keeps the tokens the call was answered with');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'failed', failure_reason = 'store_failed', response = null where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_answered', 'a failure keeps the answer');
select is(tests.try_as('service_role', $$update public.llm_interactions set status = 'failed', failure_reason = 'store_failed', error = 'x' where idempotency_key = 'job:0'$$),
  'rows 1', 'an answered call may fail, keeping its answer and cost');

select is(
  tests.run_as('admin@test.local', format($$select calls, completed_calls, failed_calls, pending_calls, input_tokens, cost_usd
    from public.llm_usage where level = 'cycle_report' and cycle_report_id = %s$$, tests.id('cr1'))),
  jsonb_build_array(jsonb_build_object('calls', 1, 'completed_calls', 0, 'failed_calls', 0, 'pending_calls', 1,
    'input_tokens', 10, 'cost_usd', 0.0001)),
  'the usage view counts an answered call as not finished, and sums what it cost');

update public.llm_interactions set status = 'completed', response = '{"content": {"attributes": []}}'
 where idempotency_key = 'job:0';
select is(
  (select (status, input_tokens, output_tokens, cost_usd, duration_ms, completed_at is not null)::text
     from public.llm_interactions where idempotency_key = 'job:0'),
  ('completed', 10, 5, 0.0001::numeric(14, 8), 20, true)::text,
  'an answered call completes with its parsed answer, the accounting it was answered with, and a completion time');
select is(tests.try_as('postgres', $$update public.llm_interactions set status = 'answered' where idempotency_key = 'job:0'$$),
  'PT409 llm_interaction_final', 'a completed call is not answered again');

insert into public.llm_interactions (purpose, provider, model, idempotency_key, version_id, status, response,
  input_tokens, output_tokens, cost_usd, duration_ms)
values ('planning_attributes', 'openai', 'm', 'job:1', tests.id('v1')::uuid, 'answered', '{"content": "{}"}', 1, 1, 0.00001, 3);
delete from public.artifact_versions where id = tests.id('v1')::uuid;
select is(
  (select (status, version_id is null, cost_usd)::text from public.llm_interactions where idempotency_key = 'job:1'),
  ('answered', true, 0.00001::numeric(14, 8))::text,
  'deleting the draft unlinks an answered call and keeps what it cost');

-- a late answer of a call abandoned while pending: recorded once, nothing else changes
insert into public.llm_interactions (purpose, provider, model, idempotency_key, status, failure_reason, error)
values ('planning_attributes', 'openai', 'm', 'job:late', 'failed', 'abandoned', 'made again');
select is(tests.try_as('service_role', $$update public.llm_interactions set failure_reason = 'timeout' where idempotency_key = 'job:late'$$),
  'PT409 llm_interaction_final', 'an abandoned call stays abandoned');
select is(tests.try_as('service_role', $$update public.llm_interactions set input_tokens = 10, output_tokens = 5, cost_usd = 0.0001 where idempotency_key = 'job:late'$$),
  'PT409 llm_interaction_final', 'a late answer is recorded whole (response, tokens, cost and duration) or not at all');
update public.llm_interactions set response = '{"content": "{}"}', input_tokens = 10, output_tokens = 5, cost_usd = 0.0001,
  duration_ms = 20, error = 'answered late' where idempotency_key = 'job:late';
select is(
  (select (status, failure_reason, input_tokens, cost_usd, duration_ms, error)::text from public.llm_interactions where idempotency_key = 'job:late'),
  ('failed', 'abandoned', 10, 0.0001::numeric(14, 8), 20, 'answered late')::text,
  'an abandoned call records the answer that arrived after it was made again, and stays abandoned');
select is(tests.try_as('service_role', $$update public.llm_interactions set cost_usd = 0 where idempotency_key = 'job:late'$$),
  'PT409 llm_interaction_final', 'once recorded, the late answer''s cost never changes');

select * from finish();
rollback;
