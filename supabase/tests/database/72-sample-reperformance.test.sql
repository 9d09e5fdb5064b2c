-- Re-performance of a recorded selection (identical; a changed, added or removed population row; a changed
-- stratum), the record of each re-performance, the selection frozen with its version, a second version's draw
-- leaving out the carried samples, samples added by hand read from the population, and who reads what.
begin;
select plan(30);

select tests.create_sampling_fixture('upload_pgtapreperform');
insert into source_data.upload_pgtapreperform
select 'R' || lpad(i::text, 3, '0'), i, substr('ABCD', i % 4 + 1, 1), 'TAX-' || i, null from generate_series(1, 200) i;
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'loan_id', 'stratified', '{"basis": "calculator", "confidence": 0.90, "tolerable_rate": 0.10, "expected_deviations": 0}',
      '{"stratum_column": "region"}', p_amount_column => 'amount', p_seed => 'examiner')$$, tests.id('sv1'), tests.id('source')));
create function pg_temp.reperform(p_email text default 'tester1@test.local')
returns jsonb
language sql
as $$ select tests.run_as(p_email, format('select public.reperform_sample_selection(%L) as r', tests.id('sv1'))) -> 0 -> 'r' $$;

-- acting as the tester: identical -----------------------------------------------------------------------------------
select is((select sample_size from public.sample_selections where version_id = tests.id('sv1')::uuid), 22,
  'the calculator''s 22 samples (90%, 10%, 0 expected), stratified by region');
select is(pg_temp.reperform() ->> 'verdict', 'identical', 're-performing the unchanged selection gives the same samples: identical');
select is(pg_temp.reperform() -> 'samples', '{"added": [], "error": null, "missing": [], "stored_count": 22, "order_differs": false, "redrawn_count": 22}'::jsonb,
  'no key is missing or added');
select is((select count(*)::integer from public.sample_reperformances where version_id = tests.id('sv1')::uuid and identical and performed_by = tests.id('t1')::uuid),
  2, 'each re-performance is recorded with who did it');

-- the simple random draw sorts only the rows below a rank threshold, and gets the same keys as a sort of every row --
select is((select array_agg(d.sample_key order by d.selection_order) from public.sample_selections s,
            private.draw_simple_random(jsonb_populate_record(s, '{"method": "simple_random", "sample_size": 5, "excluded_keys": []}')) d
           where s.version_id = tests.id('sv1')::uuid),
  (select array_agg(loan_id order by r, loan_id) from (select loan_id, md5('examiner:' || loan_id) collate "C" as r
     from source_data.upload_pgtapreperform order by 2, 1 limit 5) x),
  'with a threshold, simple random draws the 5 smallest ranks of all 200 rows');
select is((select array_agg(d.sample_key order by d.selection_order) from public.sample_selections s,
            private.draw_simple_random(jsonb_populate_record(s, '{"method": "simple_random", "sample_size": 5, "population_row_count": 100000000}')) d
           where s.version_id = tests.id('sv1')::uuid),
  (select array_agg(loan_id order by r, loan_id) from (select loan_id, md5('examiner:' || loan_id) collate "C" as r
     from source_data.upload_pgtapreperform order by 2, 1 limit 5) x),
  'when too few rows are below the threshold, it sorts every row and draws the same');

-- a changed population row -------------------------------------------------------------------------------------------
update source_data.upload_pgtapreperform set amount = amount + 1 where loan_id = 'R150';
select is(pg_temp.reperform() ->> 'verdict', 'different', 'after an amount changes, re-performance is different');
select is(pg_temp.reperform() -> 'population' -> 'changed', '["amount_sum"]'::jsonb, 'and says the amount sum changed');
update source_data.upload_pgtapreperform set amount = amount - 1 where loan_id = 'R150';
select is(pg_temp.reperform() ->> 'verdict', 'identical', 'restored, it is identical again');

-- a row added whose rank is small: the samples differ too -------------------------------------------------------------
insert into source_data.upload_pgtapreperform
select k, 1, 'A', null, null from (select 'X' || g as k from generate_series(1, 400) g) x
 order by hashtextextended(k collate "C", private.sample_seed64('examiner')) limit 1;
select is(pg_temp.reperform() -> 'population' -> 'changed', '["row_count", "amount_sum", "key_hash", "strata"]'::jsonb,
  'a new row changes the row count, the amount sum, the key hash and the strata');
select is(jsonb_array_length(pg_temp.reperform() -> 'samples' -> 'added'), 1, 'and one sample of the re-draw was not drawn before');
delete from source_data.upload_pgtapreperform where loan_id like 'X%';

-- a stratum changes: the keys differ ------------------------------------------------------------------------------------
create temporary table moved as
select sample_key from public.sample_decisions where version_id = tests.id('sv1')::uuid and stratum = 'A' order by selection_order limit 1;
update source_data.upload_pgtapreperform set region = 'B' where loan_id = (select sample_key from moved);
select is(pg_temp.reperform() -> 'population' -> 'changed', '["strata"]'::jsonb, 'moving a sample to another stratum changes the strata only');
select is(pg_temp.reperform() ->> 'verdict', 'different', 'so the re-performance is different');
update source_data.upload_pgtapreperform set region = 'A' where loan_id = (select sample_key from moved);

