-- A test case's evidence links (decision 031): a file of the same cycle report's request for information that asks
-- for the case's sample and attribute, readable by whoever links it, or a file uploaded on the case into the
-- evidence bucket; test_cases.evidence is the database's summary of them, and a link is a change to the case.
begin;
select plan(27);

select tests.create_rfi_evidence_fixture('upload_evidencepgtap');

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set p1 '''provider1@test.local'''

-- Another cycle report's request-for-information file (set up as the operator, triggers off: only its shape matters).
set local session_replication_role = replica;
with r as (
  insert into public.requests (phase_id, cycle_report_id, phase_name, title, status)
  values (tests.phase('request_info2'), tests.id('cr2')::bigint, 'request_info', 'Elsewhere', 'accepted') returning id
), s as (
  insert into public.request_responses (request_id, cycle_report_id) select r.id, tests.id('cr2')::bigint from r returning id, request_id
), f as (
  insert into public.request_files (response_id, request_id, cycle_report_id, object_path, file_name, content_type, size_bytes, sha256)
  select s.id, s.request_id, tests.id('cr2')::bigint, tests.id('cr2') || '/' || s.request_id || '/other.pdf', 'other.pdf', 'application/pdf', 10, repeat('cd', 32)
    from s returning id
) insert into tests.fixture_ids select 'f other report', f.id::text from f;
set local session_replication_role = origin;

-- acting as tester1: linking the request-for-information files
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), tests.id('f amount 1'))),
  'rows 1', 'the file answering the case''s own sample and attribute is linked');
select tests.run_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), tests.id('f amount 1')));
select is((select (e.file_name, e.sha256, e.version_id::text, e.linked_by::text)::text from public.test_case_evidence e where e.test_case_id = tests.id('case 1 Amount')::uuid),
  ('statement-1.pdf', repeat('ab', 32), tests.id('tv1'), tests.id('t1'))::text,
  'the link copies the file''s name and checksum, and who linked it');
select is((select evidence from public.test_cases where id = tests.id('case 1 Amount')::uuid),
  jsonb_build_array(jsonb_build_object('name', 'statement-1.pdf', 'kind', 'rfi_file', 'source', 'rfi',
    'request_file_id', tests.id('f amount 1'), 'sha256', repeat('ab', 32))),
  'test_cases.evidence summarises the links');
select is((select prepared_by::text from public.test_cases where id = tests.id('case 1 Amount')::uuid), tests.id('t1'),
  'linking evidence is preparing the case');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), tests.id('f amount 2'))),
  'PT400 evidence_not_for_this_test', 'a file asked for another sample is refused');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Loan id'), tests.id('f amount 1'))),
  'PT400 evidence_not_for_this_test', 'so is a file answering another attribute of the same request');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Loan id'), tests.id('f whole 1'))),
  'rows 1', 'a file answering the whole request is evidence for each sample and attribute it asks for');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 3 Amount'), tests.id('f whole 1'))),
  'PT400 evidence_not_for_this_test', 'and for no other');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), tests.id('f other report'))),
  'PT404 evidence_file_not_found', 'another report''s file is not visible to the tester');
select is(tests.try_as('admin@test.local', format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), tests.id('f other report'))),
  'PT400 evidence_not_of_this_report', 'and even an admin who sees it cannot link it to this report''s test');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Amount'), extensions.gen_random_uuid())),
  'PT404 evidence_file_not_found', 'a file that does not exist is not found');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, file_name) values (%L, 'reference', 'Loan system')$$, tests.id('case 1 Amount'))),
  '23514', 'a reference to a document kept elsewhere says where it is');

-- Who links: the cycle report's testers; the owner and the provider do not.
select is(tests.try_as(:o1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Loan id'), tests.id('f whole 1'))),
  'PT403 item_edit_requires_tester', 'the report owner does not link evidence');
select is(tests.try_as(:p1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, request_file_id, file_name) values (%L, 'rfi_file', %L, 'x')$$,
  tests.id('case 1 Loan id'), tests.id('f whole 1'))),
  'PT404 test_case_not_found', 'the data provider sees no test case');
select is(tests.try_as(:o1, 'select count(*) from public.test_case_evidence'), 'rows 1', 'the report owner reads the links');
select is(tests.try_as(:p1, 'select count(*) from public.test_case_evidence'), 'rows 0', 'the data provider reads none');

