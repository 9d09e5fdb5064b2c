-- Activities that a record proves complete themselves and refuse being ticked by hand; admins skip a phase that
-- has no approved version and reopen a completed one, each with a reason; a phase whose artifact does not exist
-- yet completes without an approved version.
begin;
select plan(38);

select tests.create_fixture();

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set o2 '''owner2@test.local'''
\set admin '''admin@test.local'''

create function pg_temp.activity(p_phase text, p_code text) returns bigint language sql as $$
  select id from public.workflow_activities where phase_id = tests.phase(p_phase) and activity_code = p_code $$;
create function pg_temp.activity_status(p_phase text, p_code text) returns text language sql as $$
  select status::text from public.workflow_activities where phase_id = tests.phase(p_phase) and activity_code = p_code $$;

-- proofs are data ----------------------------------------------------------------------------------------------------
select results_eq(
  $$select phase_name, activity_code, proof::text, proof_item_table::text from public.activity_definitions where proof is not null
     order by phase_name, activity_order$$,
  $$values ('data_profiling', 'generate_rules', 'items_exist', null::text),
           ('planning', 'load_attributes', 'items_exist', 'planning_attributes'),
           ('planning', 'map_data_sources', 'items_exist', 'planning_pde_mappings'),
           ('planning', 'review_attributes', 'items_decided', null),
           ('sample_selection', 'select_samples', 'items_exist', null),
           ('sample_selection', 'review_samples', 'version_approved', null),
           ('scoping', 'decide_scope', 'items_decided', null),
           ('test_execution', 'execute_tests', 'version_submitted', null),
           ('test_execution', 'review_test_results', 'version_approved', null),
           ('test_report', 'draft_report', 'version_submitted', null),
           ('test_report', 'finalize_report', 'version_approved', null)$$,
  'the activity definitions say which record proves each activity');
select is((select proof::text from public.workflow_activities where id = pg_temp.activity('planning1', 'load_attributes')),
  'items_exist', 'a cycle report''s activities carry the proofs of their definitions');

-- ticking a proven activity by hand ----------------------------------------------------------------------------------
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
select is(tests.try_as(:t1, format('select public.complete_activity(%s)', pg_temp.activity('planning1', 'load_attributes'))),
  'PT409 activity_proven_by_data', 'the tester cannot tick by hand an activity a record proves');
select is(tests.try_as(:t1, format('select public.start_activity(%s)', pg_temp.activity('planning1', 'load_attributes'))),
  'PT409 activity_proven_by_data', 'nor start it');
select is(tests.try_as(:admin, format('select public.complete_activity(%s)', pg_temp.activity('planning1', 'review_attributes'))),
  'PT409 activity_proven_by_data', 'nor can an admin');
select is(tests.try_as('postgres', format($$update public.workflow_activities set status = 'completed' where id = %s$$, pg_temp.activity('planning1', 'map_data_sources'))),
  'PT409 activity_proven_by_data', 'nor a direct update in Studio');
select is(tests.try_as('postgres', format($$update public.workflow_activities set proof = null where id = %s$$, pg_temp.activity('planning1', 'map_data_sources'))),
  'PT409 activity_column_immutable', 'a cycle report''s activity keeps its proof');

-- the data completes them ----------------------------------------------------------------------------------------------
insert into tests.fixture_ids
select 'pv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select is(pg_temp.activity_status('planning1', 'load_attributes'), 'in_progress', 'a version makes the proven activities in progress');
create table source_data.upload_t55 (id integer);
insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count)
values (tests.id('pv1')::uuid, 'Loans', 'file_upload', 'upload_t55', '{"columns": [{"name": "id"}]}', 0);
select tests.run_as(:t1, format($$update public.planning_data_sources set tester_decision = 'approved' where version_id = '%s'$$, tests.id('pv1')));
select is(pg_temp.activity_status('planning1', 'review_attributes'), 'completed',
  'every item of the current version decided (here its one source) completes "Review the attribute list"');
select tests.run_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification)
  select '%1$s', 'Loan id', 'integer', s.id, 'id', 'internal' from public.planning_data_sources s where s.version_id = '%1$s'$$, tests.id('pv1')));
