-- Inserts with RETURNING (PostgREST's Prefer: return=representation) return the new row on the tables later
-- phases added, to each role allowed to insert: samples, requests and their items, responses, files and comments
-- (sample selection and requests for information); observations and their evidence are in 58.
-- The tables the database fills itself (scoping decisions, test cases, test reports) take no insert at all.
begin;
select plan(12);

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set p1 '''provider1@test.local'''
\set admin '''admin@test.local'''

-- Sample selection and requests for information ------------------------------------------------------------------
select tests.create_sampling_fixture('upload_t57');
insert into tests.fixture_ids values ('p1', tests.create_user('provider1@test.local', 'data_provider'));
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';

select is(tests.try_as(:t1, format($$with pgrst_source as (insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
  values (%L, 'L0001', 1, 'random') returning *) select * from pgrst_source$$, tests.id('sv1'))),
  'rows 1', 'the assigned tester gets the sample they add');
select is(tests.try_as(:admin, format($$with pgrst_source as (insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
  values (%L, 'L0002', 2, 'random') returning *) select * from pgrst_source$$, tests.id('sv1'))),
  'rows 1', 'so does an admin');

select tests.run_as(:t1, format(
  $$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
    values (%1$L, 'L0001', 1, 'random'), (%1$L, 'L0002', 2, 'random')$$, tests.id('sv1')));
select tests.run_as(:t1, format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as(:o1, format($$update public.sample_decisions set report_owner_decision = 'approved', report_owner_notes = 'checked' where version_id = %L$$, tests.id('sv1')));
select tests.run_as(:o1, format('select public.approve_version(%L)', tests.id('sv1')));
insert into tests.fixture_ids select 'sample ' || sample_key, id::text from public.sample_decisions where version_id = tests.id('sv1')::uuid;
select tests.run_as(:t1, format('select public.complete_activity(a) from tests.manual_activity_ids(%s) a', tests.phase('sample_selection1')));
select tests.run_as(:t1, format('select public.complete_phase(%s)', tests.phase('sample_selection1')));
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('request_info1')));

create temporary table req57 as
select tests.phase('request_info1') as phase_id, tests.id('cr1')::bigint as cycle_report_id, tests.id('p1')::uuid as provider_id;
grant select on req57 to authenticated;

select is(tests.try_as(:t1, $$with pgrst_source as (insert into public.requests (cycle_report_id, phase_id, phase_name, title, assignee_id)
  select cycle_report_id, phase_id, 'request_info', 'Evidence', provider_id from req57 returning *) select * from pgrst_source$$),
  'rows 1', 'the assigned tester gets the request they create');
select is(tests.try_as(:admin, $$with pgrst_source as (insert into public.requests (cycle_report_id, phase_id, phase_name, title, assignee_id)
  select cycle_report_id, phase_id, 'request_info', 'Evidence', provider_id from req57 returning *) select * from pgrst_source$$),
  'rows 1', 'so does an admin');

insert into tests.fixture_ids
select 'rfi', tests.run_as(:t1, format($$select id from public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3, 'Evidence for L0001')$$,
  tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('sample L0001'), tests.id('p1'))) -> 0 ->> 'id';
select is(tests.try_as(:t1, format($$with pgrst_source as (insert into public.request_items (request_id, attribute_id, sample_id)
  values (%s, %L, %L) returning *) select * from pgrst_source$$, tests.id('rfi'), tests.id('pv1 Region'), tests.id('sample L0001'))),
  'rows 1', 'the assigned tester gets the item they add to a draft request');
select is(tests.try_as(:admin, format($$with pgrst_source as (insert into public.request_items (request_id, attribute_id, sample_id)
  values (%s, %L, %L) returning *) select * from pgrst_source$$, tests.id('rfi'), tests.id('pv1 Region'), tests.id('sample L0001'))),
  'rows 1', 'so does an admin');

select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('rfi')));
select is(tests.try_as(:p1, format($$with pgrst_source as (insert into public.request_responses (request_id, body)
  values (%s, 'Loan agreement, page 3') returning *) select * from pgrst_source$$, tests.id('rfi'))),
  'rows 1', 'the data provider gets the response they write');
select is(tests.try_as(:p1, format($$with pgrst_source as (insert into public.request_comments (request_id, body)
  values (%s, 'Which page?') returning *) select * from pgrst_source$$, tests.id('rfi'))),
  'rows 1', 'and the comment');
select is(tests.try_as(:t1, format($$with pgrst_source as (insert into public.request_comments (request_id, body)
  values (%s, 'Page 3') returning *) select * from pgrst_source$$, tests.id('rfi'))),
  'rows 1', 'so does the tester');
select is(tests.try_as(:admin, format($$with pgrst_source as (insert into public.request_comments (request_id, body)
  values (%s, 'Noted') returning *) select * from pgrst_source$$, tests.id('rfi'))),
  'rows 1', 'and an admin');

select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Loan agreement')$$, tests.id('rfi')));
insert into tests.fixture_ids select 'resp1', max(id)::text from public.request_responses where request_id = tests.id('rfi')::bigint;
create temporary table obj57 (path text);
insert into obj57 values (format('%s/%s/agreement.pdf', tests.id('cr1'), tests.id('rfi')));
grant select on obj57 to authenticated;
select tests.run_as(:p1, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s', '%s', '{"size": 10, "mimetype": "application/pdf"}')$$, (select path from obj57), tests.id('p1')));
select is(tests.try_as(:p1, format($$with pgrst_source as (insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s', 'agreement.pdf', 'application/pdf', 10, repeat('a', 64)) returning *) select * from pgrst_source$$, tests.id('resp1'), (select path from obj57))),
  'rows 1', 'the data provider gets the file record they attach');

-- Tables the database fills itself ------------------------------------------------------------------------------
select is(
  (select array_agg(t order by t) from unnest(array['scoping_decisions', 'test_cases', 'test_reports']) t
    where has_any_column_privilege('authenticated', ('public.' || t)::regclass, 'INSERT')),
  null, 'scoping decisions, test cases and test reports are made by the database, never inserted through the API');

select * from finish();
rollback;
