-- Phase behaviour as data: basis phase, item tables in copy order, job types; a new phase plugs in with a row,
-- its item table and one attach_versioned_items call.
begin;
select plan(11);

select tests.create_fixture();

\set t1 '''tester1@test.local'''
\set admin '''admin@test.local'''

-- the data as the code had it ------------------------------------------------------------------------------
select is((select basis_phase from public.phase_definitions where name = 'data_profiling'), 'planning',
  'a data-profiling version is built from the approved planning version');
select is((select array_agg(name order by phase_order) from public.phase_definitions where basis_phase = 'planning'),
  '{scoping,data_profiling,sample_selection}', 'scoping, data profiling and sample selection are built from the approved planning version, no other phase has a basis yet');
select is((select item_tables::text[] from public.phase_definitions where name = 'planning'),
  (select array_agg(t.table_name::text order by t.copy_order, t.table_name::text) from private.versioned_item_tables t
    where t.phase_name = 'planning'),
  'planning lists its item tables in copy order');
select ok((select 'public.planning_data_sources'::regclass = (item_tables)[1] from public.phase_definitions where name = 'planning'),
  'data sources are copied first: attributes and mappings refer to them');
select is((select job_types from public.phase_definitions where name = 'data_profiling'),
  '{generation.profiling_rules,profiling.execute}', 'data profiling names the jobs that work on its versions');

-- item_tables is the registry's ----------------------------------------------------------------------------
select is(tests.try_as('postgres', $$update public.phase_definitions set item_tables = '{}' where name = 'planning'$$),
  'PT409 phase_item_tables_managed', 'not even an operator edits the item tables by hand');
select is(tests.try_as(:admin, $$update public.phase_definitions set item_tables = '{public.profiles}' where name = 'scoping'$$),
  'PT409 phase_item_tables_managed', 'nor an admin');
select is(tests.try_as('postgres', $$update public.phase_definitions set basis_phase = name where name = 'scoping'$$),
  '23514', 'a phase is not its own basis');

-- a new phase plugs in: the row's data, its item table, one attach call --------------------------------------
update public.phase_definitions set basis_phase = 'planning' where name = 'scoping';
select tests.create_item_table('scoping_items', 'scoping');
select tests.create_item_table('planning_items', 'planning');
select is((select item_tables::text[] from public.phase_definitions where name = 'scoping'), '{scoping_decisions,tests.scoping_items}',
  'attaching an item table lists it on its phase');

-- cr2: planning skipped, so scoping has no approved planning version to build on
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('planning2');
select public.start_phase(tests.phase('scoping2'));
select is(tests.try_as('tester2@test.local', format('select public.create_version(%s)', tests.phase('scoping2'))),
  'PT409 approved_planning_version_required', 'with the basis in its row, scoping refuses a version without an approved planning version');

-- cr1: planning approved and completed, so a scoping version records the planning version it is built from
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));
insert into tests.planning_items (version_id, name, tester_decision) values (tests.id('planning_v')::uuid, 'attribute', 'approved');
select public.submit_version(tests.id('planning_v')::uuid);
select public.approve_version(tests.id('planning_v')::uuid);
select tests.finish_activities(tests.phase('planning1'));
select public.complete_phase(tests.phase('planning1'));
select public.start_phase(tests.phase('scoping1'));
select is(tests.run_as(:t1, format('select (public.create_version(%s)).based_on_version_id', tests.phase('scoping1'))) -> 0 ->> 'based_on_version_id',
  tests.id('planning_v'), 'a scoping version is based on the approved planning version');

select * from finish();
rollback;
