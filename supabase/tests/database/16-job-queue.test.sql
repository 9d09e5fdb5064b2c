-- The job queue: claiming with skip locked, leases and heartbeats, retries with exponential backoff,
-- max attempts, re-claim after a lease expires.
begin;
select plan(25);

select tests.create_fixture();

insert into public.background_jobs (id, job_type, max_attempts, backoff_base_seconds, priority) values
  ('00000000-0000-4000-b000-000000000001', 'test_generate', 3, 10, 0),
  ('00000000-0000-4000-b000-000000000002', 'test_generate', 2, 10, 5),
  ('00000000-0000-4000-b000-000000000003', 'test_other', 1, 10, 0);

-- only the service_role calls the queue
select is(tests.try_as('tester1@test.local', $$select public.claim_job(array['test_generate'], 'w', 60)$$), '42501',
  'testers cannot claim jobs');
select is(tests.try_as('anon', $$select public.claim_job(array['test_generate'], 'w', 60)$$), '42501',
  'anon cannot claim jobs');
select is(tests.try_as('service_role', $$select public.claim_job(array['test_generate'], '', 60)$$), 'PT400 invalid_claim',
  'a claim needs a worker name');

-- claiming
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-a', 60)$$) -> 0 ->> 'id',
  '00000000-0000-4000-b000-000000000002', 'the highest-priority queued job is claimed first');
select results_eq(
  $$select status::text, attempts, lease_owner, lease_expires_at > now() from public.background_jobs where id = '00000000-0000-4000-b000-000000000002'$$,
  $$values ('running', 1, 'worker-a', true)$$, 'the claimed job runs under a lease held by the worker');
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-b', 60)$$) -> 0 ->> 'id',
  '00000000-0000-4000-b000-000000000001', 'another worker gets the next job, never the same one');
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-c', 60)$$),
  '[]'::jsonb, 'nothing is left to claim of that type');

-- heartbeats and progress
select is(tests.run_as('service_role', $$select progress from public.heartbeat_job('00000000-0000-4000-b000-000000000002', 'worker-a', 40, 'halfway', 120)$$) -> 0 ->> 'progress',
  '40', 'a heartbeat records progress');
select is(tests.try_as('service_role', $$select public.heartbeat_job('00000000-0000-4000-b000-000000000002', 'worker-b', 50)$$),
  'PT409 lease_lost', 'only the lease holder sends heartbeats');
select is(tests.try_as('service_role', $$select public.heartbeat_job('00000000-0000-4000-b000-000000000002', 'worker-a', 101)$$),
  'PT400 invalid_progress', 'progress is a percentage');

-- failing with backoff
select tests.run_as('service_role', $$select public.fail_job('00000000-0000-4000-b000-000000000002', 'worker-a', 'timeout')$$);
select results_eq(
  $$select status::text, error, lease_owner, run_after = now() + interval '10 seconds' from public.background_jobs where id = '00000000-0000-4000-b000-000000000002'$$,
  $$values ('queued', 'timeout', null::text, true)$$, 'a failed attempt is queued again after the base backoff');
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-a', 60)$$),
  '[]'::jsonb, 'it is not claimed before its backoff has passed');
update public.background_jobs set run_after = now() - interval '1 second' where id = '00000000-0000-4000-b000-000000000002';
select is(tests.run_as('service_role', $$select attempts from public.claim_job(array['test_generate'], 'worker-a', 60)$$) -> 0 ->> 'attempts',
  '2', 'after the backoff it is claimed again (attempt 2)');
select tests.run_as('service_role', $$select public.fail_job('00000000-0000-4000-b000-000000000002', 'worker-a', 'timeout again')$$);
select results_eq(
  $$select status::text, completed_at is not null from public.background_jobs where id = '00000000-0000-4000-b000-000000000002'$$,
  $$values ('failed', true)$$, 'after max_attempts the job fails for good');

