-- Generator version 2 (decision 030): known answers on a fixed population and seed, recomputed here from the
-- documented formula (rank = hashtextextended(key, first 16 hex digits of md5(seed)), ties by key in byte order);
-- the same seed draws the same samples and re-performs identically, another seed draws others; the snapshot's key
-- hash is the sum of the ranks and detects a changed key, amount or row; a draw short of candidates sorts every row
-- and gets the same samples; version 1 is still chosen, recorded and re-performed identically; unknown generators are
-- refused. The draws here take snapshot version 1 (counted in the draw's own scan, the key hash the sum of the ranks),
-- as every selection of version 2 drawn before snapshot version 2 (decision 036) did, so they still re-perform so;
-- snapshot version 2 has its own file, 76.
begin;
select plan(24);

-- Population: K01..K20, amount = 10 × i, region A (i divisible by 3), B (i mod 3 = 1), C (i mod 3 = 2).
select tests.create_sampling_fixture('upload_pgtapv2');
insert into source_data.upload_pgtapv2
select 'K' || lpad(i::text, 2, '0'), i * 10, substr('ABC', i % 3 + 1, 1), 'TAX-' || i, 'note ' || i from generate_series(1, 20) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

create function pg_temp.run(p_method text, p_size jsonb, p_parameters jsonb default '{}', p_seed text default 'kat')
returns text[]
language sql
as $$
  select array(select jsonb_array_elements_text(tests.run_as('tester1@test.local', format(
    'select (public.run_sample_selection(%L, %L, %L, %L, %L, %L, %L, %L, %L)).drawn_keys',
    tests.id('sv1'), tests.id('source'), 'loan_id', p_method, p_size,
    '{"snapshot": "regtest-snapshot/1 counted in the draw"}'::jsonb || p_parameters, '[]', 'amount', p_seed)) -> 0 -> 'drawn_keys'))
$$;
create function pg_temp.reperform()
returns jsonb
language sql
as $$ select tests.run_as('tester1@test.local', format('select public.reperform_sample_selection(%L) as r', tests.id('sv1'))) -> 0 -> 'r' $$;
create function pg_temp.selection()
returns public.sample_selections
language sql
as $$ select * from public.sample_selections where version_id = tests.id('sv1')::uuid $$;
-- The documented rank, written out here independently of the generator's code.
create function pg_temp.rank(p_key text, p_seed text)
returns bigint
language sql
as $$ select hashtextextended(p_key collate "C", ('x' || substr(md5(p_seed), 1, 16))::bit(64)::bigint) $$;

-- simple random -----------------------------------------------------------------------------------------------------
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  array['K13', 'K17', 'K02', 'K18', 'K16'], 'version 2, seed kat, 5 of 20: the known answer');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  (select array_agg(loan_id order by pg_temp.rank(loan_id, 'kat'), loan_id collate "C")
     from (select loan_id from source_data.upload_pgtapv2 order by pg_temp.rank(loan_id, 'kat'), loan_id collate "C" limit 5) x),
  'the five smallest ranks hashtextextended(key, seed64), as documented');
select is((pg_temp.selection()).generator_version, 'regtest-sampling/2 hashtextextended', 'new selections are drawn by version 2');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  array['K13', 'K17', 'K02', 'K18', 'K16'], 'the same seed draws the same samples again');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'and re-performing it says identical');
select isnt(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}', p_seed => 'other'),
  array['K13', 'K17', 'K02', 'K18', 'K16'], 'another seed draws other samples');
select is((pg_temp.selection()).population_key_hash,
  (select sum(pg_temp.rank(loan_id, 'other'))::text from source_data.upload_pgtapv2),
  'the key hash is the exact sum of the ranks over the rows');
select is(((pg_temp.selection()).population_row_count, (pg_temp.selection()).population_amount_sum)::text, '(20,2100)',
  'the snapshot counts the rows and sums the amounts in the same scan');
select is((select (selection_order, selection_reason)::text from public.sample_decisions
            where version_id = tests.id('sv1')::uuid and sample_key = (pg_temp.selection()).drawn_keys[1]),
  '(1,"simple random: rank 1 of 20")', 'samples keep their position and reason');

