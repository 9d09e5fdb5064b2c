-- A data source's measured values (min, max, examples) are kept out of planning_data_sources and the audit log,
-- copied with the source into a new version, and given back by data_source_schema only for columns that the
-- current classification of the table, in any version, leaves unmasked.
begin;
select plan(14);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''

create table source_data.upload_pgtapvalues (id integer, ssn text, amount numeric);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'v1', id::text from public.create_version(tests.phase('planning1'));
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
  values (tests.id('v1')::uuid, 'People', 'file_upload', 'upload_pgtapvalues',
          '{"columns": [{"name": "id", "pgType": "integer", "min": "1", "max": "3", "examples": ["1", "2"]},
                        {"name": "ssn", "pgType": "text", "nullCount": 0, "examples": ["123-45-6789"]},
                        {"name": "amount", "pgType": "numeric", "min": "10", "max": "30", "examples": ["10"]}]}', 3)
  returning id
) insert into tests.fixture_ids select 'source', id::text from s;

-- stored without values ---------------------------------------------------------------------------------------
select is(
  (select jsonb_path_exists(schema, '$.columns[*] ? (exists(@.min) || exists(@.max) || exists(@.examples))')
     from public.planning_data_sources where id = tests.id('source')::uuid),
  false, 'the stored schema keeps the columns'' shape only');
select is(
  (select schema -> 'columns' -> 1 ->> 'nullCount' from public.planning_data_sources where id = tests.id('source')::uuid),
  '0', 'counts stay in the stored schema');
select is(
  (select columns -> 'ssn' -> 'examples' from private.planning_data_source_values where data_source_id = tests.id('source')::uuid),
  '["123-45-6789"]'::jsonb, 'the values are kept in the private table');
select is(
  (select count(*)::int from public.audit_log
    where table_name = 'public.planning_data_sources' and row_id = tests.id('source')
      and coalesce(new_values::text, '') || coalesce(old_values::text, '') like '%123-45-6789%'),
  0, 'the audit log does not copy them');
select is(tests.try_as(:t1, 'select count(*) from private.planning_data_source_values'), '42501',
  'a tester cannot read the private table');
select is(tests.try_as(:o1, 'select count(*) from private.planning_data_source_values'), '42501',
  'nor can the report owner');

-- read through data_source_schema ---------------------------------------------------------------------------------
select is(
  tests.run_as(:t1, format($$select public.data_source_schema('%s') -> 'columns' -> 1 -> 'examples' as e$$, tests.id('source'))) -> 0 -> 'e',
  '["123-45-6789"]'::jsonb, 'the tester reads the values of an unclassified column');
select is(tests.try_as(:t2, format($$select count(*) from public.data_source_schema('%s')$$, tests.id('source'))),
  'PT404 data_source_not_found', 'a tester of another cycle report cannot');

insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification)
values (tests.id('v1')::uuid, 'SSN', 'string', tests.id('source')::uuid, 'ssn', 'restricted');
select is(
  tests.run_as(:o1, format($$select public.data_source_schema('%s') -> 'columns' -> 1 as c$$, tests.id('source'))) -> 0 -> 'c',
  '{"name": "ssn", "pgType": "text", "nullCount": 0, "min": null, "max": null, "examples": [], "masked": true}'::jsonb,
  'once classified restricted, the column''s values are withheld from the owner');
select is(
  tests.run_as(:t1, format($$select public.data_source_schema('%s') -> 'columns' -> 2 ->> 'max' as m$$, tests.id('source'))) -> 0 ->> 'm',
  '30', 'other columns keep theirs');

-- copies ----------------------------------------------------------------------------------------------------------
update public.planning_data_sources set tester_decision = 'approved';
update public.planning_attributes set tester_decision = 'approved';
select public.submit_version(tests.id('v1')::uuid);
select public.approve_version(tests.id('v1')::uuid);
insert into tests.fixture_ids select 'v2', id::text from public.create_version(tests.phase('planning1'));
insert into tests.fixture_ids
select 'copy', id::text from public.planning_data_sources where version_id = tests.id('v2')::uuid;
select is(
  (select columns from private.planning_data_source_values where data_source_id = tests.id('copy')::uuid),
  (select columns from private.planning_data_source_values where data_source_id = tests.id('source')::uuid),
  'a copied source gets its own copy of the values');

-- a later version's classification masks the earlier version's source too
update public.planning_attributes set information_security_classification = 'public' where version_id = tests.id('v2')::uuid;
insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification)
values (tests.id('v2')::uuid, 'Amount', 'decimal', tests.id('copy')::uuid, 'amount', 'confidential');
select is(
  tests.run_as(:t1, format($$select public.data_source_schema('%s') -> 'columns' -> 2 -> 'masked' as m$$, tests.id('source'))) -> 0 -> 'm',
  'true'::jsonb, 'a column classified in a later version is masked in the earlier version''s source');
select is(
  tests.run_as(:t1, format($$select public.data_source_schema('%s') -> 'columns' -> 1 -> 'masked' as m$$, tests.id('copy'))) -> 0 -> 'm',
  'true'::jsonb, 'and a column classified in the earlier version stays masked in the copy');
select is(
  private.profiling_masked_source_columns(tests.id('source')::uuid), array['amount', 'ssn'],
  'failed-row samples mask the same columns');

select * from finish();
rollback;
