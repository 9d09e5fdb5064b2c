-- The RLS matrix: every table × (anon, assigned tester, unassigned tester, owner of the report, owner of another
-- report, admin) × (select, insert, update, delete). Each cell runs one statement about cycle report 1 (report A,
-- owner1@, tester1@) as that person, undoes it, and compares the outcome: 'rows N' or the refusal's SQLSTATE.
begin;
select plan(360);

select tests.create_fixture();
select tests.create_item_table('matrix_items', 'planning');

-- cycle report 1: planning in progress, version 1 approved, version 2 a draft; a job and an LLM call.
select tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format($$insert into tests.matrix_items (version_id, name, tester_decision) values ('%s', 'item', 'approved')$$, tests.id('v1')));
select tests.run_as('tester1@test.local', format($$select public.submit_version('%s')$$, tests.id('v1')));
select tests.run_as('owner1@test.local', format($$select public.approve_version('%s')$$, tests.id('v1')));
insert into tests.fixture_ids
select 'v2', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
insert into public.background_jobs (job_type, cycle_report_id, created_by) values ('matrix', tests.id('cr1')::bigint, tests.id('t1')::uuid);
insert into public.llm_interactions (purpose, provider, model, cycle_report_id, user_id)
values ('matrix', 'heuristic', 'rules', tests.id('cr1')::bigint, tests.id('t1')::uuid);

create temporary table matrix (ord serial, tbl text, op text, stmt text, anon text, t1 text, t2 text, o1 text, o2 text, admin text);

