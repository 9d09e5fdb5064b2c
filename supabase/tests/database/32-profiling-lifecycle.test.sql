-- The lifecycle of data-profiling versions: a rejected version is copied into a new draft with lineage and
-- fresh decisions, copies follow the same-named attribute of a newer approved planning version, finished
-- versions refuse decisions, only approved executable rules are run, the phase completes only with an approved
-- version, and the update/delete cells of the profiling_rules RLS matrix.
begin;
select plan(123);

-- Fixture: cr1's planning version 1 approved with one upload (id, amount) and two approved attributes; scoping
-- and data request skipped; data profiling started. Planning stays in progress so that a newer planning version
-- can be approved while profiling versions exist.
select tests.create_profiling_fixture('upload_pgtaplifecycle');
insert into source_data.upload_pgtaplifecycle values (1, 10), (2, -5), (null, 3);

-- Profiling version 1: two rules, decided by the tester, then by the owner, and the version rejected.
insert into tests.fixture_ids
select 'dv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as('service_role', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, severity, execution_order, is_executable, llm_metadata) values
    (%1$L, %2$L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}', 'high', 1, true, '{"provider": "heuristic", "rationale": "amounts are positive", "confidence": 0.8}'),
    (%1$L, %3$L, 'Id present', 'completeness', '{"kind": "not_null", "column": "id"}', 'low', 2, false, null)$$,
  tests.id('dv1'), tests.id('pv1 Amount'), tests.id('pv1 Loan id')));
insert into tests.fixture_ids select 'dv1 ' || name, id::text from public.profiling_rules where version_id = tests.id('dv1')::uuid;
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved', tester_notes = 'fine' where version_id = %L$$, tests.id('dv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv1')));
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where id = %L$$, tests.id('dv1 Amount positive')));
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'rejected', report_owner_notes = 'ids are keys' where id = %L$$, tests.id('dv1 Id present')));
select tests.run_as('owner1@test.local', format($$select public.reject_version(%L, 'rules too loose')$$, tests.id('dv1')));

-- 1. A new version from the rejected one ------------------------------------------------------------------------
select is((select (version_status, rejected_by::text, rejection_reason)::text from public.artifact_versions where id = tests.id('dv1')::uuid),
  ('rejected', tests.id('o1'), 'rules too loose')::text, 'the report owner rejects the profiling version with a reason');
insert into tests.fixture_ids
select 'dv2', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select is((select (parent_version_id::text, version_number, version_status)::text from public.artifact_versions where id = tests.id('dv2')::uuid),
  (tests.id('dv1'), 2, 'draft')::text, 'the tester''s new version is draft number 2, created from the rejected version by default');
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('dv2')::uuid), tests.id('pv1'),
  'the new version is based on the approved planning version');
select is((select item_count from public.artifact_versions where id = tests.id('dv2')::uuid), 2, 'the new version counts its copied rules');
select is((select array_agg(parent_item_id::text order by name) from public.profiling_rules where version_id = tests.id('dv2')::uuid),
  array[tests.id('dv1 Amount positive'), tests.id('dv1 Id present')], 'each copy names the rule it was copied from (parent_item_id)');
select is((select count(*)::integer from public.profiling_rules c join public.profiling_rules p on p.id = c.parent_item_id
            where c.version_id = tests.id('dv2')::uuid and c.id <> p.id
              and (c.attribute_id, c.name, c.rule_type, c.definition, c.parameters, c.severity, c.execution_order, c.is_executable, c.llm_metadata)
                  is not distinct from (p.attribute_id, p.name, p.rule_type, p.definition, p.parameters, p.severity, p.execution_order, p.is_executable, p.llm_metadata)),
  2, 'the copies are new rows with the same attribute, definition, severity, order, executability and LLM metadata');
select is((select count(*)::integer from public.profiling_rules
            where version_id = tests.id('dv2')::uuid and item_status = 'pending'
              and tester_decision is null and tester_notes is null and tester_decided_by is null and tester_decided_at is null
              and report_owner_decision is null and report_owner_notes is null and report_owner_decided_by is null and report_owner_decided_at is null),
  2, 'decisions start over on the copies: no tester or owner decision, notes or stamps, status pending');
select is((select item_status::text from public.profiling_rules where parent_item_id = tests.id('dv1 Amount positive')::uuid),
  'pending', 'even the rule the owner approved is undecided again (data profiling carries nothing forward)');
