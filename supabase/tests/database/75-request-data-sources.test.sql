-- The data-source kind of response: a data provider answers a data request's item with a source (an upload or a
-- database source), only for the items of requests assigned to them; accepting the request accepts the source;
-- only the request's readers see it; data profiling then runs the attribute's rules on it, masked as planning's.
begin;
select plan(38);

select tests.create_fixture();
insert into tests.fixture_ids values
  ('p1', tests.create_user('provider1@test.local', 'data_provider')),
  ('p2', tests.create_user('provider2@test.local', 'data_provider'));

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set p1 '''provider1@test.local'''
\set p2 '''provider2@test.local'''

-- The planning-sources function writes as the database login carrying the user's claims (as-user.ts), not as the
-- authenticated role: these stand for it.
create function pg_temp.as_function(p_email text) returns void language sql as $$
  select set_config('request.jwt.claims',
    jsonb_build_object('sub', tests.get_user_id(p_email), 'role', 'authenticated')::text, true)
$$;
create function pg_temp.function_try(p_email text, p_sql text) returns text language plpgsql as $$
declare
  v_state text;
  v_detail text;
  v_result text;
begin
  begin
    perform pg_temp.as_function(p_email);
    execute p_sql;
    v_result := 'ok';
    raise exception using errcode = 'TSRB0';
  exception
    when sqlstate 'TSRB0' then null;
    when others then
      get stacked diagnostics v_state = returned_sqlstate, v_detail = pg_exception_detail;
      v_result := v_state || case when v_state like 'PT%' and v_detail <> '' then ' ' || v_detail else '' end;
  end;
  perform tests.clear_authentication();
  return v_result;
end;
$$;
create function pg_temp.function_run(p_email text, p_sql text) returns jsonb language plpgsql as $$
declare
  v_result jsonb;
begin
  perform pg_temp.as_function(p_email);
  execute format('with s as (%s) select to_jsonb(s) from s', p_sql) into v_result;
  perform tests.clear_authentication();
  return v_result;
end;
$$;

-- cr1: planning approved (Amount confidential, Rate internal), scoping skipped, the data request started ------
create table source_data.upload_t75 (id integer, amount numeric, rate numeric);
create table source_data.upload_t75given (id integer, amount numeric, branch text);
create table source_data.upload_t75norate (id integer, other numeric);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'pv1', v.id::text from public.create_version(tests.phase('planning1')) v;
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
  values (tests.id('pv1')::uuid, 'Loans', 'file_upload', 'upload_t75',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "rate", "pgType": "numeric"}]}', 0, 'approved')
  returning id
) insert into tests.fixture_ids select 'source', s.id::text from s;
with a as (
  insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
  values (tests.id('pv1')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'confidential', 'approved'),
         (tests.id('pv1')::uuid, 'Rate', 'decimal', tests.id('source')::uuid, 'rate', 'internal', 'approved')
  returning id, name
) insert into tests.fixture_ids select 'attr ' || a.name, a.id::text from a;
select public.submit_version(tests.id('pv1')::uuid);
select public.approve_version(tests.id('pv1')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('scoping1');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('data_request1')));

insert into tests.fixture_ids
select 'req ' || (r ->> 'title'), r ->> 'id'
  from jsonb_array_elements(tests.run_as(:t1, format($$select id, title from public.create_requests(%s, '%s', '%s', current_date + 7, 'Data', null, true)$$,
    tests.phase('data_request1'),
    jsonb_build_array(jsonb_build_object('attribute_id', tests.id('attr Amount')), jsonb_build_object('attribute_id', tests.id('attr Rate'))),
    tests.id('p1')))) r;
select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('req Data: Amount')));
select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('req Data: Rate')));
insert into tests.fixture_ids select 'item ' || attribute_name, id::text from public.request_items where cycle_report_id = tests.id('cr1')::bigint;
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Here is the extract')$$,
  tests.id('req Data: Amount')));
insert into tests.fixture_ids
select 'resp Amount', max(id)::text from public.request_responses where request_id = tests.id('req Data: Amount')::bigint;
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Rate extract')$$, tests.id('req Data: Rate')));
insert into tests.fixture_ids
select 'resp Rate', max(id)::text from public.request_responses where request_id = tests.id('req Data: Rate')::bigint;

create temporary table given (sql text);
insert into given values (format($$insert into public.request_data_sources (response_id, name, source_type, table_name, schema, row_count)
  values (%s, 'Extract', 'file_upload', 'upload_t75given',
          '{"columns": [{"name": "id", "pgType": "integer", "min": 1, "max": 9, "examples": [1, 2]}, {"name": "amount", "pgType": "numeric", "min": 10, "max": 99}, {"name": "branch", "pgType": "text"}]}', 3)$$,
  tests.id('resp Amount')));

