-- Known answers of every selection method on a fixed population and seed with generator version 1, which a tester
-- still chooses with parameters.generator (the expected keys were computed outside the database from the documented
-- generator: md5 ranks, byte order of keys, seeded starts; version 2 has its own file, 75), the
-- sample-size calculator, stratified allocations, monetary-unit picks proportional to amounts over many seeds,
-- the recorded selection, the samples' columns and masking, and the refusals of run_sample_selection.
begin;
select plan(45);

-- Population: K01..K20, amount = 10 × i, region A (i divisible by 3), B (i mod 3 = 1), C (i mod 3 = 2).
select tests.create_sampling_fixture('upload_pgtapmethods', true);
insert into source_data.upload_pgtapmethods
select 'K' || lpad(i::text, 2, '0'), i * 10, substr('ABC', i % 3 + 1, 1), 'TAX-' || i, 'note ' || i from generate_series(1, 20) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

create function pg_temp.run(p_method text, p_size jsonb, p_parameters jsonb default '{}', p_filter jsonb default '[]', p_amount text default 'amount', p_seed text default 'kat')
returns text[]
language sql
as $$
  select array(select jsonb_array_elements_text(tests.run_as('tester1@test.local', format(
    'select (public.run_sample_selection(%L, %L, %L, %L, %L, %L, %L, %L, %L)).drawn_keys',
    tests.id('sv1'), tests.id('source'), 'loan_id', p_method, p_size, p_parameters || '{"generator": "regtest-sampling/1 md5-keyed"}', p_filter, p_amount, p_seed)) -> 0 -> 'drawn_keys'))
$$;
create function pg_temp.refusal(p_method text, p_size jsonb, p_parameters jsonb default '{}', p_filter jsonb default '[]', p_amount text default 'amount', p_key text default 'loan_id', p_source text default null)
returns text
language sql
as $$
  select tests.try_as('tester1@test.local', format(
    'select public.run_sample_selection(%L, %L, %L, %L, %L, %L, %L, %L, %L)',
    tests.id('sv1'), coalesce(p_source, tests.id('source')), p_key, p_method, p_size, p_parameters, p_filter, p_amount, 'kat'))
$$;

-- The calculator --------------------------------------------------------------------------------------------------
select is(public.attribute_sample_size(0.95, 0.05, 0), 59, '95% confidence, 5% tolerable, 0 expected: 59 samples');
select is(public.attribute_sample_size(0.90, 0.10, 0), 22, '90% confidence, 10% tolerable, 0 expected: 22 samples');
select is(public.attribute_sample_size(0.95, 0.05, 1), 93, '95%, 5%, 1 expected deviation: 93 (the AICPA table)');
select is(public.attribute_sample_size(0.99, 0.01, 0), 459, '99%, 1%, 0 expected: 459');
select is(tests.try_as('tester1@test.local', 'do $d$ begin perform public.attribute_sample_size(95, 5, 0); end $d$'), 'PT400 invalid_sample_size_inputs',
  'inputs are fractions: 95 is refused');

-- simple random ----------------------------------------------------------------------------------------------------
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  array['K14', 'K11', 'K20', 'K02', 'K18'], 'simple random, seed kat, 5 of 20: the five smallest md5(seed:key)');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  array['K14', 'K11', 'K20', 'K02', 'K18'], 'the same seed draws the same keys again');
select isnt(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}', p_seed => 'other'),
  array['K14', 'K11', 'K20', 'K02', 'K18'], 'another seed draws other keys');
select is((select (method, sample_size, size_basis, size_inputs, seed, generator_version, population_row_count, population_amount_sum, key_column, amount_column)::text
             from public.sample_selections where version_id = tests.id('sv1')::uuid),
  ('simple_random', 5, 'tester_set', '{"size": 5, "reason": "known answer"}'::jsonb, 'other', 'regtest-sampling/1 md5-keyed', 20, 2100, 'loan_id', 'amount')::text,
  'the selection is recorded with the version: method, size with its reason, seed, generator, population snapshot');
select is((select population_key_hash from public.sample_selections where version_id = tests.id('sv1')::uuid),
  (select sum(('x' || substr(md5(loan_id), 1, 15))::bit(60)::bigint::numeric)::text from source_data.upload_pgtapmethods),
  'the key hash is the sum of the first 15 hex digits of md5(key) over the rows');
select is((select count(*)::integer from public.sample_decisions where version_id = tests.id('sv1')::uuid), 5,
  'a new run replaces the draft''s previous draw: 5 samples');