select is((select (tester_decided_count, owner_decided_count, approved_count, rejected_count, pending_count)::text
             from public.artifact_versions where id = tests.id('dv2')::uuid),
  (0, 0, 0, 0, 2)::text, 'the new version''s counters start with every rule pending');
select is((select array_agg((item_status, tester_decision, report_owner_decision)::text order by name) from public.profiling_rules where version_id = tests.id('dv1')::uuid),
  array[('approved', 'approved', 'approved')::text, ('rejected', 'approved', 'rejected')::text], 'the rejected version keeps its rules'' decisions');
select is(tests.try_as('tester1@test.local', format('select public.create_version(%s)', tests.phase('data_profiling1'))),
  'PT409 open_version_exists', 'no second draft while the copy is open');

-- Version 2 is decided and rejected too.
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved' where version_id = %L$$, tests.id('dv2')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv2')));
select tests.run_as('owner1@test.local', format($$select public.reject_version(%L, 'still too loose')$$, tests.id('dv2')));
insert into tests.fixture_ids select 'dv2 ' || name, id::text from public.profiling_rules where version_id = tests.id('dv2')::uuid;

-- 4a. The phase cannot complete without an approved version --------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT409 activities_incomplete', 'the phase cannot complete before its required activities are done');
select tests.run_as('tester1@test.local', format('select public.complete_activity(%s)', a)) from tests.manual_activity_ids(tests.phase('data_profiling1')) a;
select is((select count(*)::integer from public.workflow_activities where phase_id = tests.phase('data_profiling1') and status = 'completed'),
  3, 'the tester completes the two manual data-profiling activities; the rules of the current version completed the first');
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT409 approved_version_required', 'with only rejected versions the phase cannot complete');
select is(tests.try_as('admin@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT409 approved_version_required', 'nor can an admin complete it');
select is(tests.try_as('postgres', format($$update public.workflow_phases set status = 'completed' where id = %s$$, tests.phase('data_profiling1'))),
  'PT409 approved_version_required', 'nor a direct update by an operator');

-- 1b. A newer approved planning version: copies follow the attribute of the same name ---------------------------------
insert into tests.fixture_ids select 'pv2', id::text from public.create_version(tests.phase('planning1'));
update public.planning_data_sources set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
update public.planning_attributes set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
select public.submit_version(tests.id('pv2')::uuid);
select public.approve_version(tests.id('pv2')::uuid);
insert into tests.fixture_ids select 'pv2 ' || name, id::text from public.planning_attributes where version_id = tests.id('pv2')::uuid;
select is((select version_status::text from public.artifact_versions where id = tests.id('pv1')::uuid), 'superseded',
  'planning version 2 is approved and version 1 superseded');

insert into tests.fixture_ids
select 'dv3', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select is((select (parent_version_id::text, based_on_version_id::text)::text from public.artifact_versions where id = tests.id('dv3')::uuid),
  (tests.id('dv2'), tests.id('pv2'))::text, 'version 3 is created from rejected version 2 and based on the new approved planning version');
select is((select array_agg(attribute_id::text order by name) from public.profiling_rules where version_id = tests.id('dv3')::uuid),
  array[tests.id('pv2 Amount'), tests.id('pv2 Loan id')], 'each copied rule now checks the same-named attribute of the new planning version');
select is((select count(*)::integer from public.profiling_rules c
             join public.profiling_rules p on p.id = c.parent_item_id
             join public.planning_attributes ca on ca.id = c.attribute_id
             join public.planning_attributes pa on pa.id = p.attribute_id
            where c.version_id = tests.id('dv3')::uuid and p.version_id = tests.id('dv2')::uuid
              and ca.version_id = tests.id('pv2')::uuid and pa.version_id = tests.id('pv1')::uuid and ca.name = pa.name),
  2, 'the lineage is kept while the attribute moves from planning version 1 to its namesake in version 2');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'Amount known', 'completeness', '{"kind": "not_null", "column": "amount"}')$$,
  tests.id('dv3'), tests.id('pv1 Amount'))), 'PT409 attribute_not_in_planning_version', 'a new rule (no lineage) on an attribute of the superseded planning version is refused');
select tests.run_as('tester1@test.local', format('delete from public.profiling_rules where version_id = %L and name = %L', tests.id('dv3'), 'Id present'));
select tests.run_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, parent_item_id, attribute_id, name, rule_type, definition) values (%L, %L, %L, 'Id present', 'completeness', '{"kind": "not_null", "column": "id"}')$$,
  tests.id('dv3'), tests.id('dv2 Id present'), tests.id('pv1 Loan id')));