-- who may give a source -----------------------------------------------------------------------------------
select is(pg_temp.function_try(:t1, (select sql from given)), 'PT403 respond_requires_assignee', 'the tester does not give a source');
select is(pg_temp.function_try(:p2, (select sql from given)), 'PT404 response_not_found', 'nor another data provider');
select is(tests.try_as(:p1, (select sql from given)), '42501', 'nor does the provider write it over the REST API: only through the function');
select is(pg_temp.function_try(:p1, format($$insert into public.request_data_sources (response_id, item_id, name, source_type, table_name, schema, row_count)
  values (%s, %s, 'Extract', 'file_upload', 'upload_t75given', '{"columns": []}', 0)$$, tests.id('resp Rate'), tests.id('item Amount'))),
  'PT400 item_not_in_request', 'a source supplies an item of its own request');
select is(pg_temp.function_try(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, table_name, schema, row_count)
  values (%s, 'Extract', 'file_upload', 'upload_t75', '{"columns": []}', 0)$$, tests.id('resp Amount'))),
  'PT400 invalid_data_source', 'an upload names a table of its own, not planning''s');
select is(pg_temp.function_try(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, host, database_name, table_name)
  values (%s, 'Db', 'database', '127.0.0.1', 'bank', 'loans')$$, tests.id('resp Amount'))),
  'PT400 invalid_data_source', 'a database source names its user');

-- only data requests are answered with a source (the phase's request_item_kind says what its requests name)
update public.phase_definitions set request_item_kind = 'sample_attribute' where name = 'data_request';
select is(pg_temp.function_try(:p1, (select sql from given)), 'PT409 data_source_requires_data_request',
  'a request for information (its requests name samples) is answered with files, not a source');
update public.phase_definitions set request_item_kind = 'attribute' where name = 'data_request';

-- the provider gives it
insert into tests.fixture_ids select 'given', (pg_temp.function_run(:p1, (select sql from given) || ' returning id') ->> 'id');
select is((select (status, row_count, attribute_name, item_id::text, round, created_by::text)::text from public.request_data_sources where id = tests.id('given')::uuid),
  ('ready', 3, 'Amount', tests.id('item Amount'), 0, tests.id('p1'))::text,
  'the assignee gives an upload for the request''s item: ready, with the item''s attribute, stamped');
select is((select schema from public.request_data_sources where id = tests.id('given')::uuid),
  '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "branch", "pgType": "text"}]}',
  'only the columns'' shape is kept: no min, max or examples');
select is(pg_temp.function_try(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, table_name, schema, row_count)
  values (%s, 'Again', 'file_upload', 'upload_t75given', '{"columns": []}', 0)$$, tests.id('resp Amount'))),
  'PT400 invalid_data_source', 'a loaded table belongs to one source');

-- who sees it --------------------------------------------------------------------------------------------
select is(tests.try_as(:p1, 'select count(*) from public.request_data_sources'), 'rows 1', 'the provider sees the source they gave');
select is(tests.try_as(:p2, 'select count(*) from public.request_data_sources'), 'rows 0', 'another data provider sees none');
select is(tests.try_as(:t1, 'select count(*) from public.request_data_sources'), 'rows 1', 'the tester of the report sees it');
select is(tests.try_as(:o1, 'select count(*) from public.request_data_sources'), 'rows 1', 'so does its owner');
select is(tests.try_as(:t2, 'select count(*) from public.request_data_sources'), 'rows 0', 'a tester of another report does not');
select is(tests.try_as('anon', 'select count(*) from public.request_data_sources'), '42501', 'anonymous callers get nothing');
select is(tests.try_as(:p1, 'select count(*) from private.request_data_source_secrets'), '42501', 'nobody signed in reads the passwords');
select is(tests.try_as(:p1, format('select count(*) from public.data_source_schema(%L)', tests.id('source'))), 'PT404 data_source_not_found',
  'the provider reads no planning source''s values through the schema function');
select is(tests.try_as(:p1, 'select count(*) from public.planning_data_sources'), 'rows 0', 'nor any planning source');

-- what changes ---------------------------------------------------------------------------------------------
select is(tests.try_as(:p1, format($$update public.request_data_sources set name = 'x' where id = %L$$, tests.id('given'))), '42501',
  'the provider does not edit it over the API');
select is(tests.try_as('postgres', format($$update public.request_data_sources set name = 'x' where id = %L$$, tests.id('given'))),
  'PT409 data_source_column_immutable', 'nor does anyone in Studio');
select is(tests.try_as('postgres', format($$update public.request_data_sources set accepted_at = now() where id = %L$$, tests.id('given'))),
  'PT409 data_source_acceptance_derived', 'a source is accepted only by accepting its request');
select is(tests.try_as('postgres', format($$delete from public.request_data_sources where id = %L$$, tests.id('given'))),
  'PT409 response_immutable', 'and never removed');

-- accepting -------------------------------------------------------------------------------------------------
select tests.run_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Data: Amount')));
select is(tests.run_as(:t1, format('select status from public.accept_request(%s)', tests.id('req Data: Amount'))) -> 0 ->> 'status',
  'accepted', 'the tester accepts the request');
