-- Snapshot version 2 (decision 036): the snapshot of a selection comes from the population's kept statistics, which
-- equal a recount (row count, amount sum, key hash = sum of hashtextextended(key, 0), strata), are counted once and
-- reused, and are invalidated by every kind of change of the table (insert, update, delete, truncate, ALTER TABLE, a
-- trigger disabled and enabled again, a table dropped and created again); the one-scan draw equals a sort of every
-- row for the same seed (simple random, stratified proportional and fixed, with keys left out) and the draw of
-- snapshot version 1; re-performance says identical, and detects a changed row through the invalidation.
begin;
select plan(46);

-- Population: P001..P300, amount = i (P007's amount null), region A..D by i mod 4.
select tests.create_sampling_fixture('upload_pgtapkept');
insert into source_data.upload_pgtapkept
select 'P' || lpad(i::text, 3, '0'), case when i = 7 then null else i end, substr('ABCD', i % 4 + 1, 1), 'TAX-' || i, null
  from generate_series(1, 300) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

create function pg_temp.run(p_method text, p_size jsonb, p_parameters jsonb default '{}', p_seed text default 'kept', p_filter jsonb default '[]')
returns text[]
language sql
as $$
  select array(select jsonb_array_elements_text(tests.run_as('tester1@test.local', format(
    'select (public.run_sample_selection(%L, %L, %L, %L, %L, %L, %L, %L, %L)).drawn_keys',
    tests.id('sv1'), tests.id('source'), 'loan_id', p_method, p_size, p_parameters, p_filter, 'amount', p_seed)) -> 0 -> 'drawn_keys'))
$$;
create function pg_temp.reperform()
returns jsonb
language sql
as $$ select tests.run_as('tester1@test.local', format('select public.reperform_sample_selection(%L) as r', tests.id('sv1'))) -> 0 -> 'r' $$;
create function pg_temp.selection()
returns public.sample_selections
language sql
as $$ select * from public.sample_selections where version_id = tests.id('sv1')::uuid $$;
create function pg_temp.rank(p_key text, p_seed text)
returns bigint
language sql
as $$ select hashtextextended(p_key collate "C", ('x' || substr(md5(p_seed), 1, 16))::bit(64)::bigint) $$;
-- The snapshot recounted here in plain SQL, independently of the kept statistics.
create function pg_temp.recount(p_where text default 'true')
returns text
language plpgsql
as $$
declare v text;
begin
  execute format('select (count(*), sum(amount), sum(hashtextextended(loan_id collate "C", 0)))::text from source_data.upload_pgtapkept where loan_id is not null and %s', p_where) into v;
  return v;
end;
$$;
create function pg_temp.snapshot()
returns text
language sql
as $$ select ((pg_temp.selection()).population_row_count, (pg_temp.selection()).population_amount_sum, (pg_temp.selection()).population_key_hash)::text $$;
create function pg_temp.kept_count()
returns bigint
language sql
as $$ select count(*) from private.population_statistics where table_oid = 'source_data.upload_pgtapkept'::regclass $$;
create function pg_temp.generation()
returns bigint
language sql
as $$ select coalesce((select generation from private.population_generations where table_oid = 'source_data.upload_pgtapkept'::regclass), 0) $$;

-- the snapshot equals a recount --------------------------------------------------------------------------------------
select ok(private.population_watched('source_data.upload_pgtapkept'), 'a table created in source_data gets the statistics trigger');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  array['P188', 'P075', 'P106', 'P267', 'P271'], 'snapshot version 2, seed kept, 5 of 300: the known answer');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}'),
  (select array_agg(loan_id order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C")
     from (select loan_id from source_data.upload_pgtapkept order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C" limit 5) x),
  'the one-scan draw is the five smallest ranks of a sort of every row');
select is(((pg_temp.selection()).generator_version, (pg_temp.selection()).snapshot_version, (pg_temp.selection()).parameters)::text,
  '("regtest-sampling/2 hashtextextended","regtest-snapshot/2 kept statistics",{})', 'generator version 2 with snapshot version 2 is the default, recorded');
select is(pg_temp.snapshot(), pg_temp.recount(), 'the snapshot equals a recount: rows, amount sum, sum of hashtextextended(key, 0)');
select is(pg_temp.snapshot(), '(300,45143,-74115256904806152299)', 'the snapshot''s known answer');
select is(pg_temp.kept_count(), 1::bigint, 'the statistics are kept, once for the population');
select is((pg_temp.selection()).snapshot_computed_at, (select computed_at from private.population_statistics where table_oid = 'source_data.upload_pgtapkept'::regclass),
  'the snapshot says when its statistics were counted');
create temporary table first_count as select computed_at from private.population_statistics where table_oid = 'source_data.upload_pgtapkept'::regclass;
select isnt(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}', p_seed => 'other'),
  array['P188', 'P075', 'P106', 'P267', 'P271'], 'another seed draws other samples');
select is((pg_temp.selection()).snapshot_computed_at, (select computed_at from first_count), 'from the same kept statistics, not counted again');
select is(pg_temp.snapshot(), '(300,45143,-74115256904806152299)', 'the key hash does not depend on the seed');
select is(pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "v1"}', '{"snapshot": "regtest-snapshot/1 counted in the draw"}', p_seed => 'other'),
  (select array_agg(loan_id order by pg_temp.rank(loan_id, 'other'), loan_id collate "C")
     from (select loan_id from source_data.upload_pgtapkept order by pg_temp.rank(loan_id, 'other'), loan_id collate "C" limit 5) x),
  'snapshot version 1, asked for, draws the same samples for the same seed');
