-- Requests to data providers: one lifecycle for the data request and the requests for information, who may make
-- each move, what a data provider sees, and the phase that completes only once its requests are final.
begin;
select plan(83);

select tests.create_fixture();
insert into tests.fixture_ids values
  ('p1', tests.create_user('provider1@test.local', 'data_provider')),
  ('p2', tests.create_user('provider2@test.local', 'data_provider'));

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set p1 '''provider1@test.local'''
\set p2 '''provider2@test.local'''
\set admin '''admin@test.local'''

-- cr1: planning approved with three attributes (and one rejected), scoping skipped, the data request started
create table source_data.upload_t60 (id integer, amount numeric, rate numeric, status text);
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'pv1', v.id::text from public.create_version(tests.phase('planning1')) v;
with s as (
  insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
  values (tests.id('pv1')::uuid, 'Loans', 'file_upload', 'upload_t60',
          '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "rate", "pgType": "numeric"}, {"name": "status", "pgType": "text"}]}', 0, 'approved')
  returning id
) insert into tests.fixture_ids select 'source', s.id::text from s;
with a as (
  insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, business_definition, tester_decision)
  values (tests.id('pv1')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id', 'The loan''s identifier', 'approved'),
         (tests.id('pv1')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'Outstanding principal', 'approved'),
         (tests.id('pv1')::uuid, 'Rate', 'decimal', tests.id('source')::uuid, 'rate', 'Interest rate', 'approved'),
         (tests.id('pv1')::uuid, 'Status', 'string', tests.id('source')::uuid, 'status', 'Loan status', 'rejected')
  returning id, name
) insert into tests.fixture_ids select 'attr ' || a.name, a.id::text from a;
select public.submit_version(tests.id('pv1')::uuid);
select public.approve_version(tests.id('pv1')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('scoping1');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('data_request1')));

create temporary table items_json as
select jsonb_agg(jsonb_build_object('attribute_id', tests.id('attr ' || n)) order by n) as three
  from unnest(array['Loan id', 'Amount', 'Rate']) n;
grant select on items_json to authenticated;

-- acting as the tester: create requests in bulk --------------------------------------------------------------
select is(tests.try_as(:o1, format($$select public.create_requests(%s, '%s', '%s')$$, tests.phase('data_request1'),
  (select three from items_json), tests.id('p1'))), 'PT403 request_edit_requires_tester', 'the report owner cannot create requests');
select is(tests.try_as(:p1, format($$select public.create_requests(%s, '%s', '%s')$$, tests.phase('data_request1'),
  (select three from items_json), tests.id('p1'))), 'PT403 request_edit_requires_tester', 'nor can a data provider');
select is(tests.try_as(:t2, format($$select public.create_requests(%s, '%s', '%s')$$, tests.phase('data_request1'),
  (select three from items_json), tests.id('p1'))), 'PT403 request_edit_requires_tester', 'nor a tester of another cycle report');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[]')$$, tests.phase('data_request1'))),
  'PT400 no_items_chosen', 'a request names at least one item');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s"}]')$$, tests.phase('data_request1'), tests.id('attr Status'))),
  'PT409 attribute_not_in_scope', 'an attribute that is not in scope cannot be requested');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s", "sample_id": "%s"}]')$$, tests.phase('data_request1'),
  tests.id('attr Amount'), extensions.gen_random_uuid())),
  'PT400 request_item_sample_not_allowed', 'the data request asks for attributes, not samples');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s"}]')$$, tests.phase('planning1'), tests.id('attr Amount'))),
  'PT409 phase_has_no_requests', 'planning sends no requests');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s"}]', '%s')$$, tests.phase('data_request1'),
  tests.id('attr Amount'), tests.id('t2'))), 'PT409 assignee_not_data_provider', 'requests are assigned to data providers only');
select is(tests.try_as(:t1, format($$select public.create_requests(%s, '[{"attribute_id": "%s"}]')$$, tests.phase('data_request2'), tests.id('attr Amount'))),
  'PT403 request_edit_requires_tester', 'a tester creates requests only in their own cycle reports');