-- exponential: the second failure of a three-attempt job waits twice as long
select tests.run_as('service_role', $$select public.fail_job('00000000-0000-4000-b000-000000000001', 'worker-b', 'boom')$$);
update public.background_jobs set run_after = now() - interval '1 second' where id = '00000000-0000-4000-b000-000000000001';
select tests.run_as('service_role', $$select public.claim_job(array['test_generate'], 'worker-b', 60)$$);
select tests.run_as('service_role', $$select public.fail_job('00000000-0000-4000-b000-000000000001', 'worker-b', 'boom')$$);
select is((select run_after - now() from public.background_jobs where id = '00000000-0000-4000-b000-000000000001'),
  interval '20 seconds', 'the backoff doubles with each attempt');
select tests.run_as('service_role', $$select public.fail_job(id, 'worker-b', 'x', false) from public.claim_job(array['test_other'], 'worker-b', 60)$$);
select is((select status::text from public.background_jobs where id = '00000000-0000-4000-b000-000000000003'),
  'failed', 'a non-retryable failure fails at once');

-- lease expiry: another worker resumes the job
update public.background_jobs set run_after = now() - interval '1 second' where id = '00000000-0000-4000-b000-000000000001';
select tests.run_as('service_role', $$select public.claim_job(array['test_generate'], 'worker-b', 60)$$);
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-c', 60)$$),
  '[]'::jsonb, 'a job with a live lease is not claimed by another worker');
insert into public.background_jobs (id, job_type, max_attempts) values ('00000000-0000-4000-b000-000000000004', 'test_resume', 3);
select tests.run_as('service_role', $$select public.claim_job(array['test_resume'], 'worker-a', 60)$$);
update public.background_jobs set lease_expires_at = now() - interval '1 second' where id = '00000000-0000-4000-b000-000000000004';
select results_eq(
  $$select id::text, lease_owner, attempts from public.claim_job(array['test_resume'], 'worker-b', 60)$$,
  $$values ('00000000-0000-4000-b000-000000000004', 'worker-b', 2)$$,
  'after its lease expires, another worker claims the job (attempt 2)');
select is(tests.try_as('service_role', $$select public.complete_job('00000000-0000-4000-b000-000000000004', 'worker-a', '{}')$$),
  'PT409 lease_lost', 'the first worker has lost the job and cannot complete it');
select results_eq(
  $$select status::text, progress, result from public.complete_job('00000000-0000-4000-b000-000000000004', 'worker-b', '{"rows": 10}')$$,
  $$values ('completed', 100, '{"rows": 10}'::jsonb)$$, 'the new holder completes it');
select is(tests.try_as('service_role', $$select public.fail_job('00000000-0000-4000-b000-000000000004', 'worker-b', 'late')$$),
  'PT409 lease_lost', 'a completed job cannot fail');

-- a job whose lease expires on its last attempt fails instead of running again
update public.background_jobs set lease_expires_at = now() - interval '1 second', attempts = max_attempts
 where id = '00000000-0000-4000-b000-000000000001';
select is(tests.run_as('service_role', $$select id from public.claim_job(array['test_generate'], 'worker-c', 60)$$),
  '[]'::jsonb, 'an expired job out of attempts is not claimed');
select results_eq(
  $$select status::text, error like '%Lease of worker-b expired%' from public.background_jobs where id = '00000000-0000-4000-b000-000000000001'$$,
  $$values ('failed', true)$$, 'it fails, saying why');

-- cancelling
insert into public.background_jobs (id, job_type) values ('00000000-0000-4000-b000-000000000005', 'test_cancel');
select is(tests.run_as('service_role', $$select status from public.cancel_job('00000000-0000-4000-b000-000000000005')$$) -> 0 ->> 'status',
  'cancelled', 'a queued job can be cancelled');
select is(tests.try_as('service_role', $$select public.cancel_job('00000000-0000-4000-b000-000000000005')$$),
  'PT409 job_not_cancellable', 'once');

select * from finish();
rollback;
