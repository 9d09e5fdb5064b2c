-- The cost of one item decision does not depend on the version's size: the version's counters change by the
-- item's delta in one row update, and the item table is not read beyond the decided item (no recount).
-- Measured with this transaction's own table statistics (pg_stat_get_xact_*), on a throwaway item table of a
-- draft with 2,000 items; then the same measure is shown to catch a recount.
begin;
select plan(7);

select tests.create_fixture();
select tests.create_item_table('cost_items', 'planning');
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'v', id::text from public.create_version(tests.phase('planning1'));
insert into tests.cost_items (version_id, name) select tests.id('v')::uuid, 'item ' || n from generate_series(1, 2000) n;
analyze tests.cost_items;
insert into tests.fixture_ids select 'item', id::text from tests.cost_items where name = 'item 1000';
insert into tests.fixture_ids select 'other_item', id::text from tests.cost_items where name = 'item 1001';

-- What this transaction has done so far to the versions and to the item table (its indexes included).
create function tests.decision_cost_counters()
returns jsonb
language sql
as $$
  select jsonb_build_object(
    'versions_updated', pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass),
    'items_updated', pg_stat_get_xact_tuples_updated('tests.cost_items'::regclass),
    'item_seq_scans', pg_stat_get_xact_numscans('tests.cost_items'::regclass),
    'item_rows_read', pg_stat_get_xact_tuples_returned('tests.cost_items'::regclass)
      + (select coalesce(sum(pg_stat_get_xact_tuples_returned(i.indexrelid)), 0)
           from pg_index i where i.indrelid = 'tests.cost_items'::regclass))
$$;
create function tests.decision_cost_since(p_mark text)
returns jsonb
language sql
as $$
  select jsonb_object_agg(n.key, n.value::bigint - (b.counters ->> n.key)::bigint)
    from (select tests.id(p_mark)::jsonb as counters) b, jsonb_each_text(tests.decision_cost_counters()) n
$$;

-- one tester decision ------------------------------------------------------------------------------------------
insert into tests.fixture_ids select 'before', tests.decision_cost_counters()::text;
select tests.run_as('tester1@test.local',
  format($$update tests.cost_items set tester_decision = 'approved' where id = %L$$, tests.id('item')));
select is((tests.decision_cost_since('before') ->> 'versions_updated')::int, 1,
  'one decision updates exactly one artifact_versions row');
select is((tests.decision_cost_since('before') ->> 'items_updated')::int, 1,
  'and the one item');
select is((tests.decision_cost_since('before') ->> 'item_seq_scans')::int, 0,
  'without a sequential scan of the item table');
select is((tests.decision_cost_since('before') ->> 'item_rows_read')::int, 1,
  'reading only the decided item (its index entry), in a version of 2,000 items');
select results_eq(
  format($$select item_count, tester_decided_count, approved_count, pending_count from public.artifact_versions where id = %L$$, tests.id('v')),
  $$values (2000, 1, 1, 1999)$$,
  'the counters are right after the decision');

-- the measure catches a recount --------------------------------------------------------------------------------
-- Swap in (for this transaction only) a counter that recounts the version's items on every change. Updates are
-- counted once per statement (private.count_bulk_decisions), so that is the one swapped.
create or replace function private.count_bulk_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.artifact_versions v
     set item_count = (select count(*) from tests.cost_items i where i.version_id = v.id),
         tester_decided_count = (select count(tester_decision) from tests.cost_items i where i.version_id = v.id),
         approved_count = (select count(*) from tests.cost_items i where i.version_id = v.id and i.item_status = 'approved')
   where v.id in (select n.version_id from new_rows n);
  return null;
end;
$$;
insert into tests.fixture_ids select 'before_recount', tests.decision_cost_counters()::text;
select tests.run_as('tester1@test.local',
  format($$update tests.cost_items set tester_decision = 'approved' where id = %L$$, tests.id('other_item')));
select is((tests.decision_cost_since('before_recount') ->> 'versions_updated')::int, 1,
  'a recount also updates one version row');
select cmp_ok((tests.decision_cost_since('before_recount') ->> 'item_rows_read')::int, '>=', 2000,
  'but reads every item of the version, which the test above refuses');

select * from finish();
rollback;