select results_eq(
  format('select activity_code, status::text, completed_by from public.workflow_activities where phase_id = %s order by activity_order', tests.phase('planning1')),
  format($$values ('load_attributes', 'completed', '%s'::uuid), ('map_data_sources', 'in_progress', null), ('review_attributes', 'in_progress', null)$$, tests.id('t1')),
  'the first attribute completes "Load the report''s attributes", stamped with the tester; an undecided one sends the review back');
select tests.run_as(:t1, format($$delete from public.planning_attributes where version_id = '%s'$$, tests.id('pv1')));
select is(pg_temp.activity_status('planning1', 'load_attributes'), 'in_progress', 'removing the last attribute takes the completion back');
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 activities_incomplete', 'and planning cannot complete without attributes');

-- skipping: admins only, with a reason, never an approved phase -------------------------------------------------------
select is(tests.try_as(:t1, format($$select public.skip_phase(%s, 'not needed')$$, tests.phase('planning1'))),
  'PT403 skip_requires_admin', 'a tester cannot skip a phase');
select is(tests.try_as(:o1, format($$select public.skip_phase(%s, 'not needed')$$, tests.phase('planning1'))),
  'PT403 skip_requires_admin', 'nor the report owner');
select is(tests.try_as(:admin, format('select public.skip_phase(%s, null)', tests.phase('planning1'))),
  'PT400 skip_reason_required', 'an admin skips only with a reason');
select is(tests.try_as(:admin, format($$select public.skip_phase(%s, '   ')$$, tests.phase('planning1'))),
  'PT400 skip_reason_required', 'a blank reason is none');
select is(tests.try_as('postgres', format($$update public.workflow_phases set status = 'skipped' where id = %s$$, tests.phase('planning1'))),
  'PT400 skip_reason_required', 'in Studio too');
select is(tests.run_as(:admin, format($$select (public.skip_phase(%s, ' Attributes come from last quarter ')).skip_reason$$, tests.phase('planning1'))) -> 0 ->> 'skip_reason',
  'Attributes come from last quarter', 'an admin skips a started phase that has no approved version, with a reason');
select results_eq(
  format($$select new_values ->> 'status', new_values ->> 'skip_reason', actor_id from public.audit_log
            where table_name = 'public.workflow_phases' and row_id = '%s' order by id desc limit 1$$, tests.phase('planning1')),
  format($$values ('skipped', 'Attributes come from last quarter', '%s'::uuid)$$, tests.id('admin')),
  'the skip, its reason and the admin are in the audit log');
select tests.try_as('postgres', format($$update public.workflow_phases set skip_reason = 'rewritten' where id = %s$$, tests.phase('planning1')));
select is((select skip_reason from public.workflow_phases where id = tests.phase('planning1')), 'Attributes come from last quarter',
  'the reason cannot be rewritten afterwards');
select is(tests.try_as(:admin, format($$select public.skip_phase(%s, 'again')$$, tests.phase('planning1'))),
  'PT409 illegal_phase_transition', 'a skipped phase stays skipped');

-- a phase whose artifact does not exist yet ----------------------------------------------------------------------------
-- Every phase's items are built now: unregister scoping's for this test, as a phase not built yet has none.
set local session_replication_role = replica;
update public.phase_definitions set item_tables = '{}' where name = 'scoping';
set local session_replication_role = origin;
select is((select cardinality(item_tables) from public.phase_definitions where name = 'scoping'), 0, 'scoping has no item table now');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('scoping1')));
select is(tests.run_as(:t1, format('select (public.complete_activity(a)).status from tests.activity_ids(%s) a', tests.phase('scoping1'))) -> 1 ->> 'status',
  'completed', 'until its items exist, a proven activity is a manual step');
select is(tests.run_as(:t1, format('select (public.complete_phase(%s)).status', tests.phase('scoping1'))) -> 0 ->> 'status',
  'completed', 'and the phase completes without an approved version');
select tests.create_item_table('scope_items', 'scoping');
select is(private.is_provable_activity(a), true, 'once an item table is registered for the phase, its activity is proven by the data')
  from public.workflow_activities a where a.id = pg_temp.activity('scoping1', 'decide_scope');