-- The summary is the database's; links are not rewritten.
select is(tests.try_as(:t1, format($$update public.test_cases set evidence = '[]' where id = %L$$, tests.id('case 1 Amount'))),
  '42501', 'a tester cannot write test_cases.evidence directly');
select throws_ok(format($$update public.test_cases set evidence = '[]' where id = %L$$, tests.id('case 1 Amount')),
  'PT409', null, 'nor can the operator in Studio (test_case_evidence_derived)');
select throws_ok(format($$update public.test_case_evidence set file_name = 'renamed' where test_case_id = %L$$, tests.id('case 1 Amount')),
  'PT409', null, 'a link is never rewritten (evidence_link_immutable)');

-- A new link after sign-off voids the review.
select tests.run_as(:t1, format($$update public.test_cases set result = 'pass', source_value = '100' where id = %L$$, tests.id('case 1 Amount')));
select tests.run_as(:t2, format($$update public.test_cases set tester_decision = 'approved' where id = %L$$, tests.id('case 1 Amount')));
select tests.run_as(:t1, format($$delete from public.test_case_evidence where test_case_id = %L$$, tests.id('case 1 Amount')));
select is((select (tester_decision, review_void_reason, evidence)::text from public.test_cases where id = tests.id('case 1 Amount')::uuid),
  (null::public.review_decision, 'Changed after review: evidence', '[]'::jsonb)::text,
  'removing evidence from a reviewed case voids its review and says why');

-- Uploading on the case: the evidence bucket, under the case's own folder.
select is(tests.try_as(:t1, format(
  $$insert into storage.objects (bucket_id, name, owner_id, metadata) values ('evidence', '%s/cases/%s/photo.png', auth.uid()::text, '{"size": 2048, "mimetype": "image/png"}')$$,
  tests.id('cr1'), tests.id('case 2 Rating'))),
  'rows 1', 'a tester uploads a file into the case''s folder of the evidence bucket');
select tests.run_as(:t1, format(
  $$insert into storage.objects (bucket_id, name, owner_id, metadata) values ('evidence', '%s/cases/%s/photo.png', auth.uid()::text, '{"size": 2048, "mimetype": "image/png"}')$$,
  tests.id('cr1'), tests.id('case 2 Rating')));
select is(tests.try_as(:o1, format(
  $$insert into storage.objects (bucket_id, name, owner_id) values ('evidence', '%s/cases/%s/owner.png', auth.uid()::text)$$,
  tests.id('cr1'), tests.id('case 2 Rating'))),
  '42501', 'the report owner does not upload there');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, object_path, file_name, content_type, size_bytes, sha256)
    values (%L, 'upload', '%s/cases/%s/photo.png', 'photo.png', 'image/png', 2048, repeat('ef', 32))$$,
  tests.id('case 3 Rating'), tests.id('cr1'), tests.id('case 2 Rating'))),
  'PT400 evidence_path_invalid', 'a file uploaded on one case is not linked to another');
select is(tests.try_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, object_path, file_name, content_type, size_bytes, sha256)
    values (%L, 'upload', '%s/cases/%s/photo.png', 'photo.png', 'image/png', 999, repeat('ef', 32))$$,
  tests.id('case 2 Rating'), tests.id('cr1'), tests.id('case 2 Rating'))),
  'PT400 file_record_mismatch', 'the recorded size is the object''s');
select tests.run_as(:t1, format(
  $$insert into public.test_case_evidence (test_case_id, kind, object_path, file_name, content_type, size_bytes, sha256)
    values (%L, 'upload', '%s/cases/%s/photo.png', 'photo.png', 'image/png', 2048, repeat('ef', 32))$$,
  tests.id('case 2 Rating'), tests.id('cr1'), tests.id('case 2 Rating')));
select is((select evidence -> 0 ->> 'source' from public.test_cases where id = tests.id('case 2 Rating')::uuid), 'upload',
  'the uploaded file is linked');
select is(tests.try_as(:o1, format($$select count(*) from storage.objects where name like '%s/cases/%%'$$, tests.id('cr1'))),
  'rows 1', 'the report owner can download it');
select is(tests.try_as(:p1, format($$select count(*) from storage.objects where name like '%s/cases/%%'$$, tests.id('cr1'))),
  'rows 0', 'the data provider cannot');

select * from finish();
rollback;