insert into tests.fixture_ids
select 'req ' || (r ->> 'title'), r ->> 'id'
  from jsonb_array_elements(tests.run_as(:t1, format($$select id, title from public.create_requests(%s, '%s', '%s', null, 'Source data', 'Send an extract.', true)$$,
    tests.phase('data_request1'), (select three from items_json), tests.id('p1')))) r;
select is((select array_agg(title order by title) from public.requests where cycle_report_id = tests.id('cr1')::bigint),
  array['Source data: Amount', 'Source data: Loan id', 'Source data: Rate'], 'one draft request per attribute, titled with its name');
select is((select array_agg(distinct status::text) from public.requests where cycle_report_id = tests.id('cr1')::bigint), array['draft'], 'all drafts');
select is((select (created_by::text, phase_name, attribute_name, attribute_definition)::text
             from public.requests r join public.request_items i on i.request_id = r.id where r.id = tests.id('req Source data: Amount')::bigint),
  (tests.id('t1'), 'data_request', 'Amount', 'Outstanding principal')::text, 'stamped with its creator; the item copies the attribute''s name and definition');
select is(tests.try_as(:t1, format($$insert into public.request_items (request_id, attribute_id) values (%s, '%s')$$, tests.id('req Source data: Amount'), tests.id('attr Amount'))),
  '23505', 'an attribute is named once per request');

-- a data provider sees no draft
select is(tests.try_as(:p1, 'select count(*) from public.requests'), 'rows 0', 'the assignee does not see draft requests');
select is(tests.try_as(:p1, format('select public.send_request(%s)', tests.id('req Source data: Amount'))), 'PT404 request_not_found',
  'nor can they send them');

-- sending
select is(tests.try_as(:t1, format('select public.send_request(%s)', tests.id('req Source data: Amount'))), 'PT409 request_due_date_required',
  'a request needs a due date before it is sent');
select tests.run_as(:t1, format($$update public.requests set due_date = current_date + 7 where cycle_report_id = %s$$, tests.id('cr1')));
select is(tests.try_as(:o1, format('select public.send_request(%s)', tests.id('req Source data: Amount'))), 'PT403 send_requires_tester',
  'the report owner cannot send a request');
select is(tests.try_as(:t1, format($$update public.requests set status = 'sent' where id = %s$$, tests.id('req Source data: Amount'))), '42501',
  'the status changes only through the transitions');
select is(tests.run_as(:t1, format('select status, sent_by from public.send_request(%s)', tests.id('req Source data: Amount'))) -> 0,
  jsonb_build_object('status', 'sent', 'sent_by', tests.id('t1')), 'the tester sends it, stamped');
select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('req Source data: Loan id')));
select tests.run_as(:t1, format('select public.send_request(%s)', tests.id('req Source data: Rate')));
select is(tests.try_as(:t1, format($$update public.requests set title = 'Other' where id = %s$$, tests.id('req Source data: Amount'))),
  'PT409 request_not_draft', 'a sent request''s title does not change');
select is(tests.try_as(:t1, format($$update public.requests set due_date = current_date + 10 where id = %s$$, tests.id('req Source data: Amount'))),
  'rows 1', 'its due date does');
select is(tests.try_as(:t1, format($$delete from public.requests where id = %s$$, tests.id('req Source data: Amount'))),
  'rows 0', 'a sent request is not deleted by the tester');
select is(tests.try_as('postgres', format($$delete from public.requests where id = %s$$, tests.id('req Source data: Amount'))),
  'PT409 request_not_draft', 'nor in Studio');
select is(tests.try_as(:t1, format($$insert into public.request_items (request_id, attribute_id) values (%s, '%s')$$, tests.id('req Source data: Amount'), tests.id('attr Rate'))),
  'PT409 request_not_draft', 'nor its items');

-- what a data provider sees --------------------------------------------------------------------------------
select is(tests.try_as(:p1, 'select count(*) from public.requests'), 'rows 3', 'the assignee sees the requests sent to them');
select is(tests.run_as(:p1, 'select attribute_name, attribute_definition from public.request_items order by attribute_name') -> 0,
  '{"attribute_name": "Amount", "attribute_definition": "Outstanding principal"}', 'and what they name');
