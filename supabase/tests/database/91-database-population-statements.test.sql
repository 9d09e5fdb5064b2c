-- The statements a database population's draw runs in its own database (decision 037) have the semantics of the
-- local one-scan survey and draw: run here against an upload standing in for the source table, they give the
-- snapshot, strata and keys private.survey_population and private.survey_and_draw give, with the filter and the
-- excluded keys; their values are bound parameters, never in the SQL text; the worker's functions are the
-- service_role's.
begin;
select plan(11);

select tests.create_sampling_fixture('upload_pgtapdb');
insert into source_data.upload_pgtapdb
select 'K' || lpad(i::text, 2, '0'), i * 10, substr('ABC', i % 3 + 1, 1), 'TAX-' || i, 'note ' || i from generate_series(1, 40) i;

-- The upload as if it were a database source: the same table, read through the database statements.
create function pg_temp.source()
returns public.planning_data_sources
language sql
as $$
  select jsonb_populate_record(null::public.planning_data_sources,
           to_jsonb(s) || '{"source_type": "database", "schema_name": "source_data"}')
    from public.planning_data_sources s where s.id = tests.id('source')::uuid
$$;
create function pg_temp.selection(p_method text, p_size integer)
returns public.sample_selections
language sql
as $$
  select jsonb_populate_record(null::public.sample_selections, jsonb_build_object(
    'version_id', gen_random_uuid(), 'cycle_report_id', tests.id('cr1'), 'data_source_id', tests.id('source'),
    'population_table', 'upload_pgtapdb', 'key_column', 'loan_id', 'amount_column', 'amount',
    'filter', '[{"column": "amount", "op": "gt", "value": 30}, {"column": "note", "op": "neq", "value": "it''s; --"}]'::jsonb,
    'method', p_method,
    'parameters', case when p_method = 'stratified' then '{"stratum_column": "region", "allocation": "proportional"}'::jsonb else '{}' end,
    'sample_size', p_size, 'size_basis', 'tester_set', 'size_inputs', '{}', 'seed', 'kat-db',
    'generator_version', private.sample_generator_v2(), 'excluded_keys', array['K07', 'K20'], 'strata', '[]'::jsonb,
    'population_row_count', 0, 'population_key_hash', '0', 'drawn_keys', '{}'::text[]))
$$;
-- Runs a statement as the worker does with untyped parameters: each $n becomes its value as an untyped literal.
create function pg_temp.run(p_statement jsonb)
returns jsonb
language plpgsql
as $$
declare
  v_sql text := p_statement ->> 'sql';
  v_n integer;
  v_result jsonb;
begin
  for v_n in reverse jsonb_array_length(p_statement -> 'params') .. 1 loop
    v_sql := replace(v_sql, '$' || v_n, quote_nullable(p_statement -> 'params' ->> (v_n - 1)));
  end loop;
  execute format('select to_jsonb(q) from (%s) q', v_sql) into v_result;
  return v_result;
end;
$$;

select is(pg_temp.run(private.database_survey_statement(pg_temp.selection('stratified', 9), pg_temp.source())) -> 'survey',
  private.survey_population(pg_temp.selection('stratified', 9)) - 'candidates',
  'the survey statement gives the snapshot and strata of private.survey_population');
select is(pg_temp.run(private.database_survey_statement(pg_temp.selection('simple_random', 5), pg_temp.source())) -> 'survey',
  private.survey_population(pg_temp.selection('simple_random', 5)) - 'candidates',
  'and without strata');

-- The draw: allocated from the survey as the worker's allocate_database_sample_draw does, then run.
create function pg_temp.remote_keys(p_method text, p_size integer, p_all boolean)
returns text[]
language sql
as $$
  select array(select d ->> 1 from jsonb_array_elements(pg_temp.run(private.database_draw_statement(
           private.accept_database_survey(pg_temp.selection(p_method, p_size),
             pg_temp.run(private.database_survey_statement(pg_temp.selection(p_method, p_size), pg_temp.source())) -> 'survey'),
           pg_temp.source(), p_all)) -> 'draw') with ordinality x(d, o) order by o)
$$;
create function pg_temp.local_keys(p_method text, p_size integer)
returns text[]
language sql
as $$
  select array(select d ->> 'sample_key' from jsonb_array_elements(private.survey_and_draw(pg_temp.selection(p_method, p_size)) -> 'draw')
                 with ordinality x(d, o) order by o)
$$;
select is(cardinality(pg_temp.remote_keys('stratified', 9, false)), 9, 'the draw statement draws the allocated 9');
select is(pg_temp.remote_keys('stratified', 9, false), pg_temp.local_keys('stratified', 9),
  'the draw statement draws the keys of private.survey_and_draw, stratified');
select is(pg_temp.remote_keys('stratified', 9, true), pg_temp.local_keys('stratified', 9),
  'and so does the draw from every row (a stratum short of candidates)');
select is(pg_temp.remote_keys('simple_random', 5, false), pg_temp.local_keys('simple_random', 5),
  'the draw statement draws the keys of private.survey_and_draw, simple random');
select ok(not (pg_temp.remote_keys('simple_random', 30, false) && array['K07', 'K20', 'K01', 'K02', 'K03']),
  'excluded keys and filtered rows are never drawn');

select ok(position('it''s' in private.database_survey_statement(pg_temp.selection('stratified', 9), pg_temp.source()) ->> 'sql') = 0
          and private.database_survey_statement(pg_temp.selection('stratified', 9), pg_temp.source()) -> 'params'
              @> '["30", "it''s; --", "{K07,K20}"]',
  'filter values and excluded keys are parameters, not SQL text');
select is(pg_temp.run(private.database_generator_check_statement()) ->> 'ok', 'true',
  'the known-answer check passes on this server');

-- The worker's functions: not for signed-in users, and not for an operator either (the service_role only).
select tests.authenticate_as('tester1@test.local');
select throws_ok(format('select public.plan_database_sample_draw(%L)', gen_random_uuid()), '42501', null,
  'a tester cannot call the worker''s functions');
select tests.clear_authentication();
select throws_like(format('select public.plan_database_sample_draw(%L)', gen_random_uuid()),
  '%the service_role%', 'an operator is refused: the service_role only');

select * from finish();
rollback;
