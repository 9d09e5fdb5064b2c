-- Requests for information: the same request machinery, asking for evidence of a sample x attribute. Items name
-- an approved sample of the approved sample selection and an in-scope attribute; the data provider reads the
-- sample's key and nothing else of it.
begin;
select plan(13);

select tests.create_sampling_fixture('upload_t71');
insert into tests.fixture_ids values ('p1', tests.create_user('provider1@test.local', 'data_provider'));

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set p1 '''provider1@test.local'''

-- cr1: a sample selection approved with L0001 (approved) and L0002 (rejected); sample selection completed
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format(
  $$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
    values (%1$L, 'L0001', 1, 'random'), (%1$L, 'L0002', 2, 'random')$$, tests.id('sv1')));
select tests.run_as(:t1, format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as(:o1, format($$update public.sample_decisions set report_owner_decision = case sample_key when 'L0001' then 'approved' else 'rejected' end::public.review_decision,
  report_owner_notes = 'checked' where version_id = %L$$, tests.id('sv1')));
select tests.run_as(:o1, format('select public.approve_version(%L)', tests.id('sv1')));
insert into tests.fixture_ids select 'sample ' || sample_key, id::text from public.sample_decisions where version_id = tests.id('sv1')::uuid;
select tests.run_as(:t1, format('select public.complete_activity(a) from tests.manual_activity_ids(%s) a', tests.phase('sample_selection1')));
select tests.run_as(:t1, format('select public.complete_phase(%s)', tests.phase('sample_selection1')));
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('request_info1')));

-- acting as the tester
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s"}]', '%s', current_date + 3)$$,
  tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('p1'))),
  'PT400 request_item_sample_required', 'a request for information names a sample');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3)$$,
  tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('sample L0002'), tests.id('p1'))),
  'PT409 sample_not_approved', 'an approved sample only');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3)$$,
  tests.phase('request_info1'), tests.id('pv1 Amount'), extensions.gen_random_uuid(), tests.id('p1'))),
  'PT409 sample_not_approved', 'of this cycle report''s approved sample selection');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3)$$,
  tests.phase('request_info1'), extensions.gen_random_uuid(), tests.id('sample L0001'), tests.id('p1'))),
  'PT409 attribute_not_in_scope', 'and an in-scope attribute');
insert into tests.fixture_ids
select 'rfi', tests.run_as(:t1, format($$select id from public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}, {"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date - 1, 'Evidence for L0001')$$,
  tests.phase('request_info1'), tests.id('pv1 Amount'), tests.id('sample L0001'), tests.id('pv1 Region'), tests.id('sample L0001'), tests.id('p1'))) -> 0 ->> 'id';
select is((select array_agg((attribute_name, sample_label, sample_fields)::text order by attribute_name) from public.request_items where request_id = tests.id('rfi')::bigint),
  array[('Amount', 'L0001', '{"sample_key": "L0001"}')::text, ('Region', 'L0001', '{"sample_key": "L0001"}')::text],
  'one request, two items: each copies the attribute and the sample''s key');
select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('rfi')));
select is(tests.run_as(:t1, format($$select title from public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]', '%s', current_date + 3, 'Evidence', null, true)$$,
  tests.phase('request_info1'), tests.id('pv1 Region'), tests.id('sample L0001'), tests.id('p1'))) -> 0 ->> 'title',
  'Evidence: Region · L0001', 'one request per item is titled with the attribute and the sample''s key');
select tests.run_as(:t1, $$delete from public.requests where title = 'Evidence: Region · L0001'$$);

-- acting as the data provider
select is(tests.run_as(:p1, 'select title, is_overdue, item_count from public.request_summaries') -> 0,
  '{"title": "Evidence for L0001", "is_overdue": true, "item_count": 2}', 'the assignee sees the request, overdue past its due date');
select is(tests.run_as(:p1, 'select array_agg(sample_label) as labels from public.request_items') -> 0 ->> 'labels', '["L0001", "L0001"]',
  'and the sample it names');
select is(tests.try_as(:p1, 'select count(*) from public.sample_decisions'), 'rows 0', 'but no sample decision');
select is(tests.try_as(:p1, 'select count(*) from public.scoping_decisions'), 'rows 0', 'nor any scoping decision');

-- the phase completes once the request is final
select tests.run_as(:t1, format('select public.complete_activity(a) from tests.activity_ids(%s) a', tests.phase('request_info1')));
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('request_info1'))), 'PT409 requests_open',
  'the request for information phase waits for its request');
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Loan agreement, page 3')$$, tests.id('rfi')));
select tests.run_as(:p1, format('select public.respond_to_request(%s)', tests.id('rfi')));
select is(tests.run_as(:p1, 'select is_overdue from public.request_summaries') -> 0 ->> 'is_overdue', 'false',
  'a responded request is not overdue');
select tests.run_as(:t1, format('select public.accept_request(%s)', tests.id('rfi')));
select is(tests.run_as(:t1, format('select status from public.complete_phase(%s)', tests.phase('request_info1'))) -> 0 ->> 'status',
  'completed', 'and completes once it is accepted');

select * from finish();
rollback;