select is(tests.try_as(:p2, 'select count(*) from public.requests'), 'rows 0', 'another data provider sees none of them');
select is(tests.try_as(:p2, 'select count(*) from public.request_items'), 'rows 0', 'nor their items');
select is(tests.try_as(:p1, 'select count(*) from public.planning_attributes'), 'rows 0', 'a data provider reads no planning attribute');
select is(tests.try_as(:p1, 'select count(*) from public.planning_data_sources'), 'rows 0', 'no data source');
select is(tests.try_as(:p1, 'select count(*) from public.cycle_reports'), 'rows 0', 'no cycle report');
select is(tests.try_as(:p1, 'select count(*) from public.workflow_phases'), 'rows 0', 'no phase');
select is(tests.try_as(:p1, 'select count(*) from public.artifact_versions'), 'rows 0', 'no version');
select is(tests.try_as(:p1, 'select count(*) from public.audit_log'), 'rows 0', 'no audit row');
select is(tests.run_as(:p1, 'select array_agg(email order by email) as e from public.profiles') -> 0 -> 'e',
  '["provider1@test.local", "tester1@test.local"]', 'of the profiles, their own and the tester who asked them');
select is(tests.run_as(:t1, $$select array_agg(email order by email) as e from public.profiles where app_role = 'data_provider' and email like '%@test.local'$$) -> 0 -> 'e',
  '["provider1@test.local", "provider2@test.local"]', 'testers read every data provider''s profile, to assign them');
select is(tests.try_as(:o1, 'select count(*) from public.requests'), 'rows 3', 'the report owner reads the requests of their report');
select is(tests.try_as(:t2, 'select count(*) from public.requests'), 'rows 0', 'a tester of another cycle report does not');
select is(tests.try_as(:admin, format('select count(*) from public.requests where cycle_report_id = %s', tests.id('cr1'))), 'rows 3',
  'admins read every request');
select is(tests.try_as('anon', 'select count(*) from public.requests'), '42501', 'anonymous callers get nothing');
select is(tests.try_as('anon', 'select count(*) from public.request_files'), '42501', 'nor any file record');
select is(tests.try_as('anon', 'select count(*) from storage.objects where bucket_id = $$evidence$$'), 'rows 0', 'nor any evidence object');
select is(tests.try_as(:p1, format('select count(*) from public.request_summaries where cycle_report_id = %s', tests.id('cr1'))), 'rows 3',
  'the summaries follow the same rules');
select is(tests.try_as(:p2, 'select count(*) from public.request_summaries'), 'rows 0', 'for every data provider');

-- responding ------------------------------------------------------------------------------------------------
select is(tests.try_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Source data: Amount'))), 'PT409 response_required',
  'a response comes before responding');
select is(tests.try_as(:t1, format($$insert into public.request_responses (request_id, body) values (%s, 'x')$$, tests.id('req Source data: Amount'))),
  'PT403 respond_requires_assignee', 'the tester does not respond');
select is(tests.try_as(:p2, format($$insert into public.request_responses (request_id, body) values (%s, 'x')$$, tests.id('req Source data: Amount'))),
  'PT404 request_not_found', 'another data provider cannot respond');
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Extract attached')$$,
  tests.id('req Source data: Amount')));
insert into tests.fixture_ids select 'resp1', max(id)::text from public.request_responses;

-- files: under the request's own folder, within the limits
create temporary table file_sql (cr text, req text);
insert into file_sql values (tests.id('cr1'), tests.id('req Source data: Amount'));
grant select on file_sql to authenticated;
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/../x.csv', 'x.csv', 'text/csv', 10, repeat('a', 64))$$, tests.id('resp1'), tests.id('cr1'), tests.id('req Source data: Amount'))),
  'PT400 invalid_object_path', 'a file name cannot climb out of the request''s folder');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/x.csv', 'x.csv', 'text/csv', 10, repeat('a', 64))$$, tests.id('resp1'), tests.id('cr2'), tests.id('req Source data: Amount'))),
  'PT400 invalid_object_path', 'nor be stored under another cycle report');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/x.csv', 'x.csv', 'text/csv', 26214401, repeat('a', 64))$$, tests.id('resp1'), tests.id('cr1'), tests.id('req Source data: Amount'))),
  'PT400 file_too_large', 'a file is at most 25 MiB');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/x.exe', 'x.exe', 'application/x-msdownload', 10, repeat('a', 64))$$, tests.id('resp1'), tests.id('cr1'), tests.id('req Source data: Amount'))),
  'PT400 file_type_not_allowed', 'of an allowed type');