-- a column of the population dropped: the draw fails, and the report says why -------------------------------------------
alter table source_data.upload_pgtapreperform rename column region to area;
select is(pg_temp.reperform() ->> 'verdict', 'different', 'a population that cannot be drawn from any more is different');
select ok(pg_temp.reperform() -> 'samples' ->> 'error' like '%region%', 'the report names the missing column');
alter table source_data.upload_pgtapreperform rename column area to region;

-- the selection is the database's -------------------------------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format($$update public.sample_selections set seed = 'other' where version_id = %L$$, tests.id('sv1'))),
  '42501', 'nobody changes a selection through the API');
select is(tests.try_as('tester1@test.local', format($$delete from public.sample_reperformances where version_id = %L$$, tests.id('sv1'))),
  '42501', 'nor removes a re-performance');
select is(tests.try_as('postgres', format($$update public.sample_reperformances set identical = true where version_id = %L$$, tests.id('sv1'))),
  'PT409 reperformance_final', 'not even an operator changes a re-performance');

-- acting as the owner: review, and re-perform the approved version ---------------------------------------------------------
select tests.run_as('tester1@test.local', format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));
select is(tests.try_as('postgres', format($$update public.sample_selections set seed = 'other' where version_id = %L$$, tests.id('sv1'))),
  'PT409 version_not_draft', 'once submitted, the selection is frozen, for operators too');
select is(tests.try_as('tester1@test.local', format($$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 3, "reason": "x"}')$$, tests.id('sv1'), tests.id('source'))),
  'PT409 version_not_draft', 'and no new draw is made');
select tests.run_as('owner1@test.local', format($$update public.sample_decisions set report_owner_decision = case when selection_order <= 20 then 'approved' else 'rejected' end::public.review_decision where version_id = %L$$, tests.id('sv1')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sv1')));
select is(pg_temp.reperform('owner1@test.local') ->> 'verdict', 'identical', 'the owner re-performs the approved version: identical');
select is((tests.run_as('owner1@test.local', format('select count(*) from public.sample_selections where version_id = %L', tests.id('sv1'))) -> 0 ->> 'count')::integer,
  1, 'the owner reads the selection');
select is((tests.run_as('tester2@test.local', format('select count(*) from public.sample_reperformances where version_id = %L', tests.id('sv1'))) -> 0 ->> 'count')::integer,
  0, 'a tester of another cycle report reads no re-performance');
select is(tests.try_as('tester2@test.local', format('select public.reperform_sample_selection(%L)', tests.id('sv1'))),
  'PT404 version_not_found', 'nor can re-perform it');

-- version 2: the 20 approved are carried; the draw of 2 more leaves them out ------------------------------------------------
insert into tests.fixture_ids
select 'sv2', tests.run_as('tester1@test.local', format('select (public.create_version(%s, %L)).id', tests.phase('sample_selection1'), tests.id('sv1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 2, "reason": "two more for the rejected"}', p_seed => 'examiner')$$,
  tests.id('sv2'), tests.id('source')));
select is((select (count(*) filter (where recommendation_source = 'carried_forward'), count(*) filter (where recommendation_source = 'tester'))::text
             from public.sample_decisions where version_id = tests.id('sv2')::uuid),
  (20, 2)::text, 'version 2: 20 carried forward and 2 newly drawn');
select is((select cardinality(excluded_keys) from public.sample_selections where version_id = tests.id('sv2')::uuid), 20,
  'the carried samples are recorded as left out of the draw');
select is((select count(*)::integer from public.sample_decisions n join public.sample_selections s on s.version_id = n.version_id
            where n.version_id = tests.id('sv2')::uuid and n.recommendation_source = 'tester' and n.sample_key = any (s.excluded_keys)),
  0, 'no carried key is drawn again');
select is(tests.run_as('tester1@test.local', format('select public.reperform_sample_selection(%L) ->> %L as v', tests.id('sv2'), 'verdict')) -> 0 ->> 'v',
  'identical', 'version 2''s draw re-performs identically');

-- a sample added by hand is read from the population ------------------------------------------------------------------------
select tests.run_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason) values (%L, 'R007', 'manual', 'the owner asked for it')$$, tests.id('sv2')));
select is((select public.masked_sample_data(s) from public.sample_decisions s where version_id = tests.id('sv2')::uuid and sample_key = 'R007'),
  '{"loan_id": "R007", "amount": 7, "region": "D", "tax_id": "***"}'::jsonb, 'a sample added by hand gets its values from the population, masked');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason) values (%L, 'NOPE', 'manual', 'x')$$, tests.id('sv2'))),
  'PT409 sample_not_in_population', 'a key outside the population is refused');

select * from finish();
rollback;
