-- The audit trail is tamper-evident: rows are chained by hash, and verify_audit_log() reports the first broken
-- link after postgres rewrites or removes rows with the triggers switched off (session_replication_role =
-- replica), and a version whose status changed without an audit row.
begin;
select plan(20);
-- Rows are chained when their transaction commits; this test never commits, so it chains them at each statement.
set constraints all immediate;

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

-- an approved version, made through the API as the tester and the owner
select tests.create_item_table('chain_items', 'planning');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.chain_items (version_id, name, tester_decision) values ('%s', 'a', 'approved')$$, tests.id('v1')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1')));
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('v1')));

-- the chain ----------------------------------------------------------------------------------------------------
select is(
  (select count(*)::int from (
     select chain_seq - lag(chain_seq) over (order by chain_seq) as step,
            prev_hash is not distinct from lag(row_hash) over (order by chain_seq) as linked
       from public.audit_log) c
    where c.step is not null and (c.step <> 1 or not c.linked)),
  0, 'every audit row follows the one before it in the chain and carries its hash');
select ok(
  (select bool_and(row_hash = private.audit_row_hash(prev_hash, a)) from public.audit_log a),
  'each row''s hash covers its content and the previous hash');

-- who may verify -------------------------------------------------------------------------------------------------
select is((public.verify_audit_log() ->> 'ok')::boolean, true, 'the untouched log verifies (as the Studio operator)');
select is((tests.run_as(:admin, 'select public.verify_audit_log() as v') -> 0 -> 'v' ->> 'ok')::boolean, true,
  'an admin verifies the log');
select is(tests.try_as(:t1, 'select count(*) from public.verify_audit_log()'), 'PT403 audit_verification_requires_admin',
  'a tester cannot');
select is(tests.try_as(:o1, 'select count(*) from public.verify_audit_log()'), 'PT403 audit_verification_requires_admin',
  'a report owner cannot');
select is(tests.try_as('anon', 'select count(*) from public.verify_audit_log()'), '42501', 'anon cannot call it');

-- tampering as postgres with the triggers off ---------------------------------------------------------------------
create temp table tampered (chain_seq bigint);
insert into tampered
select chain_seq from public.audit_log
 where table_name = 'public.artifact_versions' and row_id = tests.id('v1') and new_values ->> 'version_status' = 'approved';

-- Each tampering runs as postgres with the triggers off, is verified, and is undone.
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

create temp table verdicts (name text primary key, verdict jsonb);
insert into verdicts values
  ('rewrite', pg_temp.verdict_after($$update public.audit_log set actor_role = 'someone else'
                                       where chain_seq = (select chain_seq from tampered)$$)),
  ('remove', pg_temp.verdict_after($$delete from public.audit_log where chain_seq = (select chain_seq from tampered)$$)),
  ('remove last', pg_temp.verdict_after($$delete from public.audit_log
                                           where chain_seq = (select max(chain_seq) from public.audit_log)$$)),
  ('forge', pg_temp.verdict_after($$
     update public.audit_log set new_values = new_values || '{"version_status": "draft"}'
      where chain_seq = (select chain_seq from tampered);
     update public.audit_log a set row_hash = private.audit_row_hash(a.prev_hash, a)
      where a.chain_seq = (select chain_seq from tampered)$$)),
  ('back to draft', pg_temp.verdict_after($$update public.artifact_versions set version_status = 'draft'
                                             where id = '$$ || tests.id('v1') || $$'$$)),
  -- (as written by another transaction: the verifier's own rows are chained when it commits)
  ('forged row', pg_temp.verdict_after($$insert into public.audit_log (actor_role, table_name, row_id, operation, new_values, transaction_id)
                                          values ('postgres', 'public.artifact_versions', 'x', 'INSERT', '{}', 1)$$));
create function pg_temp.verdict(p_name text) returns jsonb language sql as $$ select verdict from verdicts where name = p_name $$;

select is(pg_temp.verdict('rewrite') -> 'first_broken' ->> 'reason', 'row_changed', 'a rewritten row is reported');
select is((pg_temp.verdict('rewrite') -> 'first_broken' ->> 'chain_seq')::bigint, (select chain_seq from tampered),
  'at its position');
select is((pg_temp.verdict('rewrite') ->> 'ok')::boolean, false, 'and the log does not verify');
select is(pg_temp.verdict('remove') -> 'first_broken' ->> 'reason', 'row_missing', 'a removed row is reported');
select is((pg_temp.verdict('remove') -> 'first_broken' ->> 'chain_seq')::bigint, (select chain_seq + 1 from tampered),
  'at the row after the gap');
select is(pg_temp.verdict('remove last') -> 'first_broken' ->> 'reason', 'rows_missing_at_end',
  'a removed last row is reported');
select is(pg_temp.verdict('forge') -> 'first_broken' ->> 'reason', 'link_broken',
  'a row whose hash was recomputed after a rewrite breaks the next link');
select is(pg_temp.verdict('back to draft') -> 'first_broken', 'null'::jsonb,
  'a change made with the triggers off leaves the chain whole');
select is(pg_temp.verdict('back to draft') -> 'unexplained_version' ->> 'version_id', tests.id('v1'),
  'but the approved version set back to draft without an audit row is reported');
select is((pg_temp.verdict('back to draft') ->> 'ok')::boolean, false, 'and the log does not verify');
select is(pg_temp.verdict('forged row') -> 'first_broken' ->> 'reason', 'row_unchained',
  'a row inserted with the triggers off has no link and is reported');
select is(tests.try_as('postgres', $$update public.audit_log set chain_seq = null, row_hash = null
                                      where chain_seq = (select max(chain_seq) from public.audit_log)$$),
  'PT403 audit_log_immutable', 'nobody can take a row out of the chain with the triggers on');
select is((public.verify_audit_log() ->> 'ok')::boolean, true, 'once undone, the log verifies again');

select * from finish();
rollback;