-- a draw short of candidates sorts every row and gets the same samples ------------------------------------------------
select is((select array_agg(d ->> 'sample_key' order by (d ->> 'selection_order')::integer)
             from jsonb_array_elements(private.draw_from_candidates(pg_temp.selection(),
                    private.survey_population(pg_temp.selection(), (-9223372036854775807 - 1)::bigint))) d),
  (pg_temp.selection()).drawn_keys, 'with no candidates below the threshold, the full sort draws the same samples');
select ok(private.candidate_threshold(jsonb_populate_record(pg_temp.selection(), '{"sample_size": 1}')) < 9223372036854775807
          or (select count(*) from source_data.upload_pgtapv2) <= 68,
  'the candidate threshold keeps about 4n + 64 of the estimated rows');

-- stratified --------------------------------------------------------------------------------------------------------
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 6, "reason": "known answer"}', '{"stratum_column": "region", "allocation": "proportional"}'),
  (select array_agg(loan_id order by region, rn) from (
     select loan_id, region, row_number() over (partition by region order by pg_temp.rank(loan_id, 'kat'), loan_id collate "C") as rn
       from source_data.upload_pgtapv2) r where rn <= 2),
  'stratified, 6 of 20 over A, B, C (2 each): the two smallest ranks of each stratum');
select is((pg_temp.selection()).strata,
  '[{"stratum": "A", "population": 6, "allocated": 2}, {"stratum": "B", "population": 7, "allocated": 2}, {"stratum": "C", "population": 7, "allocated": 2}]'::jsonb,
  'the strata are counted in the snapshot''s scan and allocated by largest remainder');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'a stratified selection of version 2 re-performs identically');

-- the snapshot detects a changed population ---------------------------------------------------------------------------
select is(cardinality(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}')), 5, 'back to simple random');
update source_data.upload_pgtapv2 set loan_id = 'K05x' where loan_id = 'K05';
select is(pg_temp.reperform() -> 'population' -> 'changed', '["key_hash"]'::jsonb, 'a changed key changes the key hash, not the count or the sum');
update source_data.upload_pgtapv2 set loan_id = 'K05' where loan_id = 'K05x';
update source_data.upload_pgtapv2 set amount = amount + 0.01 where loan_id = 'K07';
select is(pg_temp.reperform() -> 'population' -> 'changed', '["amount_sum"]'::jsonb, 'a changed amount changes the amount sum');
update source_data.upload_pgtapv2 set amount = amount - 0.01 where loan_id = 'K07';
delete from source_data.upload_pgtapv2 where loan_id = 'K20';
select is(pg_temp.reperform() -> 'population' -> 'changed', '["row_count", "amount_sum", "key_hash"]'::jsonb, 'a removed row changes all three');
insert into source_data.upload_pgtapv2 values ('K20', 200, 'C', 'TAX-20', 'note 20');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'restored, it is identical again');

-- version 1 is still there --------------------------------------------------------------------------------------------
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}', '{"generator": "regtest-sampling/1 md5-keyed"}'),
  array['K14', 'K11', 'K20', 'K02', 'K18'], 'a tester may still choose version 1: its known answer (file 71)');
select is(((pg_temp.selection()).generator_version, (pg_temp.selection()).parameters)::text, '("regtest-sampling/1 md5-keyed",{})',
  'the generator is recorded as the selection''s generator, not among the method''s parameters');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'a selection of version 1 re-performs identically with version 1');

-- refusals ------------------------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format($$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}', '{"generator": "regtest-sampling/9"}')$$,
    tests.id('sv1'), tests.id('source'))),
  'PT400 invalid_sampling_parameters', 'an unknown generator is refused');
update public.sample_selections set generator_version = 'regtest-sampling/9' where version_id = tests.id('sv1')::uuid;
select ok(pg_temp.reperform() -> 'samples' ->> 'error' like '%regtest-sampling/9%', 'a selection of a generator this database lacks cannot be re-performed, and the report says why');

select * from finish();
rollback;
