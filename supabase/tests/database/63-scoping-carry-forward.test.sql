-- New versions carry decisions forward: a scoping version from a rejected one keeps the decisions the owner approved,
-- follows planning's changes (unchanged attributes keep their decisions, changed ones are decided afresh, dropped ones
-- leave, added ones arrive), and a new planning version keeps the decisions of approved items.
begin;
select plan(11);

select tests.create_scoping_fixture('upload_pgtapscopingcarry');

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''

-- scoping version 1: Branch out, Rating rated high; the owner rejects the Rating decision and the version
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$update public.scoping_decisions set in_scope = false, rationale = 'Reference data' where version_id = '%s' and attribute_id = '%s';
  update public.scoping_decisions set risk_rating = 'high', testing_approach = 'both' where version_id = '%1$s' and attribute_id = '%3$s'$$,
  tests.id('sv1'), tests.id('pv1 Branch'), tests.id('pv1 Rating')));
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'tester', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as(:o1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s' and attribute_id <> '%2$s'), 'report_owner', 'approved')$$, tests.id('sv1'), tests.id('pv1 Rating')));
select tests.run_as(:o1, format($$update public.scoping_decisions set report_owner_decision = 'rejected', report_owner_notes = 'medium at most' where version_id = '%s' and attribute_id = '%s'$$, tests.id('sv1'), tests.id('pv1 Rating')));
select tests.run_as(:o1, format($$select public.reject_version(%L, 'Rating is over-rated')$$, tests.id('sv1')));

-- version 2 from the rejected version 1, planning unchanged ------------------------------------------------------------
savepoint same_planning;
insert into tests.fixture_ids
select 'sv2', tests.run_as(:t1, format('select (public.create_version(%s, %L)).id', tests.phase('scoping1'), tests.id('sv1'))) -> 0 ->> 'id';
select results_eq(format($$select a.name, d.in_scope, d.risk_rating::text, d.item_status::text, d.attribute_change,
    d.report_owner_decided_by = '%s' from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
   where d.version_id = '%s' order by a.name$$, tests.id('o1'), tests.id('sv2')),
  $$values ('Amount', true, null, 'approved', 'unchanged', true), ('Branch', false, null, 'approved', 'unchanged', true),
           ('Loan id', true, null, 'approved', 'unchanged', true), ('Rating', true, 'high', 'pending', 'unchanged', null),
           ('Region', true, null, 'approved', 'unchanged', true)$$,
  'decisions the owner approved are kept, with who decided; the rejected one is pending again with its content');
select results_eq(format('select item_count, tester_decided_count, owner_decided_count, approved_count from public.artifact_versions where id = %L', tests.id('sv2')),
  $$values (5, 4, 4, 4)$$, 'the counters count the carried decisions');
rollback to savepoint same_planning;

-- planning changes (as an admin's reopening would let it): Amount redefined, Region dropped, Currency added -------------------
alter table public.workflow_phases disable trigger user;
update public.workflow_phases set status = 'in_progress' where id = tests.phase('planning1');
alter table public.workflow_phases enable trigger user;
insert into tests.fixture_ids select 'pv2', (public.create_version(tests.phase('planning1'), tests.id('pv1')::uuid)).id;
select results_eq(format($$select name, tester_decision::text from public.planning_attributes where version_id = '%s' order by name$$, tests.id('pv2')),
  $$values ('Amount', 'approved'), ('Branch', 'approved'), ('Legacy code', null), ('Loan id', 'approved'), ('Rating', 'approved'), ('Region', 'approved')$$,
  'a new planning version keeps the decisions of approved attributes; the rejected one is decided again');
update public.planning_attributes set description = 'Outstanding principal, in the loan''s currency' where version_id = tests.id('pv2')::uuid and name = 'Amount';
delete from public.planning_attributes where version_id = tests.id('pv2')::uuid and name = 'Region';
insert into public.planning_attributes (version_id, name, data_type, tester_decision) values (tests.id('pv2')::uuid, 'Currency', 'string', 'approved');
update public.planning_attributes set tester_decision = 'rejected' where version_id = tests.id('pv2')::uuid and name = 'Legacy code';
select public.submit_version(tests.id('pv2')::uuid);
select public.approve_version(tests.id('pv2')::uuid);
alter table public.workflow_phases disable trigger user;
update public.workflow_phases set status = 'completed' where id = tests.phase('planning1');
alter table public.workflow_phases enable trigger user;

insert into tests.fixture_ids
select 'sv3', tests.run_as(:t1, format('select (public.create_version(%s, %L)).id', tests.phase('scoping1'), tests.id('sv1'))) -> 0 ->> 'id';
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('sv3')::uuid), tests.id('pv2'),
  'the new scoping version is rebuilt from the new planning version');
select results_eq(format($$select a.name, d.in_scope, d.item_status::text, d.attribute_change, d.tester_decision::text
    from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
   where d.version_id = '%s' order by a.name$$, tests.id('sv3')),
  $$values ('Amount', true, 'pending', 'changed', null), ('Branch', false, 'approved', 'unchanged', 'approved'),
           ('Currency', true, 'pending', 'added', null), ('Loan id', true, 'approved', 'unchanged', 'approved'),
           ('Rating', true, 'pending', 'unchanged', null)$$,
  'unchanged attributes keep their decisions, the changed one is decided afresh, the dropped one is gone and the added one is new');
select is((select count(*)::int from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
   where d.version_id = tests.id('sv3')::uuid and a.version_id <> tests.id('pv2')::uuid), 0,
  'every decision refers to an attribute of the new planning version');
select ok((select d.parent_item_id is not null from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
   where d.version_id = tests.id('sv3')::uuid and a.name = 'Branch'), 'carried decisions keep their lineage');
select results_eq(format('select item_count, tester_decided_count, owner_decided_count, approved_count from public.artifact_versions where id = %L', tests.id('sv3')),
  $$values (5, 2, 2, 2)$$, 'the counters follow');
select is(tests.try_as(:t1, format($$select public.submit_version(%L)$$, tests.id('sv3'))), 'PT409 tester_decisions_missing',
  'the changed and added attributes need the tester''s decision before submitting');
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s' and tester_decision is null), 'tester', 'approved')$$, tests.id('sv3')));
select is(tests.run_as(:t1, format($$select (public.submit_version(%L)).version_status$$, tests.id('sv3'))) -> 0 ->> 'version_status', 'pending_approval',
  'then it is submitted');
select is((select count(*)::int from public.scoping_decisions where version_id = tests.id('sv3')::uuid and report_owner_decision is null), 3,
  'the owner decides the three that were not approved before');

select * from finish();
rollback;
