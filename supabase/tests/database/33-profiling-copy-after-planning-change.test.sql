-- A new profiling version after planning changed: rules whose attribute the approved planning version dropped are
-- left out of the copy (the parent version keeps them), the others follow their same-named attribute, and only
-- the copy leaves rules out: a rule written by hand on a dropped attribute is still refused.
begin;
select plan(6);

-- Fixture: cr1's planning version 1 approved with one upload (id, amount) and two attributes; profiling version 1
-- with a rule on each, rejected by the owner; planning version 2 approved without the Amount attribute.
select tests.create_profiling_fixture('upload_pgtapcopy');

insert into tests.fixture_ids
select 'dv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision) values
    (%1$L, %2$L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}', 'approved'),
    (%1$L, %3$L, 'Id present', 'completeness', '{"kind": "not_null", "column": "id"}', 'approved')$$,
  tests.id('dv1'), tests.id('pv1 Amount'), tests.id('pv1 Loan id')));
insert into tests.fixture_ids select 'dv1 ' || name, id::text from public.profiling_rules where version_id = tests.id('dv1')::uuid;
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('dv1')));
select tests.run_as('owner1@test.local', format($$select public.reject_version(%L, 'not yet')$$, tests.id('dv1')));

insert into tests.fixture_ids select 'pv2', id::text from public.create_version(tests.phase('planning1'));
delete from public.planning_attributes where version_id = tests.id('pv2')::uuid and name = 'Amount';
update public.planning_data_sources set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
update public.planning_attributes set tester_decision = 'approved' where version_id = tests.id('pv2')::uuid;
select public.submit_version(tests.id('pv2')::uuid);
select public.approve_version(tests.id('pv2')::uuid);
insert into tests.fixture_ids select 'pv2 ' || name, id::text from public.planning_attributes where version_id = tests.id('pv2')::uuid;

-- The new profiling version ---------------------------------------------------------------------------------------
insert into tests.fixture_ids
select 'dv2', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select isnt(tests.id('dv2'), null, 'the tester creates a new profiling version although planning dropped an attribute with a rule');
select is((select array_agg((name, attribute_id::text, parent_item_id::text)::text order by name) from public.profiling_rules where version_id = tests.id('dv2')::uuid),
  array[('Id present', tests.id('pv2 Loan id'), tests.id('dv1 Id present'))::text],
  'only the rule whose attribute planning kept is copied, onto its same-named attribute, with its lineage');
select is((select item_count from public.artifact_versions where id = tests.id('dv2')::uuid), 1, 'the new version counts the one copied rule');
select is((select count(*)::integer from public.profiling_rules where version_id = tests.id('dv1')::uuid), 2,
  'the parent version keeps both rules');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.profiling_rules (version_id, parent_item_id, attribute_id, name, rule_type, definition) values (%L, %L, %L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}')$$,
  tests.id('dv2'), tests.id('dv1 Amount positive'), tests.id('pv1 Amount'))),
  'PT409 attribute_not_in_planning_version', 'a rule written by hand on the dropped attribute is refused, lineage or not');
select is(tests.try_as('postgres', format(
  $$insert into public.profiling_rules (version_id, parent_item_id, attribute_id, name, rule_type, definition) values (%L, %L, %L, 'Amount positive', 'validity', '{"kind": "range", "column": "amount", "min": 0}')$$,
  tests.id('dv2'), tests.id('dv1 Amount positive'), tests.id('pv1 Amount'))),
  'PT409 attribute_not_in_planning_version', 'an operator cannot write it either');

select * from finish();
rollback;
