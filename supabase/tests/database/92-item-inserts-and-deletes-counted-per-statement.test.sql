-- Items added or removed are counted once per statement (private.count_items_per_statement), and their role check
-- is remembered for one statement only (check_item_change): an insert of 500 items
-- or a deletion of 300 updates its version's counters once, the counters equal a recount after each, an allowed
-- statement lets no later one through, and every item table has the statement triggers and no per-row counter.
begin;
select plan(16);

select tests.create_profiling_fixture('upload_pgtapcountstmt');
select tests.create_item_table('counted_items', 'data_profiling');
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''

insert into tests.fixture_ids
select 'dv', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';

create function pg_temp.counters(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', item_count, tester_decided_count, owner_decided_count, approved_count, rejected_count)
    from public.artifact_versions where id = p_version
$$;
create function pg_temp.recount(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', count(*), count(tester_decision), count(report_owner_decision),
                count(*) filter (where item_status = 'approved'), count(*) filter (where item_status = 'rejected'))
    from tests.counted_items where version_id = p_version
$$;

-- an insert of 500 items ------------------------------------------------------------------------------------------------
select pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) as before_insert \gset
select is(tests.run_as(:t1, format($$insert into tests.counted_items (version_id, name)
  select %L, 'item ' || i from generate_series(1, 500) i$$, tests.id('dv'))),
  '500'::jsonb, 'the assigned tester adds 500 items in one statement');
select is(pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) - :before_insert, 1::bigint,
  'their version''s counters are updated once, not once per item');
select is(pg_temp.counters(tests.id('dv')::uuid), '500/0/0/0/0', 'and count the 500 items');

-- decided items added and removed: the decision and status counts follow -----------------------------------------------
select tests.run_as(:t1, format($$update tests.counted_items set tester_decision = 'approved'
  where version_id = %L and name in ('item 1', 'item 2', 'item 3')$$, tests.id('dv')));
select tests.run_as(:t1, format($$update tests.counted_items set tester_decision = 'rejected', tester_notes = 'no'
  where version_id = %L and name = 'item 4'$$, tests.id('dv')));
select is(pg_temp.counters(tests.id('dv')::uuid), '500/4/0/0/0', 'tester decisions are counted (the update path; a draft''s items stay pending)');

-- a deletion of 300 items, decided ones among them -----------------------------------------------------------------------
select pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) as before_delete \gset
select is(tests.run_as(:t1, format($$delete from tests.counted_items
  where version_id = %L and (name in ('item 1', 'item 4') or substr(name, 6)::integer > 202)$$, tests.id('dv'))),
  '300'::jsonb, 'the assigned tester deletes 300 items, two decided ones among them, in one statement');
select is(pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) - :before_delete, 1::bigint,
  'the version''s counters are updated once');
select is(pg_temp.counters(tests.id('dv')::uuid), '200/2/0/0/0', 'and lose the deleted items and their decisions');
select is(pg_temp.counters(tests.id('dv')::uuid), pg_temp.recount(tests.id('dv')::uuid), 'which equals a recount');

-- a refused insert counts nothing: the statement is rolled back with its counts -----------------------------------------
select is(tests.try_as('owner1@test.local', format($$insert into tests.counted_items (version_id, name)
  select %L, 'owner item ' || i from generate_series(1, 10) i$$, tests.id('dv'))) is not null, true,
  'the report owner cannot add items to the draft');
select is(pg_temp.counters(tests.id('dv')::uuid), '200/2/0/0/0', 'and the counters are unchanged');

-- the role check is remembered for one statement only (private.check_item_change, forget_item_change_checks) ----------
select tests.run_as(:t1, format($$insert into tests.counted_items (version_id, name) values (%L, 'checked once')$$, tests.id('dv')));
select is(tests.try_as('owner1@test.local', format($$insert into tests.counted_items (version_id, name)
  select %L, 'after the tester ' || i from generate_series(1, 5) i$$, tests.id('dv'))), 'PT403 item_edit_requires_tester',
  'the tester''s allowed statement lets no later statement of the owner''s through');
delete from public.cycle_report_testers where cycle_report_id = tests.id('cr1')::bigint and tester_id = (select id from public.profiles where email = 'tester1@test.local');
select is(tests.try_as(:t1, format($$insert into tests.counted_items (version_id, name) values (%L, 'unassigned')$$, tests.id('dv'))),
  'PT403 item_edit_requires_tester', 'a tester unassigned since their last statement is refused at the next one');
select is(pg_temp.counters(tests.id('dv')::uuid), '201/2/0/0/0', 'and nothing of either was written');

-- every item table: the statement triggers, no per-row counter ---------------------------------------------------------
select is(
  (select count(*)::integer from private.versioned_item_tables t
    where (select count(*) from pg_catalog.pg_trigger g
            where g.tgrelid = t.table_name and g.tgname in ('count_inserted_items', 'count_deleted_items')
              and g.tgfoid = 'private.count_items_per_statement'::regproc and (g.tgtype & 1) = 0) = 2),
  (select count(*)::integer from private.versioned_item_tables),
  'every registered item table counts inserts and deletes once per statement');
select is(
  (select count(*)::integer from pg_catalog.pg_trigger g where g.tgname = 'count_versioned_item'),
  0, 'no item table counts per row any more');
select ok(
  (select count(*) from private.versioned_item_tables) >= 9,
  'the item tables of every phase are registered (planning, profiling, scoping, sampling, testing, report)');

select * from finish();
rollback;
