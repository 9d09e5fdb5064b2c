-- Downstream uses the approved scoping version: profiling rules only for attributes in scope, and a new profiling
-- version leaves out the rules of attributes no longer in scope.
begin;
select plan(6);

select tests.create_scoping_fixture('upload_pgtapscopingdown');

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''

-- cr1: scoping approved with Branch out of scope, scoping completed, data request skipped, profiling started
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$update public.scoping_decisions set in_scope = false, rationale = 'Reference data'
  where version_id = '%s' and attribute_id = '%s'$$, tests.id('sv1'), tests.id('pv1 Branch')));
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'tester', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as(:o1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'report_owner', 'approved')$$, tests.id('sv1')));
select tests.run_as(:o1, format('select public.approve_version(%L)', tests.id('sv1')));
select tests.finish_activities(tests.phase('scoping1'));
select is(tests.run_as(:t1, format('select (public.complete_phase(%s)).status', tests.phase('scoping1'))) -> 0 ->> 'status', 'completed',
  'scoping completes with its approved version');
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('data_request1');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('data_profiling1')));
insert into tests.fixture_ids
select 'dv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';

-- rules only for attributes in scope ---------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition)
    values ('%s', '%s', 'Branch present', 'completeness', '{"kind": "not_null", "column": "branch"}')$$, tests.id('dv1'), tests.id('pv1 Branch'))),
  'PT409 attribute_not_in_scope', 'a rule on an attribute scoped out is refused');
select tests.run_as(:t1, format($$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision) values
    ('%1$s', '%2$s', 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}', 'approved'),
    ('%1$s', '%3$s', 'Id present', 'completeness', '{"kind": "not_null", "column": "id"}', 'approved')$$,
  tests.id('dv1'), tests.id('pv1 Amount'), tests.id('pv1 Loan id')));
select is((select count(*)::int from public.profiling_rules where version_id = tests.id('dv1')::uuid), 2, 'rules on attributes in scope are kept');
select is(tests.try_as(:t1, format($$update public.profiling_rules set attribute_id = '%s' where version_id = '%s' and name = 'Id present'$$,
    tests.id('pv1 Branch'), tests.id('dv1'))),
  'PT409 attribute_not_in_scope', 'nor can a rule move to one');

-- the scope changes: a new profiling version leaves out the rules of attributes no longer in scope -------------------------
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('dv1')));
select tests.run_as(:o1, format($$select public.reject_version(%L, 'not yet')$$, tests.id('dv1')));
-- (the workflow cannot narrow an approved scope while profiling runs yet; the test narrows it behind the triggers' back)
alter table public.scoping_decisions disable trigger user;
update public.scoping_decisions set in_scope = false, rationale = 'Tested in the ledger' where version_id = tests.id('sv1')::uuid and attribute_id = tests.id('pv1 Amount')::uuid;
alter table public.scoping_decisions enable trigger user;
insert into tests.fixture_ids
select 'dv2', tests.run_as(:t1, format('select (public.create_version(%s, %L)).id', tests.phase('data_profiling1'), tests.id('dv1'))) -> 0 ->> 'id';
select is((select array_agg(name) from public.profiling_rules where version_id = tests.id('dv2')::uuid), '{Id present}',
  'the new profiling version leaves out the rule of the attribute no longer in scope');
select is((select count(*)::int from public.profiling_rules where version_id = tests.id('dv1')::uuid), 2, 'the parent version keeps it');

select * from finish();
rollback;
