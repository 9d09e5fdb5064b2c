-- verify_audit_log cross-checks the lifecycle states of the later phases too: a phase, a request or an observation
-- whose status was changed with the triggers off (so no audit row, and no broken link) is reported, as an approved
-- version set back to draft is (19-audit-chain).
begin;
select plan(9);

select tests.create_observation_fixture('upload_t19s');
insert into tests.fixture_ids
select 'ob1', tests.run_as('tester1@test.local', format('select id from public.propose_observations(%s)', tests.id('cr1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format($$select public.move_observation(%L, 'open', 'Raised')$$, tests.id('ob1')));

create function pg_temp.verdict_after(p_tampering text)
returns jsonb
language plpgsql
as $$
declare
  v_verdict jsonb;
begin
  begin
    perform set_config('session_replication_role', 'replica', true);
    execute p_tampering;
    perform set_config('session_replication_role', 'origin', true);
    v_verdict := public.verify_audit_log();
    raise exception using errcode = 'TSRB0';
  exception when sqlstate 'TSRB0' then null;
  end;
  return v_verdict;
end;
$$;

select is(public.verify_audit_log() -> 'unexplained_status', 'null'::jsonb,
  'untouched, every phase, request and observation has the status its audit rows recorded');

create temp table verdicts (name text primary key, verdict jsonb);
insert into verdicts values
  ('phase reopened', pg_temp.verdict_after(format($$update public.workflow_phases set status = 'in_progress', completed_at = null
                                                    where id = %s$$, tests.phase('test_execution1')))),
  ('observation closed', pg_temp.verdict_after(format($$update public.observations set status = 'closed' where id = %L$$,
                                                        tests.id('ob1'))));
create function pg_temp.verdict(p_name text) returns jsonb language sql as $$ select verdict from verdicts where name = p_name $$;

select is(pg_temp.verdict('phase reopened') -> 'first_broken', 'null'::jsonb,
  'a completed phase set back in progress with the triggers off leaves the chain whole');
select is(pg_temp.verdict('phase reopened') -> 'unexplained_status' ->> 'table_name', 'public.workflow_phases',
  'but it is reported');
select is(pg_temp.verdict('phase reopened') -> 'unexplained_status' ->> 'row_id', tests.phase('test_execution1')::text,
  'naming the phase');
select is(pg_temp.verdict('phase reopened') -> 'unexplained_status' ->> 'audited_status', 'completed',
  'and the status the audit log last recorded');
select is((pg_temp.verdict('phase reopened') ->> 'ok')::boolean, false, 'and the log does not verify');
select is(pg_temp.verdict('observation closed') -> 'unexplained_status' ->> 'row_id', tests.id('ob1'),
  'an observation closed with the triggers off is reported');
select is(pg_temp.verdict('observation closed') -> 'unexplained_status' ->> 'message',
  format('public.observations %s is closed, but the audit log last recorded it as open: it was changed without an audit row.', tests.id('ob1')),
  'with a message the admin reads');
select is((public.verify_audit_log() ->> 'ok')::boolean and public.verify_audit_log() -> 'unexplained_status' = 'null'::jsonb, true,
  'once undone, the log verifies again');

select * from finish();
rollback;