insert into matrix (tbl, op, stmt, anon, t1, t2, o1, o2, admin)
select m.tbl, m.op, m.stmt, m.anon, m.t1, m.t2, m.o1, m.o2, m.admin
from (values
  -- profiles: own and teammates' profiles; nobody inserts or deletes through the API
  ('profiles', 'select', format($$select count(*) from public.profiles where id in ('%s', '%s')$$, tests.id('t1'), tests.id('o1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('profiles', 'insert', $$insert into public.profiles (id, email) values (extensions.gen_random_uuid(), 'p@test.local')$$,
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('profiles', 'update', format($$update public.profiles set full_name = full_name where id = '%s'$$, tests.id('t1')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('profiles', 'delete', format($$delete from public.profiles where id = '%s'$$, tests.id('t1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- reports
  ('reports', 'select', format('select count(*) from public.reports where id = %s', tests.id('report_a')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('reports', 'insert', format($$insert into public.reports (name, regulation, owner_id) values ('Matrix report', 'X', '%s')$$, tests.id('o1')),
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('reports', 'update', format('update public.reports set description = description where id = %s', tests.id('report_a')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('reports', 'delete', format('delete from public.reports where id = %s', tests.id('report_c')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- test_cycles: everyone working in the cycle sees it
  ('test_cycles', 'select', format('select count(*) from public.test_cycles where id = %s', tests.id('cycle')),
     '42501', 'rows 1', 'rows 1', 'rows 1', 'rows 1', 'rows 1'),
  ('test_cycles', 'insert', $$insert into public.test_cycles (name, period_start, period_end) values ('Matrix cycle', '2031-01-01', '2031-03-31')$$,
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('test_cycles', 'update', format('update public.test_cycles set description = description where id = %s', tests.id('cycle')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('test_cycles', 'delete', format('delete from public.test_cycles where id = %s', tests.id('cycle')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', '23503'),
  -- cycle_reports (an admin passes RLS; the foreign keys of its history keep it)
  ('cycle_reports', 'select', format('select count(*) from public.cycle_reports where id = %s', tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('cycle_reports', 'insert', format('insert into public.cycle_reports (cycle_id, report_id) values (%s, %s)', tests.id('cycle'), tests.id('report_c')),
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('cycle_reports', 'update', format('update public.cycle_reports set status = status where id = %s', tests.id('cr1')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('cycle_reports', 'delete', format('delete from public.cycle_reports where id = %s', tests.id('cr1')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', '23503'),
  -- cycle_report_testers
  ('cycle_report_testers', 'select', format('select count(*) from public.cycle_report_testers where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('cycle_report_testers', 'insert', format($$insert into public.cycle_report_testers (cycle_report_id, tester_id) values (%s, '%s')$$, tests.id('cr1'), tests.id('t2')),
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('cycle_report_testers', 'update', format('update public.cycle_report_testers set assigned_at = assigned_at where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('cycle_report_testers', 'delete', format('delete from public.cycle_report_testers where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- phase_definitions: read by all signed-in users, changed by admins
  ('phase_definitions', 'select', $$select count(*) from public.phase_definitions where name = 'planning'$$,
     '42501', 'rows 1', 'rows 1', 'rows 1', 'rows 1', 'rows 1'),
  ('phase_definitions', 'insert', $$insert into public.phase_definitions (name, display_name, phase_order) values ('matrix_phase', 'Matrix', 99)$$,
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('phase_definitions', 'update', $$update public.phase_definitions set description = description where name = 'planning'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('phase_definitions', 'delete', $$delete from public.phase_definitions where name = 'test_report'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', '23503'),
  -- activity_definitions
  ('activity_definitions', 'select', $$select count(*) from public.activity_definitions where phase_name = 'planning'$$,
     '42501', 'rows 3', 'rows 3', 'rows 3', 'rows 3', 'rows 3'),
  ('activity_definitions', 'insert', $$insert into public.activity_definitions (phase_name, activity_code, activity_name, activity_order) values ('planning', 'matrix', 'Matrix', 99)$$,
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('activity_definitions', 'update', $$update public.activity_definitions set activity_name = activity_name where phase_name = 'planning'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 3'),
  ('activity_definitions', 'delete', $$delete from public.activity_definitions where phase_name = 'planning' and activity_code = 'review_attributes'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- workflow_phases: created by trigger, never inserted or deleted through the API
  ('workflow_phases', 'select', format('select count(*) from public.workflow_phases where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 9', 'rows 0', 'rows 9', 'rows 0', 'rows 9'),
  ('workflow_phases', 'insert', format($$insert into public.workflow_phases (cycle_report_id, phase_name, phase_order) values (%s, 'planning', 1)$$, tests.id('cr2')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('workflow_phases', 'update', format('update public.workflow_phases set risk_level = risk_level where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 9', 'rows 0', 'rows 0', 'rows 0', 'rows 9'),
  ('workflow_phases', 'delete', format('delete from public.workflow_phases where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- workflow_activities
  ('workflow_activities', 'select', format('select count(*) from public.workflow_activities where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 21', 'rows 0', 'rows 21', 'rows 0', 'rows 21'),
  ('workflow_activities', 'insert', format($$insert into public.workflow_activities (phase_id, cycle_report_id, activity_code, activity_name, activity_order) values (%s, %s, 'x', 'x', 9)$$, tests.phase('planning1'), tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('workflow_activities', 'update', format('update public.workflow_activities set notes = notes where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 21', 'rows 0', 'rows 0', 'rows 0', 'rows 21'),
  ('workflow_activities', 'delete', format('delete from public.workflow_activities where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- artifact_versions: created through create_version; drafts deleted by their testers
  ('artifact_versions', 'select', format('select count(*) from public.artifact_versions where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('artifact_versions', 'insert', format('insert into public.artifact_versions (phase_id) values (%s)', tests.phase('scoping1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('artifact_versions', 'update', format('update public.artifact_versions set summary = summary where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 0', 'rows 0', 'rows 2'),
  ('artifact_versions', 'delete', format($$delete from public.artifact_versions where cycle_report_id = %s and version_status = 'draft'$$, tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- items of a versioned item table (here attached to planning)
  ('matrix_items', 'select', 'select count(*) from tests.matrix_items',
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('matrix_items', 'insert', format($$insert into tests.matrix_items (version_id, name) values ('%s', 'new')$$, tests.id('v2')),
     '42501', 'rows 1', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'rows 1'),
  ('matrix_items', 'update', 'update tests.matrix_items set name = name',
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('matrix_items', 'delete', format($$delete from tests.matrix_items where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- approved_artifacts: written by trigger only
  ('approved_artifacts', 'select', format('select count(*) from public.approved_artifacts where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('approved_artifacts', 'insert', format($$insert into public.approved_artifacts (cycle_report_id, phase_id, phase_name, version_id, version_number, item_count, approved_count, rejected_count, approved_at) values (%s, %s, 'planning', '%s', 2, 0, 0, 0, now())$$, tests.id('cr1'), tests.phase('planning1'), tests.id('v2')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('approved_artifacts', 'update', format('update public.approved_artifacts set summary = summary where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('approved_artifacts', 'delete', format('delete from public.approved_artifacts where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- audit_log: your own actions; admins everything; nobody writes
  ('audit_log', 'select', format($$select count(*) from public.audit_log where actor_id = '%s'$$, tests.id('t1')),
     '42501', 'rows ' || (select count(*) from public.audit_log where actor_id = tests.id('t1')::uuid), 'rows 0', 'rows 0', 'rows 0',
     'rows ' || (select count(*) from public.audit_log where actor_id = tests.id('t1')::uuid)),
  ('audit_log', 'insert', $$insert into public.audit_log (actor_role, table_name, operation) values ('x', 'x', 'INSERT')$$,
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('audit_log', 'update', 'update public.audit_log set row_id = row_id',
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('audit_log', 'delete', 'delete from public.audit_log',
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- background_jobs: read by those who can read the cycle report; written by the service_role only
  ('background_jobs', 'select', format('select count(*) from public.background_jobs where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('background_jobs', 'insert', format($$insert into public.background_jobs (job_type, cycle_report_id) values ('x', %s)$$, tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('background_jobs', 'update', format('update public.background_jobs set progress = progress where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('background_jobs', 'delete', format('delete from public.background_jobs where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- llm_interactions: likewise
  ('llm_interactions', 'select', format('select count(*) from public.llm_interactions where cycle_report_id = %s', tests.id('cr1')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('llm_interactions', 'insert', $$insert into public.llm_interactions (purpose, provider, model) values ('x', 'x', 'x')$$,
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('llm_interactions', 'update', format('update public.llm_interactions set error = error where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('llm_interactions', 'delete', format('delete from public.llm_interactions where cycle_report_id = %s', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501')
) as m (tbl, op, stmt, anon, t1, t2, o1, o2, admin);

select is(tests.try_as(a.email, m.stmt), a.expected, format('%s %s as %s', m.op, m.tbl, a.who))
  from matrix m
  cross join lateral (values
    (1, 'anon', 'anon', m.anon),
    (2, 'tester1@test.local', 'the assigned tester', m.t1),
    (3, 'tester2@test.local', 'an unassigned tester', m.t2),
    (4, 'owner1@test.local', 'the owner of the report', m.o1),
    (5, 'owner2@test.local', 'the owner of another report', m.o2),
    (6, 'admin@test.local', 'an admin', m.admin)
  ) as a (n, email, who, expected)
 order by m.ord, a.n;

select * from finish();
rollback;