select is((select attribute_id::text from public.profiling_rules where version_id = tests.id('dv3')::uuid and name = 'Id present'),
  tests.id('pv2 Loan id'), 'a rule inserted with lineage on the old attribute is re-pointed the same way');
select is(tests.try_as('tester1@test.local', format(
  $$update public.profiling_rules set attribute_id = %L where version_id = %L and name = 'Amount positive'$$, tests.id('pv1 Amount'), tests.id('dv3'))),
  'PT409 attribute_not_in_planning_version', 'an edit cannot move a rule back to the superseded planning version');

-- Version 3: every rule kept for review only (not executable), approved by both.
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set is_executable = false, tester_decision = 'approved' where version_id = %L$$, tests.id('dv3')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv3')));
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where version_id = %L$$, tests.id('dv3')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('dv3')));
insert into tests.fixture_ids select 'dv3 ' || name, id::text from public.profiling_rules where version_id = tests.id('dv3')::uuid;
select is((select (version_status, approved_count)::text from public.artifact_versions where id = tests.id('dv3')::uuid),
  ('approved', 2)::text, 'version 3 is approved with both rules approved');

-- 2. An approved version refuses decisions ---------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'rejected' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 tester_decision_not_in_draft', 'the tester cannot change a decision in an approved version');
select is(tests.try_as('tester1@test.local', format($$update public.profiling_rules set tester_notes = 'second thoughts' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 tester_decision_not_in_draft', 'nor add tester notes');
select is(tests.try_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'rejected' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 owner_decision_not_pending', 'the report owner cannot change a decision in an approved version');
select is(tests.try_as('owner1@test.local', format($$update public.profiling_rules set report_owner_notes = 'on reflection' where id = %L$$, tests.id('dv3 Id present'))),
  'PT409 owner_decision_not_pending', 'nor add owner notes');
select is(tests.try_as('admin@test.local', format($$update public.profiling_rules set report_owner_decision = 'rejected' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 owner_decision_not_pending', 'nor can an admin');
select is(tests.try_as('postgres', format($$update public.profiling_rules set tester_decision = 'rejected' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 tester_decision_not_in_draft', 'a direct update of the tester decision by an operator is refused the same way');
select is(tests.try_as('postgres', format($$update public.profiling_rules set report_owner_decision = 'rejected' where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 owner_decision_not_pending', 'a direct update of the owner decision by an operator is refused the same way');
select is(tests.try_as('postgres', format($$update public.profiling_rules set report_owner_decision = null where id = %L$$, tests.id('dv3 Amount positive'))),
  'PT409 owner_decision_not_pending', 'an operator cannot clear an owner decision either');
update public.profiling_rules set item_status = 'rejected' where id = tests.id('dv3 Amount positive')::uuid;
select is((select (item_status, report_owner_decision)::text from public.profiling_rules where id = tests.id('dv3 Amount positive')::uuid),
  ('approved', 'approved')::text, 'an operator setting item_status directly changes nothing: the status stays derived from the decisions');
select is(tests.try_as('postgres', format($$update public.profiling_rules set tester_decision = 'rejected' where id = %L$$, tests.id('dv2 Amount positive'))),
  'PT409 tester_decision_not_in_draft', 'a rejected version refuses tester decisions too');
select is(tests.try_as('postgres', format($$update public.profiling_rules set report_owner_decision = 'approved' where id = %L$$, tests.id('dv2 Id present'))),
  'PT409 owner_decision_not_pending', 'a rejected version refuses owner decisions too');

-- 3. Only approved executable rules are run ------------------------------------------------------------------
select is(tests.try_as('tester1@test.local', format('select public.request_profiling_execution(%L)', tests.id('dv3'))),
  'PT409 no_executable_rules', 'an approved version whose rules are all non-executable is not run');
select is(tests.try_as('admin@test.local', format('select public.request_profiling_execution(%L)', tests.id('dv3'))),
  'PT409 no_executable_rules', 'not even by an admin');
select is(tests.try_as('tester1@test.local', format($$update public.profiling_rules set is_executable = true where version_id = %L$$, tests.id('dv3'))),
  'PT409 version_not_draft', 'an approved rule cannot be made executable afterwards');

-- 4b. With an approved version and the activities done, the phase may complete.
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'rows 1', 'with an approved version and its activities done the phase can complete (undone here)');

-- Version 4 from approved version 3: the one executable rule is rejected by the owner.
insert into tests.fixture_ids
select 'dv4', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select is((select (parent_version_id::text, based_on_version_id::text)::text from public.artifact_versions where id = tests.id('dv4')::uuid),
  (tests.id('dv3'), tests.id('pv2'))::text, 'a new version can also be created from the approved one');
select is((select array_agg((attribute_id::text, is_executable, item_status)::text order by name) from public.profiling_rules where version_id = tests.id('dv4')::uuid),
  array[(tests.id('pv2 Amount'), false, 'pending')::text, (tests.id('pv2 Loan id'), false, 'pending')::text],
  'copies of an approved version keep their attribute and executability, and decisions start over');
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT409 version_open', 'the phase cannot complete while a version is a draft');
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set is_executable = true where version_id = %L and name = 'Amount positive'$$, tests.id('dv4')));
insert into tests.fixture_ids select 'dv4 ' || name, id::text from public.profiling_rules where version_id = tests.id('dv4')::uuid;

-- 5. RLS matrix of profiling_rules: update and delete -------------------------------------------------------------
-- cr1 has 8 rules: versions 1 and 2 rejected, 3 approved, 4 a draft (then awaiting approval below).
create temporary table matrix (ord serial, stage text, op text, stmt text, anon text, t1 text, t2 text, o1 text, o2 text, admin text);
insert into matrix (stage, op, stmt, anon, t1, t2, o1, o2, admin)
select 'draft', m.op, m.stmt, m.anon, m.t1, m.t2, m.o1, m.o2, m.admin
from (values
  ('update (no change) the cycle report''s rules', format('update public.profiling_rules set name = name where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 8', 'rows 0', 'rows 8', 'rows 0', 'rows 8'),
  ('update the content of draft rules', format($$update public.profiling_rules set severity = 'medium' where version_id = %L$$, tests.id('dv4')),
     '42501', 'rows 2', 'rows 0', 'PT403 item_edit_requires_tester', 'rows 0', 'rows 2'),
  ('record tester decisions on draft rules', format($$update public.profiling_rules set tester_decision = 'approved' where version_id = %L$$, tests.id('dv4')),
     '42501', 'rows 2', 'rows 0', 'PT403 tester_decision_requires_tester', 'rows 0', 'rows 2'),
  ('record owner decisions on draft rules', format($$update public.profiling_rules set report_owner_decision = 'approved' where version_id = %L$$, tests.id('dv4')),
     '42501', 'PT409 owner_decision_not_pending', 'rows 0', 'PT409 owner_decision_not_pending', 'rows 0', 'PT409 owner_decision_not_pending'),
  ('update the content of approved rules', format($$update public.profiling_rules set severity = 'medium' where version_id = %L$$, tests.id('dv3')),
     '42501', 'PT409 version_not_draft', 'rows 0', 'PT409 version_not_draft', 'rows 0', 'PT409 version_not_draft'),
  ('delete draft rules', format('delete from public.profiling_rules where version_id = %L', tests.id('dv4')),
     '42501', 'rows 2', 'rows 0', 'rows 0', 'rows 0', 'rows 2'),
  ('delete approved rules', format('delete from public.profiling_rules where version_id = %L', tests.id('dv3')),
     '42501', 'PT409 version_not_draft', 'rows 0', 'rows 0', 'rows 0', 'PT409 version_not_draft'),
  ('delete rejected rules', format('delete from public.profiling_rules where version_id = %L', tests.id('dv1')),
     '42501', 'PT409 version_not_draft', 'rows 0', 'rows 0', 'rows 0', 'PT409 version_not_draft')
) as m (op, stmt, anon, t1, t2, o1, o2, admin);

select is(tests.try_as(a.email, m.stmt), a.expected, format('%s %s as %s', m.stage, m.op, a.who))
  from matrix m
  cross join lateral (values
    (1, 'anon', 'anon', m.anon),
    (2, 'tester1@test.local', 'the assigned tester', m.t1),
    (3, 'tester2@test.local', 'an unassigned tester', m.t2),
    (4, 'owner1@test.local', 'the owner of the report', m.o1),
    (5, 'owner2@test.local', 'the owner of another report', m.o2),
    (6, 'admin@test.local', 'an admin', m.admin)
  ) as a (n, email, who, expected)
 where m.stage = 'draft'
 order by m.ord, a.n;

select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved' where version_id = %L$$, tests.id('dv4')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv4')));

insert into matrix (stage, op, stmt, anon, t1, t2, o1, o2, admin)
select 'pending', m.op, m.stmt, m.anon, m.t1, m.t2, m.o1, m.o2, m.admin
from (values
  ('record owner decisions', format($$update public.profiling_rules set report_owner_decision = 'approved' where version_id = %L$$, tests.id('dv4')),
     '42501', 'PT403 owner_decision_requires_report_owner', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('change tester decisions', format($$update public.profiling_rules set tester_decision = 'rejected' where version_id = %L$$, tests.id('dv4')),
     '42501', 'PT409 tester_decision_not_in_draft', 'rows 0', 'PT409 tester_decision_not_in_draft', 'rows 0', 'PT409 tester_decision_not_in_draft'),
  ('update the content of rules', format($$update public.profiling_rules set severity = 'medium' where version_id = %L$$, tests.id('dv4')),
     '42501', 'PT409 version_not_draft', 'rows 0', 'PT409 version_not_draft', 'rows 0', 'PT409 version_not_draft'),
  ('delete rules', format('delete from public.profiling_rules where version_id = %L', tests.id('dv4')),
     '42501', 'PT409 version_not_draft', 'rows 0', 'rows 0', 'rows 0', 'PT409 version_not_draft')
) as m (op, stmt, anon, t1, t2, o1, o2, admin);

select is(tests.try_as(a.email, m.stmt), a.expected, format('%s %s as %s', m.stage, m.op, a.who))
  from matrix m
  cross join lateral (values
    (1, 'anon', 'anon', m.anon),
    (2, 'tester1@test.local', 'the assigned tester', m.t1),
    (3, 'tester2@test.local', 'an unassigned tester', m.t2),
    (4, 'owner1@test.local', 'the owner of the report', m.o1),
    (5, 'owner2@test.local', 'the owner of another report', m.o2),
    (6, 'admin@test.local', 'an admin', m.admin)
  ) as a (n, email, who, expected)
 where m.stage = 'pending'
 order by m.ord, a.n;

-- 3b. An executable rule the owner rejected is not run either.
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'rejected', report_owner_notes = 'not yet' where id = %L$$, tests.id('dv4 Amount positive')));
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where id = %L$$, tests.id('dv4 Id present')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('dv4')));
select is((select array_agg((version_status)::text order by version_number) from public.artifact_versions where phase_id = tests.phase('data_profiling1')),
  array['rejected', 'rejected', 'superseded', 'approved'], 'approving version 4 supersedes version 3');
select is(tests.try_as('tester1@test.local', format('select public.request_profiling_execution(%L)', tests.id('dv4'))),
  'PT409 no_executable_rules', 'an executable rule the owner rejected does not count: the version is not run');
select is(tests.try_as('tester1@test.local', format('select public.request_profiling_execution(%L)', tests.id('dv3'))),
  'PT409 version_not_approved', 'the superseded version is not run');

-- Version 5: the executable rule approved by both, so the version is run.
insert into tests.fixture_ids
select 'dv5', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format($$update public.profiling_rules set tester_decision = 'approved' where version_id = %L$$, tests.id('dv5')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv5')));
select is(tests.try_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT409 version_open', 'the phase cannot complete while a version awaits approval');
select tests.run_as('owner1@test.local', format($$update public.profiling_rules set report_owner_decision = 'approved' where version_id = %L$$, tests.id('dv5')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('dv5')));
select is((select count(*)::integer from public.profiling_rules where version_id = tests.id('dv5')::uuid and is_executable and item_status = 'approved'),
  1, 'version 5 has one approved executable rule');
select is(tests.run_as('tester1@test.local', format('select (public.request_profiling_execution(%L)).version_id', tests.id('dv5'))) -> 0 ->> 'version_id',
  tests.id('dv5'), 'a version with an approved executable rule is queued for execution');

-- 4c. The phase completes.
select is(tests.try_as('owner1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1'))),
  'PT403 complete_requires_tester', 'the report owner cannot complete the phase');
select tests.run_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('data_profiling1')));
select is((select (status, completed_by::text)::text from public.workflow_phases where id = tests.phase('data_profiling1')),
  ('completed', tests.id('t1'))::text, 'the tester completes the data-profiling phase once a version is approved');
select is(tests.try_as('tester1@test.local', format('select public.create_version(%s)', tests.phase('data_profiling1'))),
  'PT409 phase_not_in_progress', 'a completed phase takes no new profiling version');

select * from finish();
rollback;