select is(((pg_temp.selection()).snapshot_version, (pg_temp.selection()).snapshot_computed_at)::text, '("regtest-snapshot/1 counted in the draw",)',
  'and is recorded as version 1, counted in the draw');

-- re-performance ------------------------------------------------------------------------------------------------------
select pg_temp.run('simple_random', '{"basis": "tester_set", "size": 5, "reason": "known answer"}');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 're-performing a snapshot version 2 selection: identical');
select is(pg_temp.reperform() -> 'population' -> 'current' ->> 'statistics', 'kept', 'from the kept statistics, and it says so');
update source_data.upload_pgtapkept set amount = amount + 1 where loan_id = 'P150';
select is(pg_temp.kept_count(), 0::bigint, 'an update drops the kept statistics');
select is((pg_temp.reperform() -> 'population' -> 'changed'), '["amount_sum"]'::jsonb, 're-performance detects the changed row: the amount sum');
select is(pg_temp.reperform() -> 'population' -> 'current' ->> 'statistics', 'kept', 'counted again once, then kept again');
update source_data.upload_pgtapkept set amount = amount - 1 where loan_id = 'P150';
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'restored, identical again');
update source_data.upload_pgtapkept set loan_id = 'P150x' where loan_id = 'P150';
select is((pg_temp.reperform() -> 'population' -> 'changed'), '["key_hash"]'::jsonb, 'a changed key changes the key hash only');
update source_data.upload_pgtapkept set loan_id = 'P150' where loan_id = 'P150x';

-- invalidation by every kind of change ----------------------------------------------------------------------------------
create function pg_temp.changes(p_sql text)
returns boolean
language plpgsql
as $$
declare v_before bigint := pg_temp.generation();
begin
  execute p_sql;
  return pg_temp.generation() > v_before and pg_temp.kept_count() = 0;
end;
$$;
select pg_temp.reperform();
select ok(pg_temp.changes($$insert into source_data.upload_pgtapkept values ('Q001', 1, 'A', null, null)$$), 'an insert raises the generation and drops the statistics');
select is(pg_temp.reperform() -> 'population' -> 'changed', '["row_count", "amount_sum", "key_hash"]'::jsonb, 'and re-performance sees the new row');
select ok(pg_temp.changes($$delete from source_data.upload_pgtapkept where loan_id = 'Q001'$$), 'a delete too');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'and the row gone, identical');
select ok(pg_temp.changes($$update source_data.upload_pgtapkept set note = 'x' where false$$), 'a statement that changes no row too (per statement)');
create temporary table saved as select * from source_data.upload_pgtapkept;
select ok(pg_temp.changes($$truncate source_data.upload_pgtapkept$$), 'a truncate too');
select ok(pg_temp.reperform() -> 'samples' ->> 'error' like 'The population has 0 rows%', 'an emptied population is counted as empty: nothing to draw');
insert into source_data.upload_pgtapkept select * from saved;
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'loaded again, identical');

-- a change the trigger did not see: the signature catches it
alter table source_data.upload_pgtapkept disable trigger population_statistics_invalidate;
update source_data.upload_pgtapkept set amount = amount + 1000 where loan_id = 'P200';
alter table source_data.upload_pgtapkept enable always trigger population_statistics_invalidate;
select is(pg_temp.reperform() -> 'population' -> 'changed', '["amount_sum"]'::jsonb,
  'a row changed while the trigger was disabled is seen: enabling it again changes the signature');
update source_data.upload_pgtapkept set amount = amount - 1000 where loan_id = 'P200';
select pg_temp.reperform();
alter table source_data.upload_pgtapkept alter column amount type numeric using amount * 2;
select is(pg_temp.reperform() -> 'population' -> 'changed', '["amount_sum"]'::jsonb, 'an ALTER TABLE that rewrites the amounts is seen');
alter table source_data.upload_pgtapkept alter column amount type numeric using amount / 2;
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'and undone, identical');
drop table source_data.upload_pgtapkept;
create table source_data.upload_pgtapkept as select * from saved where loan_id <> 'P001';
select is(pg_temp.reperform() -> 'population' -> 'changed', '["row_count", "amount_sum", "key_hash"]'::jsonb,
  'a table dropped and created again under the same name is another population');