-- the evidence bucket: policies on storage.objects follow the request's access
select is((select (public, file_size_limit, 'text/csv' = any (allowed_mime_types), 'application/x-msdownload' = any (allowed_mime_types))::text
             from storage.buckets where id = 'evidence'), '(f,26214400,t,f)', 'the evidence bucket is private, 25 MiB, evidence types only');
create temporary table obj (path text);
insert into obj values (format('%s/%s/loans.csv', tests.id('cr1'), tests.id('req Source data: Amount')));
grant select on obj to authenticated;
select is(tests.try_as(:p1, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s/%s/x.csv', '%s', '{"size": 10, "mimetype": "text/csv"}')$$, tests.id('cr2'), tests.id('req Source data: Amount'), tests.id('p1'))),
  '42501', 'the assignee cannot upload under another cycle report''s folder');
select is(tests.try_as(:p1, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s/%s/../x.csv', '%s', '{"size": 10, "mimetype": "text/csv"}')$$, tests.id('cr1'), tests.id('req Source data: Amount'), tests.id('p1'))),
  '42501', 'nor climb out of the request''s folder');
select is(tests.try_as(:p2, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s', '%s', '{"size": 10, "mimetype": "text/csv"}')$$, (select path from obj), tests.id('p2'))),
  '42501', 'another data provider cannot upload into the request''s folder');
select is(tests.try_as(:t1, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s', '%s', '{"size": 10, "mimetype": "text/csv"}')$$, (select path from obj), tests.id('t1'))),
  '42501', 'nor does the tester: evidence comes from the assignee');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s', 'loans.csv', 'text/csv', 10, repeat('A', 64))$$, tests.id('resp1'), (select path from obj))),
  'PT400 file_not_uploaded', 'a file is uploaded before a response names it');
select tests.run_as(:p1, format($$insert into storage.objects (bucket_id, name, owner_id, metadata)
  values ('evidence', '%s', '%s', '{"size": 10, "mimetype": "text/csv"}')$$, (select path from obj), tests.id('p1')));
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s', 'loans.csv', 'text/csv', 11, repeat('A', 64))$$, tests.id('resp1'), (select path from obj))),
  'PT400 file_record_mismatch', 'with the size the object has');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s', 'x.csv', 'text/csv', 10, 'not a checksum')$$, tests.id('resp1'), (select path from obj))),
  '23514', 'with a SHA-256 checksum');
select is(tests.try_as(:o1, 'select count(*) from storage.objects where bucket_id = $$evidence$$'), 'rows 1', 'the report owner can download the evidence');
select is(tests.try_as(:t2, 'select count(*) from storage.objects where bucket_id = $$evidence$$'), 'rows 0', 'a tester of another report cannot');
select is(tests.try_as(:p2, 'select count(*) from storage.objects where bucket_id = $$evidence$$'), 'rows 0', 'nor can another data provider');
select is(tests.try_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/loans.csv', 'loans.csv', 'text/csv', 10, repeat('A', 64))$$, tests.id('resp1'), tests.id('cr1'), tests.id('req Source data: Amount'))),
  'rows 1', 'the assignee attaches a file to their response');
select tests.run_as(:p1, format($$insert into public.request_files (response_id, object_path, file_name, content_type, size_bytes, sha256)
  values (%s, '%s/%s/loans.csv', 'loans.csv', 'text/csv', 10, repeat('A', 64))$$, tests.id('resp1'), tests.id('cr1'), tests.id('req Source data: Amount')));
select is((select (sha256 = repeat('a', 64), uploaded_by::text)::text from public.request_files where response_id = tests.id('resp1')::bigint), (true, tests.id('p1'))::text,
  'its checksum is kept in lower case, with who uploaded it');
select is(tests.try_as(:p1, format($$update storage.objects set metadata = '{"size": 1}' where name = '%s'$$, (select path from obj))),
  'rows 0', 'an attached object is not overwritten');
select is(tests.try_as(:p1, format($$delete from storage.objects where name = '%s'$$, (select path from obj))),
  'rows 0', 'nor removed');
select is(tests.try_as('postgres', 'update public.request_responses set body = $$changed$$'), 'PT409 response_immutable', 'a response never changes');
select is(tests.try_as('postgres', 'delete from public.request_files'), 'PT409 response_immutable', 'nor are its files removed');
select is(tests.run_as(:p1, format('select status, responded_by from public.respond_to_request(%s)', tests.id('req Source data: Amount'))) -> 0,
  jsonb_build_object('status', 'responded', 'responded_by', tests.id('p1')), 'the assignee responds');

-- returning and accepting
select is(tests.try_as(:p1, format('select public.accept_request(%s)', tests.id('req Source data: Amount'))), 'PT403 accept_requires_tester',
  'the assignee cannot accept their own response');
select is(tests.try_as(:t1, format($$select public.return_request(%s, '  ')$$, tests.id('req Source data: Amount'))), 'PT400 return_reason_required',
  'a return needs a reason');
select is(tests.run_as(:t1, format($$select status, return_reason, return_count from public.return_request(%s, ' Amounts are cut off ')$$, tests.id('req Source data: Amount'))) -> 0,
  '{"status": "returned", "return_reason": "Amounts are cut off", "return_count": 1}', 'the tester returns it with a reason');
select is(tests.try_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Source data: Amount'))), 'PT409 response_required',
  'a returned request needs a new response');
select tests.run_as(:p1, format($$insert into public.request_responses (request_id, body) values (%s, 'Full extract')$$, tests.id('req Source data: Amount')));
select tests.run_as(:p1, format('select public.respond_to_request(%s)', tests.id('req Source data: Amount')));
select is(tests.run_as(:t1, format('select status, accepted_by from public.accept_request(%s)', tests.id('req Source data: Amount'))) -> 0,
  jsonb_build_object('status', 'accepted', 'accepted_by', tests.id('t1')), 'the tester accepts it');
select is(tests.try_as(:t1, format($$select public.return_request(%s, 'again')$$, tests.id('req Source data: Amount'))), 'PT409 illegal_request_transition',
  'an accepted request is not returned');

-- comments
select is(tests.try_as(:o1, format($$insert into public.request_comments (request_id, body) values (%s, 'hi')$$, tests.id('req Source data: Rate'))),
  'PT403 comment_requires_participant', 'the report owner reads the thread but does not write in it');
select is(tests.try_as(:p1, format($$insert into public.request_comments (request_id, body) values (%s, 'Which date?')$$, tests.id('req Source data: Rate'))),
  'rows 1', 'the assignee comments');
select is(tests.try_as(:p2, format($$insert into public.request_comments (request_id, body) values (%s, 'hi')$$, tests.id('req Source data: Rate'))),
  'PT404 request_not_found', 'another data provider cannot');

-- the phase completes when every request is final
select tests.run_as(:t1, format('select public.complete_activity(a) from tests.activity_ids(%s) a', tests.phase('data_request1')));
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('data_request1'))), 'PT409 requests_open',
  'the data request does not complete while requests are open');
select is(tests.try_as(:t1, format($$select public.close_request(%s, '')$$, tests.id('req Source data: Rate'))), 'PT400 close_reason_required',
  'closing needs a reason');
select tests.run_as(:t1, format($$select public.close_request(%s, 'Rates come from the pricing system, tested elsewhere')$$, tests.id('req Source data: Rate')));
select tests.run_as(:t1, format($$select public.close_request(%s, 'Already held from planning')$$, tests.id('req Source data: Loan id')));
select is(tests.run_as(:t1, format('select status from public.complete_phase(%s)', tests.phase('data_request1'))) -> 0 ->> 'status',
  'completed', 'it completes once each request is accepted or closed with a reason');
select is(tests.try_as(:t1, format($$update public.requests set due_date = current_date where id = %s$$, tests.id('req Source data: Rate'))),
  'PT409 phase_not_in_progress', 'requests of a completed phase do not change');
select is((select count(*)::int from public.audit_log where table_name = 'public.requests' and row_id = tests.id('req Source data: Amount')),
  7, 'every step of a request is audited');

select * from finish();
rollback;
