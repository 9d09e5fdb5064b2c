-- A sample's values are masked by the classification of the moment they are read, not of the draw: samples drawn
-- while Amount was internal show '***' for it once a later planning version classifies it restricted, to the
-- tester and the owner alike (REST reads are these authenticated reads), and neither the row nor its audit rows
-- ever held the values. Re-performance (keys) still works.
begin;
select plan(18);

select tests.create_sampling_fixture('upload_pgtapreadmask');
insert into source_data.upload_pgtapreadmask
select 'K' || lpad(i::text, 2, '0'), 1000 + i, substr('ABC', i % 3 + 1, 1), 'TAX-' || i, 'note ' || i from generate_series(1, 20) i;

-- acting as tester1: five samples drawn while Amount is internal
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$select public.run_sample_selection(%L, %L, 'loan_id', 'simple_random', '{"basis": "tester_set", "size": 5, "reason": "read-time masking"}', '{}', '[]', null, 'mask')$$,
  tests.id('sv1'), tests.id('source')));

create function pg_temp.amounts_as(p_email text)
returns text[]
language sql
as $$
  select array(select jsonb_array_elements(tests.run_as(p_email, format(
    'select public.masked_sample_data(s) ->> %L as amount from public.sample_decisions s where s.version_id = %L order by s.sample_key',
    'amount', tests.id('sv1')))) ->> 'amount')
$$;

select is(pg_temp.amounts_as('tester1@test.local'),
  (select array_agg((1000 + substr(k, 2)::integer)::text order by k)
     from unnest((select drawn_keys from public.sample_selections where version_id = tests.id('sv1')::uuid)) k),
  'while Amount is internal, the tester reads each sample''s amount');
select is(tests.run_as('tester1@test.local', format(
  'select distinct sample_data from public.sample_decisions where version_id = %L', tests.id('sv1'))),
  '[{"sample_data": {}}]'::jsonb, 'the row itself holds no values (sample_data is {})');
select is(tests.try_as('tester1@test.local', 'select * from private.sample_values'), '42501',
  'the values are kept where no API role but the service_role reads them');

-- the tester decides, submits; the owner asks nothing yet
select tests.run_as('tester1@test.local', format(
  $$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));

-- A new planning version classifies Amount restricted and is approved (planning is still in progress).
insert into tests.fixture_ids select 'pv2', v.id::text from public.create_version(tests.phase('planning1')) v;
update public.planning_attributes set information_security_classification = 'restricted'
 where version_id = tests.id('pv2')::uuid and name = 'Amount';
update public.planning_data_sources set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
update public.planning_attributes set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
select public.submit_version(tests.id('pv2')::uuid);
select public.approve_version(tests.id('pv2')::uuid);
select is((select version_status::text from public.artifact_versions where id = tests.id('pv2')::uuid), 'approved',
  'planning version 2, with Amount restricted, is approved');

-- every reader now reads Amount masked
select is(pg_temp.amounts_as('tester1@test.local'), array_fill('***'::text, array[5]),
  'the tester reads the earlier samples'' amounts masked');
select is(pg_temp.amounts_as('owner1@test.local'), array_fill('***'::text, array[5]),
  'so does the report owner');
select is(pg_temp.amounts_as('admin@test.local'), array_fill('***'::text, array[5]),
  'and an admin');
select is(tests.run_as('tester1@test.local', format(
  $$select bool_and(public.masked_sample_data(s) ->> 'region' in ('A', 'B', 'C') and public.masked_sample_data(s) ->> 'tax_id' = '***'
                    and public.masked_sample_data(s) ->> 'loan_id' = s.sample_key) as ok
      from public.sample_decisions s where s.version_id = %L$$,
  tests.id('sv1'))) -> 0 -> 'ok', 'true'::jsonb,
  'the other columns read as before: key and region shown, the confidential tax id masked');
select is(tests.run_as('tester1@test.local', format(
  $$select count(*) as n from public.sample_decisions s
     where s.version_id = %L and (to_jsonb(s)::text || public.masked_sample_data(s)::text) ~ '"amount": 10[0-9][0-9]'$$,
  tests.id('sv1'))) -> 0 -> 'n', '0'::jsonb, 'no sample row the tester reads carries an amount');
select is(tests.run_as('tester1@test.local', format(
  $$select coalesce(sample_data ->> 'amount', '***') as amount from public.search_sample_population(%L, 'K0', 1)$$, tests.id('sv1'))) -> 0 ->> 'amount',
  '***', 'searching the population shows no amount either');
select is(tests.run_as('owner1@test.local', format(
  $$select count(*) filter (where sample_data ->> 'amount' = '***') as n from public.version_sample_values(%L)$$, tests.id('sv1'))) -> 0 -> 'n',
  '5'::jsonb, 'reading the whole version at once (version_sample_values) masks Amount too');
select is(tests.run_as('tester1@test.local', format(
  $$select array_agg(sample_key order by sample_key) as k from public.version_sample_values(%L)$$, tests.id('sv1'))) -> 0 -> 'k',
  (select to_jsonb(array_agg(sample_key order by sample_key)) from public.sample_decisions where version_id = tests.id('sv1')::uuid),
  'with every sample of the version by key');
select is(tests.try_as('tester2@test.local', format('select * from public.version_sample_values(%L)', tests.id('sv1'))),
  'PT404 version_not_found', 'someone who cannot read the version gets PT404');

-- a reader outside the cycle report gets nothing, even naming a sample's id in a row of their own making (an RPC)
select is(tests.run_as('tester2@test.local', format(
  $$select public.masked_sample_data(jsonb_populate_record(null::public.sample_decisions, jsonb_build_object('id', %L))) as v$$,
  (select id from public.sample_decisions where version_id = tests.id('sv1')::uuid limit 1))) -> 0 -> 'v', '{}'::jsonb,
  'tester2 (not assigned) reads nothing of a sample by its id');

-- The audit log never held the values.
set constraints all immediate;
select cmp_ok((select count(*)::integer from public.audit_log where table_name = 'public.sample_decisions'), '>=', 5,
  'the samples'' inserts are audited');
select is((select count(*)::integer from public.audit_log
            where table_name = 'public.sample_decisions'
              and (coalesce(new_values -> 'sample_data', '{}') <> '{}' or coalesce(old_values -> 'sample_data', '{}') <> '{}')),
  0, 'no audit row of a sample holds its values');
select ok((public.verify_audit_log() ->> 'ok')::boolean, 'the audit chain verifies');

-- Re-performance works on keys, not on the values.
select is(tests.run_as('owner1@test.local', format('select public.reperform_sample_selection(%L) ->> %L as verdict', tests.id('sv1'), 'verdict')) -> 0 ->> 'verdict',
  'identical', 're-performing the selection still finds the same samples');

select * from finish();
rollback;