insert into source_data.upload_pgtapkept select * from saved where loan_id = 'P001';
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'with its rows back, identical');

-- stratified -------------------------------------------------------------------------------------------------------------
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 12, "reason": "known answer"}', '{"stratum_column": "region", "allocation": "proportional"}'),
  (select array_agg(loan_id order by region, rn) from (
     select loan_id, region, row_number() over (partition by region order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C") as rn
       from source_data.upload_pgtapkept) r where rn <= 3),
  'stratified, 12 of 300 over A..D: the three smallest ranks of each stratum, as a sort of every row');
select is((pg_temp.selection()).strata,
  (select jsonb_agg(jsonb_build_object('stratum', region, 'population', n, 'allocated', 3) order by region)
     from (select region, count(*) as n from source_data.upload_pgtapkept group by region) g),
  'the strata are the kept exact counts, allocated by largest remainder');
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 1, "reason": "fixed"}', '{"stratum_column": "region", "allocation": "fixed", "sizes": {"A": 60, "B": 1, "C": 0, "D": 2}}'),
  (select array_agg(loan_id order by region, rn) from (
     select loan_id, region, row_number() over (partition by region order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C") as rn
       from source_data.upload_pgtapkept) r
    where rn <= case region when 'A' then 60 when 'B' then 1 when 'C' then 0 else 2 end),
  'fixed allocation with thresholds of their own per stratum: the same as a sort of every row');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'and it re-performs identically');

-- keys left out, a filter ------------------------------------------------------------------------------------------------
select is((select ((d ->> 'row_count')::bigint, (d ->> 'amount_sum')::numeric, d ->> 'key_hash')::text
             from private.survey_and_draw_kept(jsonb_populate_record(pg_temp.selection(),
                    '{"method": "simple_random", "sample_size": 3, "excluded_keys": ["P188", "P007", "NOPE"], "strata": []}')) d),
  pg_temp.recount($$loan_id not in ('P188', 'P007')$$), 'keys left out: the snapshot equals a recount without them');
select is((select array_agg(e ->> 'sample_key' order by (e ->> 'selection_order')::integer)
             from private.survey_and_draw_kept(jsonb_populate_record(pg_temp.selection(),
                    '{"method": "simple_random", "sample_size": 3, "excluded_keys": ["P188", "P007", "NOPE"], "strata": []}')) d,
                  jsonb_array_elements(d -> 'draw') e),
  (select array_agg(loan_id order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C")
     from (select loan_id from source_data.upload_pgtapkept where loan_id not in ('P188', 'P007')
            order by pg_temp.rank(loan_id, 'kept'), loan_id collate "C" limit 3) x),
  'and the draw is the smallest ranks of the other rows');
select pg_temp.run('simple_random', '{"basis": "tester_set", "size": 4, "reason": "filtered"}', p_filter => '[{"column": "region", "op": "neq", "value": "D"}]');
select is(pg_temp.snapshot(), pg_temp.recount($$region <> 'D'$$), 'a filtered population has statistics of its own, equal to a recount');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'and re-performs identically');

-- more strata than thresholds of their own: one threshold for all, the full sort for a stratum short of candidates ---
update source_data.upload_pgtapkept set note = 'N' || lpad((substr(loan_id, 2)::integer % 70)::text, 2, '0');
create temporary table many_v1 as
select pg_temp.run('stratified', '{"basis": "tester_set", "size": 80, "reason": "many strata"}',
  '{"stratum_column": "note", "allocation": "proportional", "snapshot": "regtest-snapshot/1 counted in the draw"}') as keys;
select is(pg_temp.run('stratified', '{"basis": "tester_set", "size": 80, "reason": "many strata"}', '{"stratum_column": "note", "allocation": "proportional"}'),
  (select keys from many_v1), '70 strata: the same samples as snapshot version 1 draws');
select is(jsonb_array_length((pg_temp.selection()).strata), 70, 'over 70 strata');

-- refusals ------------------------------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format($$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}', '{"generator": "regtest-sampling/1 md5-keyed", "snapshot": "regtest-snapshot/2 kept statistics"}')$$,
  tests.id('sv1'), tests.id('source'))), 'PT400 invalid_sampling_parameters', 'snapshot version 2 is refused with generator version 1');
select is(tests.try_as('tester1@test.local', format($$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}', '{"snapshot": "regtest-snapshot/9"}')$$,
  tests.id('sv1'), tests.id('source'))), 'PT400 invalid_sampling_parameters', 'an unknown snapshot version is refused');
select is(tests.try_as('tester1@test.local', 'select count(*) from private.population_statistics'), '42501', 'nobody reads the kept statistics through the API');

select * from finish();
rollback;