select is(private.phase_needs_approved_version('scoping'), true, 'and the phase needs an approved version again');

-- a phase plugged in later: items, the owner's approval --------------------------------------------------------------
-- Sample selection stands in for it: its own items and basis unregistered, a throwaway item table attached.
set local session_replication_role = replica;
update public.phase_definitions set item_tables = '{}', basis_phase = null where name = 'sample_selection';
set local session_replication_role = origin;
select tests.create_item_table('sample_items', 'sample_selection');
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
 where cycle_report_id = tests.id('cr2')::bigint and phase_order < 5;
select tests.run_as(:t2, format('select public.start_phase(%s)', tests.phase('sample_selection2')));
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t2, format('select (public.create_version(%s)).id', tests.phase('sample_selection2'))) -> 0 ->> 'id';
select tests.run_as(:t2, format($$insert into tests.sample_items (version_id, name, tester_decision) values ('%1$s', 'loan 1', 'approved'), ('%1$s', 'loan 2', 'approved')$$, tests.id('sv1')));
select results_eq(format('select activity_code, status::text from public.workflow_activities where phase_id = %s order by activity_order', tests.phase('sample_selection2')),
  $$values ('select_samples', 'completed'), ('review_samples', 'in_progress')$$, 'a phase plugged in later gets its activities proven by its items');
select tests.run_as(:t2, format($$select public.submit_version('%s')$$, tests.id('sv1')));
select tests.run_as(:o2, format($$update tests.sample_items set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('sv1')));
select is(pg_temp.activity_status('sample_selection2', 'review_samples'), 'in_progress', 'decided but not approved');
select tests.run_as(:o2, format($$select public.approve_version('%s')$$, tests.id('sv1')));
select results_eq(format($$select status::text, completed_by from public.workflow_activities where id = %s$$, pg_temp.activity('sample_selection2', 'review_samples')),
  format($$values ('completed', '%s'::uuid)$$, tests.id('o2')), 'the owner''s approval completes "Review the samples with the report owner"');
select is(tests.try_as(:admin, format($$select public.skip_phase(%s, 'shortcut')$$, tests.phase('sample_selection2'))),
  'PT409 phase_has_approved_version', 'a phase with an approved version cannot be skipped: it is completed');
select is(tests.run_as(:t2, format('select (public.complete_phase(%s)).status', tests.phase('sample_selection2'))) -> 0 ->> 'status',
  'completed', 'the tester completes it, nothing ticked by hand');
select is(tests.try_as(:admin, format($$select public.skip_phase(%s, 'shortcut')$$, tests.phase('sample_selection2'))),
  'PT409 illegal_phase_transition', 'nor can a completed phase be skipped');

-- reopening: admins only, with a reason -------------------------------------------------------------------------------
select is(tests.try_as(:t2, format($$select public.reopen_phase(%s, 'a late sample')$$, tests.phase('sample_selection2'))),
  'PT403 reopen_requires_admin', 'a tester cannot reopen a phase');
select is(tests.try_as(:admin, format($$select public.reopen_phase(%s, '')$$, tests.phase('sample_selection2'))),
  'PT400 reopen_reason_required', 'an admin reopens only with a reason');
select is(tests.try_as('postgres', format($$update public.workflow_phases set status = 'in_progress' where id = %s$$, tests.phase('sample_selection2'))),
  'PT400 reopen_reason_required', 'in Studio too');
select is(tests.run_as(:admin, format($$select (public.reopen_phase(%s, 'A late sample')).reopen_reason$$, tests.phase('sample_selection2'))) -> 0 ->> 'reopen_reason',
  'A late sample', 'an admin reopens a completed phase with a reason');
select is(pg_temp.activity_status('sample_selection2', 'review_samples'), 'completed', 'its proven activities still stand on the approved version');
select results_eq(format('select (public.complete_phase(%s)).reopen_reason', tests.phase('sample_selection2')),
  $$values (null::text)$$, 'completing it again clears the reopening reason (the audit log keeps it)');

select * from finish();
rollback;
