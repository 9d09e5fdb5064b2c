-- Segregation of duties holds on the item tables later phases registered (here the samples of sample selection):
-- the tester of a sample, later made the report's owner, can neither record its owner decision nor approve the
-- version. And every registered item table, present or future, carries the segregation triggers.
begin;
select plan(5);

select tests.create_sampling_fixture('upload_t50l');
\set t1 '''tester1@test.local'''
\set t3 '''tester3@test.local'''
insert into tests.fixture_ids values ('t3', tests.create_user('tester3@test.local', 'tester'));
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t3')::uuid);

insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason, tester_decision)
  values (%1$L, 'L0001', 1, 'random', 'approved'), (%1$L, 'L0002', 2, 'random', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t3, format($$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason, tester_decision)
  values (%L, 'L0003', 3, 'random', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t3, format('select public.submit_version(%L)', tests.id('sv1')));

-- acting as tester1, who left the cycle report and now owns its report -------------------------------------------
delete from public.cycle_report_testers where tester_id = tests.id('t1')::uuid;
update public.profiles set app_role = 'report_owner' where id = tests.id('t1')::uuid;
update public.reports set owner_id = tests.id('t1')::uuid where id = tests.id('report_a')::bigint;
select is(tests.try_as(:t1, format($$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L and sample_key = 'L0001'$$, tests.id('sv1'))),
  'PT403 owner_decision_by_item_tester', 'the tester of a sample cannot record its owner decision after a role change');
select is(tests.try_as(:t1, format($$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L and sample_key = 'L0003'$$, tests.id('sv1'))),
  'rows 1', 'they decide a sample someone else tested');
select tests.run_as(:t1, format($$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L and sample_key = 'L0003'$$, tests.id('sv1')));
select tests.run_as('admin@test.local', format($$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L and sample_key <> 'L0003'$$, tests.id('sv1')));
select is(tests.try_as(:t1, format('select public.approve_version(%L)', tests.id('sv1'))),
  'PT403 approver_made_tester_decisions', 'nor approve the version in which they recorded tester decisions');

-- structure -----------------------------------------------------------------------------------------------------
select is(
  (select coalesce(array_agg(v.table_name::text order by v.table_name::text), '{}')
     from private.versioned_item_tables v
    where (select count(*) from pg_trigger t
            where t.tgrelid = v.table_name and not t.tgisinternal
              and t.tgname in ('segregate_item_updates', 'record_tester_decider_on_insert')) <> 2),
  '{}', 'every registered item table carries the segregation triggers');
select tests.create_item_table('sod_later_items', 'sample_selection');
select is(
  (select count(*)::int from pg_trigger t
    where t.tgrelid = 'tests.sod_later_items'::regclass
      and t.tgname in ('segregate_item_updates', 'record_tester_decider_on_insert')),
  2, 'and a table registered later gets them on registration');

select * from finish();
rollback;