select is((select (accepted_by::text, accepted_at is not null)::text from public.request_data_sources where id = tests.id('given')::uuid),
  (tests.id('t1'), true)::text, 'which accepts its source, stamped');
select is(private.accepted_request_source(tests.id('cr1')::bigint, 'Amount')::text, tests.id('given'),
  'the accepted source is the attribute''s');

-- a source that cannot stand in for the planning column, or is not ready, is not accepted
insert into tests.fixture_ids select 'norate', (pg_temp.function_run(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, table_name, schema, row_count)
  values (%s, 'No rate', 'file_upload', 'upload_t75norate', '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "other", "pgType": "numeric"}]}', 0) returning id$$,
  tests.id('resp Rate'))) ->> 'id');
select tests.run_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Data: Rate')));
select is(tests.try_as(:t1, format('select public.accept_request(%s)', tests.id('req Data: Rate'))),
  'PT409 data_source_lacks_attribute_column', 'a source without the attribute''s planning column is not accepted');
select tests.run_as(:t1, format($$select public.return_request(%s, 'Name the column rate')$$, tests.id('req Data: Rate')));
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'From our database')$$, tests.id('req Data: Rate')));
select is(pg_temp.function_try(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, table_name, schema, row_count)
  values (%s, 'Late', 'file_upload', 'upload_t75norate', '{"columns": []}', 0)$$, tests.id('resp Rate'))),
  'PT409 request_not_awaiting_response', 'a source answers the current round''s response');
select pg_temp.function_run(:p1, format($$insert into public.request_data_sources (response_id, name, source_type, host, database_name, table_name, username)
  values (%s, 'Db', 'database', '127.0.0.1', 'bank', 'loans', 'reader') returning id$$,
  (select max(id) from public.request_responses where request_id = tests.id('req Data: Rate')::bigint)));
select tests.run_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Data: Rate')));
select is(tests.try_as(:t1, format('select public.accept_request(%s)', tests.id('req Data: Rate'))),
  'PT409 data_source_not_ready', 'an untested database source is not accepted');
select tests.run_as(:t1, format($$select public.close_request(%s, 'Planning''s source will do')$$, tests.id('req Data: Rate')));
select is((select count(*)::int from public.request_data_sources where request_id = tests.id('req Data: Rate')::bigint and accepted_at is not null),
  0, 'closing a request accepts none of its sources');

-- profiling runs on the accepted source -------------------------------------------------------------------
select is((select (source_kind, source_id::text)::text from private.profiling_attribute_source(tests.id('attr Amount')::uuid)),
  ('request', tests.id('given'))::text, 'Amount''s rules run on the source its data request accepted');
select is((select (source_kind, source_id::text)::text from private.profiling_attribute_source(tests.id('attr Rate')::uuid)),
  ('planning', tests.id('source'))::text, 'Rate''s, with no accepted source, on its planning source');
select is(private.request_source_masked_columns(tests.id('given')::uuid), array['amount'],
  'the confidential attribute''s column stays masked in the provider''s source');

select tests.finish_activities(tests.phase('data_request1'));
select tests.run_as(:t1, format('select public.complete_phase(%s)', tests.phase('data_request1')));
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('data_profiling1')));
insert into tests.fixture_ids select 'prof', (tests.run_as(:t1, format('select id from public.create_version(%s)', tests.phase('data_profiling1'))) -> 0 ->> 'id');
select is(tests.try_as(:t1, format($$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
  values (%L, %L, 'Branch given', 'completeness', '{"kind": "not_null", "column": "branch"}')$$, tests.id('prof'), tests.id('attr Amount'))),
  'rows 1', 'a rule on Amount fits the columns of the accepted source');
select is(tests.try_as(:t1, format($$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
  values (%L, %L, 'Rate given', 'completeness', '{"kind": "not_null", "column": "rate"}')$$, tests.id('prof'), tests.id('attr Amount'))),
  'PT400 rule_does_not_fit_data_source', 'not those of the planning source it replaces');
select is(tests.try_as(:t1, format($$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
  values (%L, %L, 'Rate given', 'completeness', '{"kind": "not_null", "column": "rate"}')$$, tests.id('prof'), tests.id('attr Rate'))),
  'rows 1', 'an attribute without an accepted source keeps its planning source''s columns');
select is(tests.run_as(:o1, format('select attribute_name, source_kind, source_name, table_name from public.profiling_attribute_sources(%L)', tests.id('prof'))),
  '[{"attribute_name": "Amount", "source_kind": "request", "source_name": "Extract", "table_name": "upload_t75given"},
    {"attribute_name": "Rate", "source_kind": "planning", "source_name": "Loans", "table_name": "upload_t75"}]',
  'the workspace reads which source each attribute''s rules run on');
select is(tests.try_as(:p1, format('select * from public.profiling_attribute_sources(%L)', tests.id('prof'))), 'PT404 version_not_found',
  'a data provider reads nothing of profiling');

select * from finish();
rollback;
