-- Scoping decisions: one per approved attribute of the planning version, made with the version; what later phases
-- may use (private.in_scope_attribute_ids), also when scoping was skipped.
begin;
select plan(15);

select tests.create_scoping_fixture('upload_pgtapscoping');

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''

-- a new scoping version is never empty --------------------------------------------------------------------------
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('sv1')::uuid), tests.id('pv1'),
  'a scoping version records the planning version it is built from');
select results_eq(
  format($$select a.name, d.in_scope, d.item_status::text, d.attribute_change from public.scoping_decisions d
    join public.planning_attributes a on a.id = d.attribute_id where d.version_id = '%s' order by a.name$$, tests.id('sv1')),
  $$values ('Amount', true, 'pending', null::text), ('Branch', true, 'pending', null), ('Loan id', true, 'pending', null),
           ('Rating', true, 'pending', null), ('Region', true, 'pending', null)$$,
  'it holds one decision per approved planning attribute (not the rejected one), in scope and undecided');
select is((select item_count from public.artifact_versions where id = tests.id('sv1')::uuid), 5, 'the version counts them');
select is(tests.try_as(:t1, format($$insert into public.scoping_decisions (version_id, attribute_id) values ('%s', '%s')$$,
    tests.id('sv1'), tests.id('pv1 Branch'))),
  '42501', 'testers do not add decisions through the API');
select is(tests.try_as('postgres', format($$insert into public.scoping_decisions (version_id, attribute_id) values ('%s', '%s')$$,
    tests.id('sv1'), tests.id('pv1 Branch'))),
  'PT409 scoping_decisions_built', 'not even in Studio: decisions are made with the version');
select is(tests.try_as(:t1, format($$delete from public.scoping_decisions where version_id = '%s'$$, tests.id('sv1'))),
  'PT409 scoping_decisions_built', 'nor removed from a draft');
select is(tests.try_as(:t1, format($$update public.scoping_decisions set attribute_id = '%s' where version_id = '%s'$$,
    tests.id('pv1 Branch'), tests.id('sv1'))),
  '42501', 'the attribute is not the tester''s to change');

-- in scope, through the approved version --------------------------------------------------------------------------
select is((select count(*)::int from private.in_scope_attribute_ids(tests.id('cr1')::bigint)), 0,
  'before scoping is approved, nothing is in scope');
select tests.run_as(:t1, format($$update public.scoping_decisions set in_scope = false, rationale = 'public reference data, tested elsewhere'
  where version_id = '%s' and attribute_id = '%s'$$, tests.id('sv1'), tests.id('pv1 Branch')));
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'tester', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as(:o1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'report_owner', 'approved')$$, tests.id('sv1')));
select tests.run_as(:o1, format('select public.approve_version(%L)', tests.id('sv1')));
select is((select array_agg(i::text order by i::text) from private.in_scope_attribute_ids(tests.id('cr1')::bigint) i),
  (select array_agg(x order by x) from unnest(array[tests.id('pv1 Loan id'), tests.id('pv1 Amount'), tests.id('pv1 Region'), tests.id('pv1 Rating')]) x),
  'the approved version''s in-scope attributes are in scope');
select ok(private.is_attribute_in_scope(tests.id('cr1')::bigint, tests.id('pv1 Amount')::uuid)
  and not private.is_attribute_in_scope(tests.id('cr1')::bigint, tests.id('pv1 Branch')::uuid),
  'is_attribute_in_scope says so per attribute');
select is((select count(*)::int from private.in_scope_attribute_ids(tests.id('cr2')::bigint)), 0,
  'another cycle report has nothing in scope');
select is(tests.run_as(:o1, format('select count(*) from private.in_scope_attribute_ids(%s)', tests.id('cr1'))) -> 0 ->> 'count', '4',
  'the report owner reads the same');

-- scoping skipped: every approved planning attribute is in scope ----------------------------------------------------
select public.start_phase(tests.phase('planning2'));
insert into tests.fixture_ids select 'cr2 pv1', v.id::text from public.create_version(tests.phase('planning2')) v;
insert into public.planning_attributes (version_id, name, data_type, tester_decision) values
  (tests.id('cr2 pv1')::uuid, 'Kept', 'string', 'approved'), (tests.id('cr2 pv1')::uuid, 'Dropped', 'string', 'rejected');
select public.submit_version(tests.id('cr2 pv1')::uuid);
select is((select count(*)::int from private.in_scope_attribute_ids(tests.id('cr2')::bigint)), 0,
  'without an approved planning version nothing is in scope');
select public.approve_version(tests.id('cr2 pv1')::uuid);
select is((select count(*)::int from private.in_scope_attribute_ids(tests.id('cr2')::bigint)), 0,
  'nor while scoping is neither approved nor skipped');
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('scoping2');
select is((select array_agg(a.name) from private.in_scope_attribute_ids(tests.id('cr2')::bigint) i join public.planning_attributes a on a.id = i),
  '{Kept}', 'scoping skipped: every approved attribute of the approved planning version is in scope');

select * from finish();
rollback;