select is(pg_temp.refusal('simple_random', '{"basis": "calculator", "confidence": 0.90, "tolerable_rate": 0.10}'),
  'PT409 population_too_small', '22 samples cannot be drawn from 20 rows (PT409 population_too_small)');

-- the samples' columns: the key and the in-scope attributes' columns, masked ---------------------------------------
select is(cardinality(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}')), 5, 'back to seed kat');
select is((select public.masked_sample_data(s) from public.sample_decisions s where version_id = tests.id('sv1')::uuid and sample_key = 'K14'),
  '{"loan_id": "K14", "amount": 140, "region": "C", "tax_id": "***"}'::jsonb,
  'a sample holds the key and the attributes'' columns, the confidential tax id masked, the unread note left out');
select is((select (recommendation_source, recommended_by::text, selection_order, selection_reason)::text from public.sample_decisions
            where version_id = tests.id('sv1')::uuid and sample_key = 'K14'),
  ('tester', tests.id('t1'), 1, 'simple random: rank 1 of 20')::text, 'drawn samples are the tester''s, in draw order, with the reason');

-- systematic -------------------------------------------------------------------------------------------------------
select is(pg_temp.run('systematic', '{"basis": "tester_set", "size": 4, "reason": "known answer"}'),
  array['K03', 'K08', 'K13', 'K18'], 'systematic, 4 of 20: every 5th key in byte order from the seeded start 2.775…');

-- stratified -------------------------------------------------------------------------------------------------------
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 6, "reason": "known answer"}', '{"stratum_column": "region", "allocation": "proportional"}'),
  array['K18', 'K12', 'K01', 'K16', 'K14', 'K11'], 'stratified proportional, 6 of 20: the smallest ranks in each stratum');
select is((select strata from public.sample_selections where version_id = tests.id('sv1')::uuid),
  '[{"stratum": "A", "population": 6, "allocated": 2}, {"stratum": "B", "population": 7, "allocated": 2}, {"stratum": "C", "population": 7, "allocated": 2}]'::jsonb,
  'the strata are recorded: 1.8, 2.1, 2.1 become 2, 2, 2 by largest remainder');
select is((select array_agg(stratum order by selection_order) from public.sample_decisions where version_id = tests.id('sv1')::uuid),
  array['A', 'A', 'B', 'B', 'C', 'C'], 'each sample names its stratum');
select is((select count(*)::integer from public.sample_selections s cross join generate_series(1, 19) n
            where s.version_id = tests.id('sv1')::uuid
              and (select sum((e ->> 'allocated')::integer) from jsonb_array_elements(private.stratum_allocation(
                     jsonb_populate_record(s, jsonb_build_object('sample_size', n)))) e) = n),
  19, 'proportional allocations sum to the sample size for every size from 1 to 19');
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 6, "reason": "known answer"}', '{"stratum_column": "region", "allocation": "fixed", "sizes": {"A": 1, "C": 3}}'),
  array['K18', 'K14', 'K11', 'K20'], 'fixed allocation: 1 from A, none from B, 3 from C (same ranks)');
select is((select sample_size from public.sample_selections where version_id = tests.id('sv1')::uuid), 4,
  'a fixed allocation''s size is the sum of its strata');
select is(pg_temp.refusal('stratified', '{"basis": "tester_set", "size": 6, "reason": "x"}', '{"stratum_column": "region", "allocation": "fixed", "sizes": {"A": 7}}'),
  'PT409 population_too_small', 'a stratum smaller than its fixed size is refused');
select is(pg_temp.refusal('stratified', '{"basis": "tester_set", "size": 6, "reason": "x"}', '{"stratum_column": "colour"}'),
  'PT400 unknown_population_column', 'a stratum column the population lacks is refused');

-- monetary unit ----------------------------------------------------------------------------------------------------
select is(pg_temp.run('monetary_unit', '{"basis": "tester_set", "size": 4, "reason": "known answer"}'),
  array['K09', 'K13', 'K17', 'K20'], 'monetary unit, 4 of 2100 units: interval 525 from the seeded start 363.1, keys in byte order');
select is(pg_temp.refusal('monetary_unit', '{"basis": "tester_set", "size": 4, "reason": "x"}', p_amount => null),
  'PT400 amount_column_required', 'monetary-unit sampling needs an amount column');
