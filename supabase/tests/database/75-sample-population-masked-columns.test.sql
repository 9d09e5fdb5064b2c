-- A masked column (classified confidential or restricted, or personal data) cannot choose, filter, order or sum a
-- sample's population: its values would leave the database through the samples' keys and strata, the population's
-- count and amount (in the selection, and in the refusal "the population has N rows"), one guess at a time.
begin;
select plan(8);

select tests.create_sampling_fixture('upload_t75');
insert into source_data.upload_t75
select 'K' || lpad(i::text, 2, '0'), i * 10, substr('ABC', i % 3 + 1, 1), 'TAX-' || i, 'note ' || i from generate_series(1, 20) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

create function pg_temp.try(p_key text, p_method text, p_parameters jsonb, p_filter jsonb, p_amount text)
returns text
language sql
as $$
  select tests.try_as('tester1@test.local', format(
    'select public.run_sample_selection(%L, %L, %L, %L, %L, %L, %L, %L, %L)',
    tests.id('sv1'), tests.id('source'), p_key, p_method, '{"basis": "tester_set", "size": 2, "reason": "x"}', p_parameters, p_filter, p_amount, 'seed'))
$$;

-- tax_id is read by 'Tax id', classified confidential.
select is(pg_temp.try('loan_id', 'simple_random', '{}', '[{"column": "tax_id", "op": "eq", "value": "TAX-7"}]', null),
  'PT403 masked_population_column', 'a filter on a masked column is refused (it would count the rows holding a guessed value)');
select is(pg_temp.try('loan_id', 'simple_random', '{}', '[{"column": "tax_id", "op": "gte", "value": "TAX-5"}]', null),
  'PT403 masked_population_column', 'also by range (a binary search on its values)');
select is(pg_temp.try('loan_id', 'simple_random', '{}', '[{"column": "tax_id", "op": "not_null"}]', null),
  'PT403 masked_population_column', 'and by presence');
select is(pg_temp.try('tax_id', 'simple_random', '{}', '[]', null),
  'PT403 masked_population_column', 'a masked column is not a key (sample keys are shown as they are)');
select is(pg_temp.try('loan_id', 'stratified', '{"stratum_column": "tax_id"}', '[]', null),
  'PT403 masked_population_column', 'nor a stratum column (strata are labelled with its values)');
select is(pg_temp.try('loan_id', 'monetary_unit', '{}', '[]', 'tax_id'),
  'PT403 masked_population_column', 'nor an amount column (its sum is recorded)');
select is(pg_temp.try('loan_id', 'simple_random', '{}', '[{"column": "region", "op": "eq", "value": "A"}]', null),
  'rows 1', 'a column that is not masked filters the population');
select is(tests.try_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 30, "reason": "x"}', '{}', '[{"column": "tax_id", "op": "eq", "value": "TAX-7"}]')$$,
  tests.id('sv1'), tests.id('source'))),
  'PT403 masked_population_column', 'refused before the population is counted, so no refusal names its size');

select * from finish();
rollback;
