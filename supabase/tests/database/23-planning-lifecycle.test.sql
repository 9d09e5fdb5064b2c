-- The planning lifecycle through the core machinery: counters kept per change, submit needs a tester decision
-- on every source, attribute and mapping, the owner approves or rejects the version (no item review), frozen
-- versions, new versions copying everything with lineage, and completing the phase.
begin;
select plan(43);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set o2 '''owner2@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select results_eq(format($$select total_attributes, data_sources, total_mappings from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1')),
  $$values (0, 0, 0)$$, 'a new planning version starts with a zero summary');

create table source_data.upload_t23 (account_id integer, balance numeric);
insert into public.planning_data_sources (id, version_id, name, source_type, table_name, schema, row_count)
values ('00000000-0000-4000-b000-000000000021', tests.id('v1')::uuid, 'Loans file', 'file_upload', 'upload_t23',
  '{"columns": [{"name": "account_id"}, {"name": "balance"}]}', 2);
select tests.run_as(:t1, format($$insert into public.planning_attributes (id, version_id, name, data_type, is_mandatory, is_cde, is_primary_key, data_source_id, source_column) values
  ('00000000-0000-4000-c000-000000000021', '%1$s', 'Account ID', 'integer', true, true, true, '00000000-0000-4000-b000-000000000021', 'account_id'),
  ('00000000-0000-4000-c000-000000000022', '%1$s', 'Balance', 'decimal', true, true, false, '00000000-0000-4000-b000-000000000021', 'balance'),
  ('00000000-0000-4000-c000-000000000023', '%1$s', 'Branch', 'string', false, false, false, null, null)$$, tests.id('v1')));
select tests.run_as(:t1, format($$insert into public.planning_pde_mappings (id, version_id, attribute_id, pde_name, pde_code) values
  ('00000000-0000-4000-d000-000000000021', '%1$s', '00000000-0000-4000-c000-000000000022', 'Balance', 'BAL'),
  ('00000000-0000-4000-d000-000000000022', '%1$s', '00000000-0000-4000-c000-000000000022', 'Balance backup', 'BAL2')$$, tests.id('v1')));

-- counters ---------------------------------------------------------------------------------------------------------
select results_eq(format($$select data_sources, total_attributes, approved_attributes, pk_attributes, cde_attributes, mandatory_attributes, total_mappings, approved_mappings
  from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1')),
  $$values (1, 3, 0, 1, 2, 2, 2, 0)$$, 'the summary counts sources, attributes by flag and mappings');
select is((select item_count from public.artifact_versions where id = tests.id('v1')::uuid), 6, 'the version counts every item');
select tests.run_as(:t1, $$update public.planning_attributes set is_cde = true, is_primary_key = false where name = 'Branch'$$);
select tests.run_as(:t1, $$update public.planning_attributes set tester_decision = 'approved' where name in ('Account ID', 'Balance')$$);
select results_eq(format($$select total_attributes, approved_attributes, pk_attributes, cde_attributes from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1')),
  $$values (3, 2, 1, 3)$$, 'flag changes and decisions move the counters');
select tests.run_as(:t1, $$delete from public.planning_attributes where name = 'Branch'$$);
select results_eq(format($$select total_attributes, cde_attributes, mandatory_attributes from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1')),
  $$values (2, 2, 2)$$, 'deleting an attribute takes its contribution away');
select is(tests.try_as('postgres', format($$update public.planning_version_summaries set total_attributes = 99 where version_id = '%s'$$, tests.id('v1'))),
  'PT409 version_counters_derived', 'postgres cannot set the counters');
select is(tests.try_as(:t1, format($$update public.planning_version_summaries set total_attributes = 99 where version_id = '%s'$$, tests.id('v1'))),
  '42501', 'testers cannot set the counters');
select is(tests.try_as('postgres', format($$delete from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1'))),
  'PT409 version_counters_derived', 'postgres cannot delete a summary');
select is(tests.try_as(:o1, 'select count(*) from public.planning_version_summaries'), 'rows 1', 'the report owner reads the summary');
select is(tests.try_as(:t2, 'select count(*) from public.planning_version_summaries'), 'rows 0', 'an unassigned tester does not');

-- submit -------------------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1'))),
  'PT409 tester_decisions_missing', 'submit needs a decision on every mapping and source');
select tests.run_as(:t1, $$update public.planning_pde_mappings set tester_decision = 'approved' where pde_code = 'BAL'$$);
select tests.run_as(:t1, $$update public.planning_data_sources set tester_decision = 'approved'$$);
select is(tests.try_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1'))),
  'PT409 tester_decisions_missing', 'one undecided mapping still blocks the submit');
select tests.run_as(:t1, $$update public.planning_pde_mappings set tester_decision = 'rejected', tester_notes = 'Not used' where pde_code = 'BAL2'$$);
select tests.run_as(:t1, $$update public.planning_attributes set tester_decision = null where name = 'Account ID'$$);
select is(tests.try_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1'))),
  'PT409 tester_decisions_missing', 'one undecided attribute still blocks the submit');
select tests.run_as(:t1, $$update public.planning_attributes set tester_decision = 'approved' where name = 'Account ID'$$);
select is(tests.try_as(:o1, format($$select public.submit_version('%s')$$, tests.id('v1'))),
  'PT403 submit_requires_tester', 'the report owner cannot submit');
select is(tests.try_as(:t1, format($$update public.artifact_versions set version_status = 'approved' where id = '%s'$$, tests.id('v1'))),
  '42501', 'no status change by direct write');
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v1')));
select is((select version_status::text from public.artifact_versions where id = tests.id('v1')::uuid), 'pending_approval', 'the tester submits');

-- frozen while pending -------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, $$update public.planning_attributes set description = 'late' where name = 'Balance'$$),
  'PT409 version_not_draft', 'attributes are frozen once submitted');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set tester_decision = 'approved' where pde_code = 'BAL2'$$),
  'PT409 tester_decision_not_in_draft', 'tester decisions are frozen once submitted');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code) values ('%s', '00000000-0000-4000-c000-000000000022', 'X', 'X')$$, tests.id('v1'))),
  'PT409 version_not_draft', 'no mappings are added once submitted');
select is(tests.try_as(:o1, $$update public.planning_attributes set report_owner_decision = 'approved' where name = 'Balance'$$),
  'PT409 phase_has_no_owner_item_review', 'planning has no owner item review');
select is(tests.try_as('postgres', $$delete from public.planning_data_sources where name = 'Loans file'$$),
  'PT409 version_not_draft', 'postgres cannot delete a source of a submitted version');

-- the owner decides the version --------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$select public.approve_version('%s')$$, tests.id('v1'))),
  'PT403 approve_requires_report_owner', 'the tester cannot approve');
select is(tests.try_as(:o2, format($$select public.approve_version('%s')$$, tests.id('v1'))),
  'PT404 version_not_found', 'the owner of another report cannot see the version');
select is(tests.try_as(:o1, format($$select public.reject_version('%s', '')$$, tests.id('v1'))),
  'PT400 rejection_reason_required', 'a rejection needs a reason');
select tests.run_as(:o1, format($$select public.reject_version('%s', 'Map the branch too')$$, tests.id('v1')));
select is((select version_status::text from public.artifact_versions where id = tests.id('v1')::uuid), 'rejected', 'the owner rejects the version as a whole');
select is(tests.try_as(:t1, $$update public.planning_attributes set name = 'x' where name = 'Balance'$$),
  'PT409 version_not_draft', 'a rejected version is frozen');

-- a new version copies everything with lineage ----------------------------------------------------------------------------
insert into tests.fixture_ids
select 'v2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select is((select parent_version_id from public.artifact_versions where id = tests.id('v2')::uuid), tests.id('v1')::uuid,
  'version 2 comes from the rejected version 1');
select results_eq(format($$select a.name, p.name, s.version_id, a.source_column, a.tester_decision::text
    from public.planning_attributes a join public.planning_attributes p on p.id = a.parent_item_id
    join public.planning_data_sources s on s.id = a.data_source_id
   where a.version_id = '%s' order by a.name$$, tests.id('v2')),
  format($$values ('Account ID', 'Account ID', '%1$s'::uuid, 'account_id', 'approved'), ('Balance', 'Balance', '%1$s'::uuid, 'balance', 'approved')$$, tests.id('v2')),
  'attributes are copied with lineage, pointing to the copied source, keeping their approved decisions although the version was rejected');
select results_eq(format($$select m.pde_code, a.version_id, a.name, m.parent_item_id from public.planning_pde_mappings m
    join public.planning_attributes a on a.id = m.attribute_id where m.version_id = '%s' order by m.pde_code$$, tests.id('v2')),
  format($$values ('BAL', '%s'::uuid, 'Balance', '00000000-0000-4000-d000-000000000021'::uuid),
                  ('BAL2', '%1$s'::uuid, 'Balance', '00000000-0000-4000-d000-000000000022'::uuid)$$, tests.id('v2')),
  'mappings are copied with lineage and point to the copied attributes');
select results_eq(format($$select data_sources, total_attributes, approved_attributes, pk_attributes, cde_attributes, total_mappings, approved_mappings
  from public.planning_version_summaries where version_id = '%s'$$, tests.id('v2')),
  $$values (1, 2, 2, 1, 2, 2, 1)$$, 'the copy''s summary is counted as it is copied, carried decisions included');
select results_eq(format($$select data_sources, total_attributes, approved_attributes from public.planning_version_summaries where version_id = '%s'$$, tests.id('v1')),
  $$values (1, 2, 2)$$, 'the parent''s summary is unchanged');
select is(tests.try_as(:t1, format($$update public.planning_pde_mappings set attribute_id = '00000000-0000-4000-c000-000000000022' where version_id = '%s' and pde_code = 'BAL'$$, tests.id('v2'))),
  '42501', 'a mapping cannot be moved to an attribute through the API');
select is(tests.try_as('postgres', format($$update public.planning_pde_mappings set attribute_id = '00000000-0000-4000-c000-000000000021' where version_id = '%s' and pde_code = 'BAL'$$, tests.id('v2'))),
  'PT409 attribute_other_version', 'nor to an attribute of another version, by anyone');
select is(tests.try_as('postgres', format($$update public.planning_attributes set data_source_id = '00000000-0000-4000-b000-000000000021' where version_id = '%s' and name = 'Balance'$$, tests.id('v2'))),
  'PT409 data_source_other_version', 'an attribute cannot use a source of another version');

-- approve and complete -------------------------------------------------------------------------------------------------------
select results_eq(format('select activity_code, status::text from public.workflow_activities where phase_id = %s order by activity_order', tests.phase('planning1')),
  $$values ('load_attributes', 'completed'), ('map_data_sources', 'completed'), ('review_attributes', 'in_progress')$$,
  'the activities follow the current version: attributes and mappings exist, but its decisions start over');
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 activities_incomplete', 'planning cannot complete while the items of its current version are undecided');
select tests.run_as(:t1, format($$update public.planning_attributes set tester_decision = 'approved' where version_id = '%1$s';
  update public.planning_pde_mappings set tester_decision = 'approved' where version_id = '%1$s';
  update public.planning_data_sources set tester_decision = 'approved' where version_id = '%1$s'$$, tests.id('v2')));
select results_eq(format('select status::text, completed_by from public.workflow_activities where phase_id = %s and activity_code = ''review_attributes''', tests.phase('planning1')),
  format($$values ('completed', '%s'::uuid)$$, tests.id('t1')), 'deciding the last item completes "Review the attribute list", stamped with the tester who did');
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 version_open', 'planning cannot complete while a version is open');
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('v2')));
select is(tests.try_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT409 version_open', 'nor while it awaits approval');
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('v2')));
select results_eq(format($$select version_status::text, approved_by from public.artifact_versions where id = '%s'$$, tests.id('v2')),
  format($$values ('approved', '%s'::uuid)$$, tests.id('o1')), 'the owner approves');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set tester_notes = 'x'$$),
  'PT409 tester_decision_not_in_draft', 'an approved version is frozen');
select is(tests.try_as(:o1, format('select public.complete_phase(%s)', tests.phase('planning1'))),
  'PT403 complete_requires_tester', 'the owner does not complete the phase');
select tests.run_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1')));
select is((select status::text from public.workflow_phases where id = tests.phase('planning1')), 'completed',
  'with an approved planning version, the tester completes planning');

select * from finish();
rollback;