-- Over 400 seeds, each row is picked about (amount / 525) × 400 times (every amount is below the interval).
create temporary table mus_counts as
select d.sample_key, count(*)::numeric as picks, max(p.amount) as amount
  from public.sample_selections s
  cross join generate_series(1, 400) g
  cross join lateral private.draw_samples(jsonb_populate_record(s, jsonb_build_object('seed', 'mus-' || g))) d
  join source_data.upload_pgtapmethods p on p.loan_id = d.sample_key
 where s.version_id = tests.id('sv1')::uuid
 group by d.sample_key;
select is((select sum(picks)::integer from mus_counts), 1600, 'each of the 400 draws picks 4 rows');
select ok((select bool_and(abs(picks - amount / 525 * 400) <= 4 * sqrt(400 * (amount / 525) * (1 - amount / 525)) + 2) from mus_counts),
  'every row''s picks are within four standard deviations of its share of the amounts');
select ok((select corr(picks, amount) > 0.98 from mus_counts), 'picks are proportional to amounts (correlation above 0.98)');

-- targeted ---------------------------------------------------------------------------------------------------------
select is(pg_temp.run('targeted', null, jsonb_build_object('rule_ids', jsonb_build_array(tests.id('rule Amount at most 150')))),
  array['K20', 'K18', 'K16', 'K17', 'K19'], 'targeted: every row that failed the amount rule (amount above 150), in rank order');
select is((select sample_size from public.sample_selections where version_id = tests.id('sv1')::uuid), 5, 'its size is the number of exceptions');
select is(pg_temp.refusal('targeted', null, jsonb_build_array(tests.id('rule Amount at most 150'))),
  'PT400 invalid_sampling_parameters', 'parameters are an object: {rule_ids: [...]}');
select is(pg_temp.run('targeted', '{"basis": "tester_set", "size": 3, "reason": "the three riskiest"}',
    jsonb_build_object('rule_ids', jsonb_build_array(tests.id('rule Amount at most 150'), tests.id('rule Region not C')))),
  array['K14', 'K11', 'K20'], 'targeted on two rules with a size: the three smallest ranks of the rows failing either');
select is((select selection_reason from public.sample_decisions where version_id = tests.id('sv1')::uuid and sample_key = 'K20'),
  'targeted: failed Amount at most 150, Region not C', 'a targeted sample names the rules it failed');
select is(pg_temp.refusal('targeted', null, jsonb_build_object('rule_ids', jsonb_build_array(extensions.gen_random_uuid()))),
  'PT409 rule_not_in_approved_run', 'a rule outside the approved profiling run is refused');

-- judgmental -------------------------------------------------------------------------------------------------------
select is(pg_temp.run('judgmental', null, '{"picks": [{"key": "K07", "reason": "largest exposure in the region"}, {"key": "K02", "reason": "new customer"}]}'),
  array['K07', 'K02'], 'judgmental: the keys picked by hand, in the order given');
select is((select selection_reason from public.sample_decisions where version_id = tests.id('sv1')::uuid and sample_key = 'K02'),
  'judgmental: new customer', 'each with its reason');
select is(pg_temp.refusal('judgmental', null, '{"picks": [{"key": "K99", "reason": "x"}]}'),
  'PT409 sample_not_in_population', 'a key outside the population is refused');
select is(pg_temp.refusal('judgmental', null, '{"picks": [{"key": "K01"}]}'),
  'PT400 invalid_sampling_parameters', 'a pick without a reason is refused');

-- filter -----------------------------------------------------------------------------------------------------------
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}', p_filter => '[{"column": "region", "op": "eq", "value": "A"}, {"column": "amount", "op": "gte", "value": 90}]'),
  array['K18', 'K12', 'K09'], 'a filter narrows the population (region A, amount at least 90)');
select is((select population_row_count from public.sample_selections where version_id = tests.id('sv1')::uuid), 4::bigint,
  'the snapshot counts the filtered population');
select is(pg_temp.refusal('simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}', p_filter => '[{"column": "region", "op": "like", "value": "A%"}]'),
  'PT400 invalid_population_filter', 'an unknown filter operator is refused');

-- other refusals ---------------------------------------------------------------------------------------------------
select is(pg_temp.refusal('simple_random', '{"basis": "tester_set", "size": 3}'), 'PT400 sample_size_reason_required',
  'a size set by the tester needs a reason');
select is(pg_temp.refusal('cluster', '{"basis": "tester_set", "size": 3, "reason": "x"}'), 'PT400 invalid_sampling_method',
  'an unknown method is refused');
select is(tests.try_as('owner1@test.local', format($$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}')$$,
    tests.id('sv1'), tests.id('source'))),
  'PT403 sample_selection_requires_tester', 'the report owner does not draw samples');

select * from finish();
rollback;
