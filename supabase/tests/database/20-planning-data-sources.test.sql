-- Planning data sources: the shape of each kind, who creates and edits them, the private passwords, the
-- function's permission check, copies into new versions, and the uploaded table going with its last source.
begin;
select plan(36);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
create table source_data.upload_t20a (account_id integer, balance numeric);
create table source_data.upload_t20b (x text);

-- created by the edge function (postgres acting for the signed-in tester) -----------------------------------
select set_config('request.jwt.claims', json_build_object('sub', tests.id('t1'), 'role', 'authenticated')::text, true);
insert into public.planning_data_sources (id, version_id, name, source_type, table_name, schema, row_count)
values ('00000000-0000-4000-b000-000000000001', tests.id('v1')::uuid, 'Loans file', 'file_upload', 'upload_t20a',
  '{"columns": [{"name": "account_id"}, {"name": "balance"}]}', 2);
insert into public.planning_data_sources (id, version_id, name, source_type, host, database_name, table_name, username)
values ('00000000-0000-4000-b000-000000000002', tests.id('v1')::uuid, 'Core banking', 'database', 'db.internal', 'core', 'loans', 'reader');
insert into private.planning_data_source_secrets (data_source_id, password) values ('00000000-0000-4000-b000-000000000002', 's3cret');
select tests.clear_authentication();

select results_eq(
  $$select source_type, status, schema_name, created_by, port from public.planning_data_sources where version_id = tests.id('v1')::uuid order by name$$,
  format($$values ('database', 'pending', 'public', '%1$s'::uuid, 5432), ('file_upload', 'ready', 'source_data', '%1$s'::uuid, null)$$, tests.id('t1')),
  'sources are stamped with their creator; uploads live in source_data and are ready, databases default to public:5432 and start pending');
select is((select data_sources from public.planning_version_summaries where version_id = tests.id('v1')::uuid), 2,
  'the version counts its data sources');

-- the shape of each kind ------------------------------------------------------------------------------------
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
  values ('%s', 'x', 'file_upload', 'loans', '{"columns": []}', 0)$$, tests.id('v1'))),
  'PT400 invalid_data_source', 'an upload must name an upload_ table');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
  values ('%s', 'x', 'file_upload', 'upload_missing', '{"columns": []}', 0)$$, tests.id('v1'))),
  'PT400 invalid_data_source', 'an upload''s table must exist in source_data');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, table_name)
  values ('%s', 'x', 'file_upload', 'upload_t20b')$$, tests.id('v1'))),
  'PT400 invalid_data_source', 'an upload records its schema and row count');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, host)
  values ('%s', 'x', 'file_upload', 'upload_t20b', '{"columns": []}', 0, 'h')$$, tests.id('v1'))),
  'PT400 invalid_data_source', 'an upload has no connection details');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, host, table_name, username)
  values ('%s', 'x', 'database', 'h', 't', 'u')$$, tests.id('v1'))),
  'PT400 invalid_data_source', 'a database source needs a database name');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
  values ('%s', 'x', 'file_upload', 'upload_t20b', '{"columns": [{"type": "text"}]}', 0)$$, tests.id('v1'))),
  '23514', 'every column of a schema has a name');
select is(tests.try_as('postgres', format($$insert into public.planning_data_sources (version_id, name, source_type, host, database_name, table_name, username)
  values ('%s', 'Loans file', 'database', 'h', 'd', 't', 'u')$$, tests.id('v1'))),
  '23505', 'source names are unique per version');
select is(tests.try_as('postgres', $$update public.planning_data_sources set source_type = 'database' where version_id = tests.id('v1')::uuid and name = 'Loans file'$$),
  'PT409 data_source_column_immutable', 'a source''s type cannot change');
select is(tests.try_as('postgres', $$update public.planning_data_sources set table_name = 'upload_t20b' where version_id = tests.id('v1')::uuid and name = 'Loans file'$$),
  'PT409 data_source_column_immutable', 'an upload''s table cannot change');
select is(tests.try_as('postgres', $$update public.planning_data_sources set status = 'ready' where version_id = tests.id('v1')::uuid and name = 'Core banking'$$),
  'PT400 invalid_data_source', 'a database source is ready only with a schema');

-- what people may do through the API -------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$insert into public.planning_data_sources (version_id, name, source_type, host, database_name, table_name, username)
  values ('%s', 'x', 'database', 'h', 'd', 't', 'u')$$, tests.id('v1'))),
  '42501', 'testers create sources through the planning-sources function only');
select is(tests.try_as(:t1, $$update public.planning_data_sources set name = 'Loans', description = 'Q4 extract' where name = 'Loans file'$$),
  'rows 1', 'the tester renames and describes a source');
select is(tests.try_as(:t1, $$update public.planning_data_sources set host = 'attacker.example' where name = 'Core banking'$$),
  '42501', 'connection details never change through the API (a stored password would follow them)');
select is(tests.try_as(:t1, $$update public.planning_data_sources set schema = '{"columns": []}' where name = 'Loans file'$$),
  '42501', 'the measured schema is the function''s');
