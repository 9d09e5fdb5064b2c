-- Every registered item table counts a bulk decision once per statement, including tables registered after
-- bulk counting arrived (sample decisions) and tables attached from now on.
begin;
select plan(3);

select is(
  (select coalesce(array_agg(t.table_name::text order by t.table_name::text), '{}') from private.versioned_item_tables t
    where not exists (select 1 from pg_catalog.pg_trigger g where g.tgrelid = t.table_name and g.tgname = 'count_bulk_decisions')),
  '{}'::text[], 'every registered item table has the once-per-statement counting');
select has_trigger('public', 'sample_decisions', 'count_bulk_decisions', 'sample decisions are counted once per bulk decision');

select tests.create_fixture();
select tests.create_item_table('later_items', 'sample_selection');
select has_trigger('tests', 'later_items', 'count_bulk_decisions', 'a table attached from now on gets it when registered');

select * from finish();
rollback;