select is(tests.try_as(:t1, $$update public.planning_data_sources set tester_decision = 'approved' where name = 'Core banking'$$),
  'rows 1', 'the tester decides on a source');
select is(tests.try_as(:o1, $$update public.planning_data_sources set tester_decision = 'approved' where name = 'Core banking'$$),
  'PT403 tester_decision_requires_tester', 'the report owner cannot record a tester decision');
select is(tests.try_as(:o1, $$update public.planning_data_sources set name = 'x' where name = 'Core banking'$$),
  'PT403 item_edit_requires_tester', 'the report owner cannot edit a source');
select is(tests.try_as(:t2, $$update public.planning_data_sources set name = 'x' where name = 'Core banking'$$),
  'rows 0', 'an unassigned tester does not see the source');
select is(tests.try_as(:o1, 'select count(*) from public.planning_data_sources'), 'rows 2', 'the report owner reads the sources');
select is(tests.try_as('anon', 'select count(*) from public.planning_data_sources'), '42501', 'anon reads nothing');

-- passwords: only the service_role ----------------------------------------------------------------------------
select is(tests.try_as(:t1, 'select count(*) from private.planning_data_source_secrets'), '42501', 'the tester cannot read passwords');
select is(tests.try_as(:o1, 'select count(*) from private.planning_data_source_secrets'), '42501', 'the report owner cannot read passwords');
select is(tests.try_as(:admin, 'select count(*) from private.planning_data_source_secrets'), '42501', 'an admin user cannot read passwords through the API');
select is(tests.try_as('anon', 'select count(*) from private.planning_data_source_secrets'), '42501', 'anon cannot read passwords');
select is(tests.try_as(:t1, $$update private.planning_data_source_secrets set password = 'x'$$), '42501', 'the tester cannot change passwords');
select is(tests.try_as('service_role', $$select count(*) from private.planning_data_source_secrets where data_source_id = '00000000-0000-4000-b000-000000000002'$$), 'rows 1', 'the service_role reads passwords');

-- the function's permission check, as the calling user ---------------------------------------------------------
select is(tests.try_as(:t1, format($$select * from private.check_planning_draft('%s')$$, tests.id('v1'))), '42501',
  'the check is not callable through the API');
select set_config('request.jwt.claims', json_build_object('sub', tests.id('o1'), 'role', 'authenticated')::text, true);
select throws_ok(format($$select private.check_planning_draft('%s')$$, tests.id('v1')), 'PT403', null,
  'the report owner may not add sources');
select set_config('request.jwt.claims', json_build_object('sub', tests.id('t2'), 'role', 'authenticated')::text, true);
select throws_ok(format($$select private.check_planning_draft('%s')$$, tests.id('v1')), 'PT404', null,
  'an unassigned tester does not see the version');
select set_config('request.jwt.claims', json_build_object('sub', tests.id('t1'), 'role', 'authenticated')::text, true);
select lives_ok(format($$select private.check_planning_draft('%s')$$, tests.id('v1')), 'the assigned tester may add sources');
select tests.clear_authentication();

-- copies: lineage, their own password, a shared table -------------------------------------------------------
select tests.run_as(:t1, $$update public.planning_data_sources set tester_decision = 'approved'$$);
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1')));
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('v1')));
insert into tests.fixture_ids
select 'v2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select results_eq(
  format($$select c.name, c.table_name, c.parent_item_id, c.tester_decision::text from public.planning_data_sources c
    where c.version_id = '%s' order by c.name$$, tests.id('v2')),
  $$values ('Core banking', 'loans', '00000000-0000-4000-b000-000000000002'::uuid, 'approved'),
           ('Loans file', 'upload_t20a', '00000000-0000-4000-b000-000000000001'::uuid, 'approved')$$,
  'a new version copies the sources with lineage, sharing the uploaded table, keeping their approved decisions');
select is((select s.password from private.planning_data_source_secrets s join public.planning_data_sources d on d.id = s.data_source_id
  where d.version_id = tests.id('v2')::uuid), 's3cret', 'the copied database source has its own copy of the password');

-- deleting: the uploaded table goes with its last source --------------------------------------------------------
select tests.run_as(:t1, format($$delete from public.planning_data_sources where version_id = '%s' and source_type = 'file_upload'$$, tests.id('v2')));
select isnt(to_regclass('source_data.upload_t20a'), null, 'a table still used by another version stays');
select set_config('request.jwt.claims', json_build_object('sub', tests.id('t1'), 'role', 'authenticated')::text, true);
insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
values (tests.id('v2')::uuid, 'Scratch', 'file_upload', 'upload_t20b', '{"columns": [{"name": "x"}]}', 0);
select tests.clear_authentication();
select tests.run_as(:t1, $$delete from public.planning_data_sources where name = 'Scratch'$$);
select is(to_regclass('source_data.upload_t20b'), null, 'deleting the last source of an upload drops its table');

select * from finish();
rollback;
