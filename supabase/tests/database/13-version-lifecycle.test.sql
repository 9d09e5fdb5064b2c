-- The version lifecycle on throwaway item tables: every legal and illegal transition, by every role,
-- including direct writes as postgres (a database operator in Studio).
begin;
select plan(103);

select tests.create_fixture();
-- planning: no owner item review, nothing carried forward; sample_selection: owner review, approved items carried.
select tests.create_item_table('planning_items', 'planning');
select tests.create_item_table('sample_items', 'sample_selection');

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''
\set o2 '''owner2@test.local'''
\set admin '''admin@test.local'''

-- The machinery is attached -------------------------------------------------------------------------------
select has_column('tests', 'planning_items', 'parent_item_id', 'attached tables get lineage');
select has_column('tests', 'planning_items', 'report_owner_decided_by', 'attached tables get decision stamps');
select has_trigger('tests', 'planning_items', 'guard_versioned_item', 'attached tables get the lifecycle guard');
select ok((select relrowsecurity from pg_class where oid = 'tests.planning_items'::regclass), 'attached tables get RLS');

-- creating a version ---------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format('select public.create_version(%s)', tests.phase('planning1'))),
  'PT409 phase_not_in_progress', 'no version before the phase starts');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
select is(tests.try_as(:o1, format('select public.create_version(%s)', tests.phase('planning1'))),
  'PT403 version_create_requires_tester', 'the report owner cannot create a version');
select is(tests.try_as(:t2, format('select public.create_version(%s)', tests.phase('planning1'))),
  'PT404 phase_not_found', 'an unassigned tester does not even see the phase');
select is(tests.try_as(:o2, format('select public.create_version(%s)', tests.phase('planning1'))),
  'PT404 phase_not_found', 'the owner of another report does not see the phase');
select is(tests.try_as('anon', format('select public.create_version(%s)', tests.phase('planning1'))),
  '42501', 'anon cannot call create_version');
select is(tests.try_as(:t1, format('select public.create_version(%s)', tests.phase('data_request1'))),
  'PT409 phase_has_no_artifact', 'phases without an artifact have no versions');
select is(tests.try_as(:t1, format('insert into public.artifact_versions (phase_id) values (%s)', tests.phase('planning1'))),
  '42501', 'testers create versions through create_version only');

insert into tests.fixture_ids
select 'pv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select results_eq(
  format($$select version_number, version_status::text, created_by from public.artifact_versions where id = '%s'$$, tests.id('pv1')),
  format($$values (1, 'draft', '%s'::uuid)$$, tests.id('t1')),
  'the assigned tester creates version 1 as a draft, stamped with their id');
select is(tests.try_as(:t1, format('select public.create_version(%s)', tests.phase('planning1'))),
  'PT409 open_version_exists', 'one open version per phase');
select is(tests.try_as('postgres', format('insert into public.artifact_versions (phase_id) values (%s)', tests.phase('planning1'))),
  'PT409 open_version_exists', 'postgres cannot insert a second open version either');
select throws_ok(format($$insert into public.artifact_versions (phase_id, version_status) values (%s, 'approved')$$, tests.phase('scoping1')),
  'PT409', null, 'postgres cannot insert a version of a phase that has not started');

-- items in a draft -------------------------------------------------------------------------------------------
select is(tests.run_as(:t1, format($$insert into tests.planning_items (version_id, name) values ('%1$s', 'a'), ('%1$s', 'b'), ('%1$s', 'c')$$, tests.id('pv1'))),
  '3'::jsonb, 'the tester adds items to the draft');
select is((select item_count from public.artifact_versions where id = tests.id('pv1')::uuid), 3, 'item_count follows inserts');
select is(tests.try_as(:o1, format($$insert into tests.planning_items (version_id, name) values ('%s', 'x')$$, tests.id('pv1'))),
  'PT403 item_edit_requires_tester', 'the report owner cannot add items');
select is(tests.try_as(:t2, format($$insert into tests.planning_items (version_id, name) values ('%s', 'x')$$, tests.id('pv1'))),
  'PT403 item_edit_requires_tester', 'an unassigned tester cannot add items');
select is(tests.try_as(:t1, format($$update tests.planning_items set name = 'a2' where version_id = '%s' and name = 'a'$$, tests.id('pv1'))),
  'rows 1', 'the tester edits items of the draft');
select is(tests.try_as(:o1, format($$update tests.planning_items set name = 'zz' where version_id = '%s' and name = 'a'$$, tests.id('pv1'))),
  'PT403 item_edit_requires_tester', 'the report owner cannot edit items');
select is(tests.try_as(:t2, format($$update tests.planning_items set name = 'zz' where version_id = '%s'$$, tests.id('pv1'))),
  'rows 0', 'an unassigned tester sees no items to edit');
select is(tests.try_as(:t1, format($$insert into tests.sample_items (version_id, name) values ('%s', 'x')$$, tests.id('pv1'))),
  'PT409 item_wrong_phase', 'an item table only takes versions of its own phase');

select tests.run_as(:t1, format($$update tests.planning_items set tester_decision = 'approved', tester_decided_by = '%s' where version_id = '%s' and name = 'a'$$, tests.id('o1'), tests.id('pv1')));
select results_eq(
  format($$select tester_decided_by, item_status::text from tests.planning_items where version_id = '%s' and name = 'a'$$, tests.id('pv1')),
  format($$values ('%s'::uuid, 'approved')$$, tests.id('t1')),
  'a tester decision is stamped with the real actor (a forged stamp is ignored) and sets the item status');
select is(tests.try_as(:o1, format($$update tests.planning_items set tester_decision = 'rejected' where version_id = '%s'$$, tests.id('pv1'))),
  'PT403 tester_decision_requires_tester', 'the report owner cannot record tester decisions');
select is(tests.try_as(:o1, format($$update tests.planning_items set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 owner_decision_not_pending', 'no owner decisions while the version is a draft');
select is(tests.try_as(:t1, format($$insert into tests.planning_items (version_id, name, report_owner_decision) values ('%s', 'x', 'approved')$$, tests.id('pv1'))),
  'PT409 owner_decision_not_pending', 'an owner decision cannot be slipped in with a new item');
select is(tests.try_as(:t1, format($$update public.artifact_versions set item_count = 99 where id = '%s'$$, tests.id('pv1'))),
  '42501', 'testers cannot write counters');
select throws_ok(format($$update public.artifact_versions set item_count = 99 where id = '%s'$$, tests.id('pv1')),
  'PT409', null, 'nor can postgres: counters are derived');

select is(tests.try_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv1'))),
  'PT409 tester_decisions_missing', 'submit needs a tester decision on every item');
select tests.run_as(:t1, format($$update tests.planning_items set tester_decision = case when name = 'c' then 'rejected'::public.review_decision else 'approved' end where version_id = '%s'$$, tests.id('pv1')));
select results_eq(
  format($$select item_count, tester_decided_count, approved_count, rejected_count, pending_count from public.artifact_versions where id = '%s'$$, tests.id('pv1')),
  $$values (3, 3, 2, 1, 0)$$,
  'counters follow the decisions');
select is(tests.try_as(:o1, format($$select public.submit_version('%s')$$, tests.id('pv1'))),
  'PT403 submit_requires_tester', 'the report owner cannot submit');
select is(tests.try_as(:t1, format($$update public.artifact_versions set version_status = 'pending_approval' where id = '%s'$$, tests.id('pv1'))),
  '42501', 'testers change a version''s status only through the RPCs');
select is(tests.try_as(:t1, format($$select public.approve_version('%s')$$, tests.id('pv1'))),
  'PT409 version_not_pending', 'a draft cannot be approved');
select is(tests.try_as('postgres', format($$update public.artifact_versions set version_status = 'approved' where id = '%s'$$, tests.id('pv1'))),
  'PT409 illegal_version_transition', 'not even by postgres directly');

select is(tests.run_as(:t1, format($$select (public.submit_version('%s')).version_status$$, tests.id('pv1'))) -> 0 ->> 'version_status',
  'pending_approval', 'the tester submits');
select is((select submitted_by from public.artifact_versions where id = tests.id('pv1')::uuid), tests.id('t1')::uuid, 'submitted_by is stamped');

-- pending approval --------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'a submitted version cannot be submitted again');
select is(tests.try_as(:t1, format($$update tests.planning_items set name = 'edited' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'items are frozen once submitted');
select is(tests.try_as(:t1, format($$update tests.planning_items set tester_decision = 'rejected' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 tester_decision_not_in_draft', 'tester decisions are frozen once submitted');
select is(tests.try_as(:t1, format($$insert into tests.planning_items (version_id, name) values ('%s', 'late')$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'no new items once submitted');
select is(tests.try_as(:t1, format($$delete from tests.planning_items where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'no deletions once submitted');
select is(tests.try_as(:t1, format($$delete from public.artifact_versions where id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'a submitted version cannot be deleted');
select is(tests.try_as(:o1, format($$update tests.planning_items set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 phase_has_no_owner_item_review', 'planning has no owner item review');
select is(tests.try_as('postgres', format($$update tests.planning_items set name = 'studio edit' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'postgres cannot edit items of a submitted version');
select is(tests.try_as('postgres', format($$update public.artifact_versions set version_status = 'draft' where id = '%s'$$, tests.id('pv1'))),
  'PT409 illegal_version_transition', 'postgres cannot send a version back to draft');
select is(tests.try_as(:t1, format($$select public.approve_version('%s')$$, tests.id('pv1'))),
  'PT403 approve_requires_report_owner', 'the tester cannot approve');
select is(tests.try_as(:o2, format($$select public.approve_version('%s')$$, tests.id('pv1'))),
  'PT404 version_not_found', 'the owner of another report cannot see it to approve it');
select is(tests.try_as(:t1, format($$select public.reject_version('%s', 'no')$$, tests.id('pv1'))),
  'PT403 reject_requires_report_owner', 'the tester cannot reject');
select is(tests.try_as(:o1, format($$select public.reject_version('%s', '  ')$$, tests.id('pv1'))),
  'PT400 rejection_reason_required', 'a rejection needs a reason');
select is(tests.try_as('anon', format($$select public.approve_version('%s')$$, tests.id('pv1'))),
  '42501', 'anon cannot call approve_version');

select is(tests.run_as(:o1, format($$select (public.approve_version('%s')).version_status$$, tests.id('pv1'))) -> 0 ->> 'version_status',
  'approved', 'the report owner approves');
select results_eq(
  format($$select approved_by, version_number, is_current, item_count, approved_count from public.approved_artifacts where version_id = '%s'$$, tests.id('pv1')),
  format($$values ('%s'::uuid, 1, true, 3, 2)$$, tests.id('o1')),
  'the approval is registered in approved_artifacts');

-- approved: nothing changes ------------------------------------------------------------------------------------
select is(tests.try_as(:o1, format($$select public.approve_version('%s')$$, tests.id('pv1'))),
  'PT409 version_not_pending', 'an approved version cannot be approved again');
select is(tests.try_as(:o1, format($$select public.reject_version('%s', 'late')$$, tests.id('pv1'))),
  'PT409 version_not_pending', 'an approved version cannot be rejected');
select is(tests.try_as('postgres', format($$update public.artifact_versions set version_status = 'rejected', rejection_reason = 'x' where id = '%s'$$, tests.id('pv1'))),
  'PT409 illegal_version_transition', 'postgres cannot reject an approved version');
select is(tests.try_as('postgres', format($$update public.artifact_versions set version_status = 'superseded' where id = '%s'$$, tests.id('pv1'))),
  'PT409 illegal_version_transition', 'postgres cannot supersede by hand');
select is(tests.try_as('postgres', format($$update public.artifact_versions set approved_by = null where id = '%s'$$, tests.id('pv1'))),
  'PT409 version_stamps_derived', 'postgres cannot rewrite who approved');
select is(tests.try_as('postgres', format($$update public.artifact_versions set summary = '{"x":1}' where id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'postgres cannot edit an approved version''s summary');
select is(tests.try_as('postgres', format($$delete from public.artifact_versions where id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'postgres cannot delete an approved version');
select is(tests.try_as('postgres', format($$delete from tests.planning_items where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 version_not_draft', 'postgres cannot delete items of an approved version');
select is(tests.try_as('postgres', format($$update tests.planning_items set tester_decision = 'rejected' where version_id = '%s'$$, tests.id('pv1'))),
  'PT409 tester_decision_not_in_draft', 'postgres cannot change decisions of an approved version');
select is(tests.try_as('postgres', 'truncate public.artifact_versions cascade'),
  'PT403 truncate_refused', 'postgres cannot truncate the versions');
select is(tests.try_as('postgres', 'delete from public.approved_artifacts'),
  'PT403 approved_artifacts_derived', 'postgres cannot delete from approved_artifacts');

-- version 2 from version 1: copied with lineage, then rejected ---------------------------------------------------
insert into tests.fixture_ids
select 'pv2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select results_eq(
  format($$select version_number, parent_version_id, item_count, tester_decided_count from public.artifact_versions where id = '%s'$$, tests.id('pv2')),
  format($$values (2, '%s'::uuid, 3, 2)$$, tests.id('pv1')),
  'version 2 defaults to the latest version as parent and copies its items, keeping the decisions of the two approved ones (planning carries them forward)');
select is(
  (select count(*)::int from tests.planning_items c join tests.planning_items p on p.id = c.parent_item_id
    where c.version_id = tests.id('pv2')::uuid and p.version_id = tests.id('pv1')::uuid and p.name = c.name),
  3, 'each copied item links to the item it came from');
select is(tests.try_as(:t1, format($$insert into tests.planning_items (version_id, name, parent_item_id) select '%s', 'x', id from tests.planning_items where version_id = '%s' limit 1$$, tests.id('pv2'), tests.id('pv2'))),
  'PT409 parent_item_not_in_parent_version', 'lineage points into the parent version only');
select is(tests.run_as(:t1, format($$delete from tests.planning_items where version_id = '%s' and name = 'b'$$, tests.id('pv2'))),
  '1'::jsonb, 'the tester deletes an item of the draft');
select is((select item_count from public.artifact_versions where id = tests.id('pv2')::uuid), 2, 'item_count follows deletes');
select tests.run_as(:t1, format($$update tests.planning_items set tester_decision = 'approved' where version_id = '%s'$$, tests.id('pv2')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv2')));
select is(tests.run_as(:o1, format($$select (public.reject_version('%s', 'Attribute b is missing')).version_status$$, tests.id('pv2'))) -> 0 ->> 'version_status',
  'rejected', 'the report owner rejects with a reason');
select results_eq(
  format($$select rejected_by, rejection_reason from public.artifact_versions where id = '%s'$$, tests.id('pv2')),
  format($$values ('%s'::uuid, 'Attribute b is missing')$$, tests.id('o1')),
  'rejected_by and the reason are recorded');
select is(tests.try_as('postgres', format($$update public.artifact_versions set version_status = 'pending_approval' where id = '%s'$$, tests.id('pv2'))),
  'PT409 illegal_version_transition', 'a rejected version stays rejected');
select is((select version_status::text from public.artifact_versions where id = tests.id('pv1')::uuid), 'approved',
  'a rejection leaves the approved version alone');

-- version 3: a deleted draft leaves no gap; approval supersedes version 1 ------------------------------------------
insert into tests.fixture_ids
select 'pv3', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select is(tests.run_as(:t1, format($$delete from public.artifact_versions where id = '%s'$$, tests.id('pv3'))),
  '1'::jsonb, 'the tester deletes a draft (its items go with it)');
update tests.fixture_ids set id = tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id'
 where name = 'pv3';
select results_eq(
  format($$select version_number, parent_version_id, item_count from public.artifact_versions where id = '%s'$$, tests.id('pv3')),
  format($$values (3, '%s'::uuid, 2)$$, tests.id('pv2')),
  'the next version is number 3 again (no gap), from the rejected version 2');
select tests.run_as(:t1, format($$update tests.planning_items set tester_decision = 'approved' where version_id = '%s'$$, tests.id('pv3')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv3')));
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('pv3')));
select results_eq(
  format($$select version_number, version_status::text, superseded_by_version_id from public.artifact_versions where phase_id = %s order by version_number$$, tests.phase('planning1')),
  format($$values (1, 'superseded', '%s'::uuid), (2, 'rejected', null), (3, 'approved', null)$$, tests.id('pv3')),
  'approving version 3 supersedes version 1; numbers 1, 2, 3 without gaps');
select results_eq(
  format($$select version_number, is_current from public.approved_artifacts where phase_id = %s order by version_number$$, tests.phase('planning1')),
  $$values (1, false), (3, true)$$,
  'the registry marks version 1 no longer current');

-- segregation of duties ----------------------------------------------------------------------------------------
insert into tests.fixture_ids
select 'pv4', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$update tests.planning_items set tester_decision = 'approved' where version_id = '%s'$$, tests.id('pv4')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('pv4')));
-- The tester is unassigned and promoted to report owner of report A while the version waits.
delete from public.cycle_report_testers where tester_id = tests.id('t1')::uuid;
update public.profiles set app_role = 'report_owner' where id = tests.id('t1')::uuid;
update public.reports set owner_id = tests.id('t1')::uuid where id = tests.id('report_a')::bigint;
select is(tests.try_as(:t1, format($$select public.approve_version('%s')$$, tests.id('pv4'))),
  'PT403 approver_is_submitter', 'nobody approves a version they submitted');
update public.reports set owner_id = tests.id('o1')::uuid where id = tests.id('report_a')::bigint;
update public.profiles set app_role = 'tester' where id = tests.id('t1')::uuid;
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t1')::uuid);
select is(tests.try_as(:admin, format($$select (public.reject_version('%s', 'admin says no')).version_status$$, tests.id('pv4'))),
  'rows 1', 'an admin may reject');
select tests.run_as(:o1, format($$select public.reject_version('%s', 'not needed')$$, tests.id('pv4')));

-- an admin may approve their own submission (the exception to segregation of duties)
insert into tests.fixture_ids
select 'pv5', tests.run_as(:admin, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:admin, format($$update tests.planning_items set tester_decision = 'approved' where version_id = '%s'$$, tests.id('pv5')));
select tests.run_as(:admin, format($$select public.submit_version('%s')$$, tests.id('pv5')));
select is(tests.run_as(:admin, format($$select (public.approve_version('%s')).version_status$$, tests.id('pv5'))) -> 0 ->> 'version_status',
  'approved', 'an admin may approve their own submission');

-- owner item review and carrying approved items forward (sample selection) --------------------------------------
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('data_profiling1');
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('sample_selection1')));
insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.sample_items (version_id, name, tester_decision) values ('%1$s', 's1', 'approved'), ('%1$s', 's2', 'approved'), ('%1$s', 's3', 'rejected')$$, tests.id('sv1')));
select results_eq(
  format($$select item_count, tester_decided_count, pending_count from public.artifact_versions where id = '%s'$$, tests.id('sv1')),
  $$values (3, 3, 3)$$,
  'with owner review, items stay pending until the owner decides');
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('sv1')));
select is(tests.try_as(:o1, format($$select public.approve_version('%s')$$, tests.id('sv1'))),
  'PT409 owner_decisions_missing', 'approval needs an owner decision on every item where the phase reviews items');
select is(tests.try_as(:t1, format($$update tests.sample_items set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('sv1'))),
  'PT403 owner_decision_requires_report_owner', 'the tester cannot record owner decisions');
select is(tests.try_as(:o1, format($$update tests.sample_items set name = 'renamed' where version_id = '%s'$$, tests.id('sv1'))),
  'PT409 version_not_draft', 'the owner cannot edit item content either');
select tests.run_as(:o1, format($$update tests.sample_items set report_owner_decision = case when name = 's3' then 'rejected'::public.review_decision else 'approved' end, report_owner_notes = 'ok' where version_id = '%s'$$, tests.id('sv1')));
select results_eq(
  format($$select name, item_status::text, report_owner_decided_by from tests.sample_items where version_id = '%s' order by name$$, tests.id('sv1')),
  format($$values ('s1', 'approved', '%1$s'::uuid), ('s2', 'approved', '%1$s'::uuid), ('s3', 'rejected', '%1$s'::uuid)$$, tests.id('o1')),
  'owner decisions are stamped and decide the item status');
select is(tests.run_as(:o1, format($$select (public.approve_version('%s')).version_status$$, tests.id('sv1'))) -> 0 ->> 'version_status',
  'approved', 'the owner approves once every item has an owner decision');
insert into tests.fixture_ids
select 'sv2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select results_eq(
  format($$select name, item_status::text, report_owner_decision::text, report_owner_decided_by from tests.sample_items where version_id = '%s' order by name$$, tests.id('sv2')),
  format($$values ('s1', 'approved', 'approved', '%1$s'::uuid), ('s2', 'approved', 'approved', '%1$s'::uuid), ('s3', 'pending', null, null)$$, tests.id('o1')),
  'approved samples are carried forward with their decisions; the rejected one starts over');
select results_eq(
  format($$select item_count, tester_decided_count, owner_decided_count, approved_count, pending_count from public.artifact_versions where id = '%s'$$, tests.id('sv2')),
  $$values (3, 2, 2, 2, 1)$$,
  'the counters of the new version include the carried decisions');

-- counters always equal a recount -------------------------------------------------------------------------------
select is(
  (select count(*)::int from public.artifact_versions v
    where v.id in (select version_id from tests.planning_items union select version_id from tests.sample_items)
      and (v.item_count <> (select count(*) from tests.planning_items i where i.version_id = v.id)
                         + (select count(*) from tests.sample_items i where i.version_id = v.id)
       or v.approved_count <> (select count(*) from tests.planning_items i where i.version_id = v.id and i.item_status = 'approved')
                             + (select count(*) from tests.sample_items i where i.version_id = v.id and i.item_status = 'approved'))),
  0, 'incremental counters equal a recount for every version of this test (other data may share the database)');

-- items of several tables: references between them follow the copies --------------------------------------------
create table tests.scope_attrs (id uuid primary key default extensions.gen_random_uuid(), version_id uuid not null, name text not null);
create table tests.scope_links (id uuid primary key default extensions.gen_random_uuid(), version_id uuid not null,
  attr_id uuid not null references tests.scope_attrs (id), note text);
select private.attach_versioned_items('tests.scope_attrs', 'scoping', 0);
select private.attach_versioned_items('tests.scope_links', 'scoping', 1);
select tests.finish_activities(tests.phase('planning1'));
select tests.run_as(:t1, format('select public.complete_phase(%s)', tests.phase('planning1')));
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('scoping1')));
insert into tests.fixture_ids
select 'cv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$with a as (insert into tests.scope_attrs (version_id, name, tester_decision) values ('%1$s', 'attr', 'approved') returning id)
  insert into tests.scope_links (version_id, attr_id, note, tester_decision) select '%1$s', a.id, 'link', 'approved' from a$$, tests.id('cv1')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('cv1')));
select tests.run_as(:o1, format($$update tests.scope_attrs set report_owner_decision = 'approved' where version_id = '%1$s';
  update tests.scope_links set report_owner_decision = 'approved' where version_id = '%1$s'$$, tests.id('cv1')));
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('cv1')));
insert into tests.fixture_ids
select 'cv2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select is(
  (select count(*)::int from tests.scope_links l join tests.scope_attrs a on a.id = l.attr_id
    where l.version_id = tests.id('cv2')::uuid and a.version_id = tests.id('cv2')::uuid),
  1, 'a copied link points at the copied attribute of the new version');
select is((select item_count from public.artifact_versions where id = tests.id('cv2')::uuid), 2,
  'a version counts the items of every item table of its phase');

-- carried decisions come only from the copy -------------------------------------------------------------------
-- sv2 is a draft of sample_selection: s1 and s2 were carried forward approved (owner1's decisions), s3 is pending.
select is(tests.try_as(:t1, format($$insert into tests.sample_items (version_id, name, amount, parent_item_id, tester_decision, report_owner_decision, report_owner_notes)
    select '%s', 'forged', 1000, id, tester_decision, report_owner_decision, report_owner_notes from tests.sample_items where version_id = '%s' and name = 's1'$$, tests.id('sv2'), tests.id('sv1'))),
  'PT409 owner_decision_not_pending', 'a tester cannot insert an item carrying an approved parent''s owner decision');
select is(tests.try_as('postgres', format($$insert into tests.sample_items (version_id, name, parent_item_id, tester_decision, report_owner_decision)
    select '%s', name, id, tester_decision, report_owner_decision from tests.sample_items where version_id = '%s' and name = 's1'$$, tests.id('sv2'), tests.id('sv1'))),
  'PT409 owner_decision_not_pending', 'nor can postgres in Studio, even with the parent''s exact content');
select tests.run_as(:t1, format($$insert into tests.sample_items (version_id, name, amount, parent_item_id, tester_decision)
    select '%s', 'copy ' || n, n, p.id, 'approved' from tests.sample_items p, generate_series(1, 2) n where p.version_id = '%s' and p.name = 's1'$$, tests.id('sv2'), tests.id('sv1')));
select results_eq(
  format($$select name, item_status::text, report_owner_decision::text, report_owner_decided_by, tester_decided_by from tests.sample_items where version_id = '%s' and name like 'copy %%' order by name$$, tests.id('sv2')),
  format($$values ('copy 1', 'pending', null, null::uuid, '%1$s'::uuid), ('copy 2', 'pending', null, null::uuid, '%1$s'::uuid)$$, tests.id('t1')),
  'hand-made copies of an approved parent start pending for the owner; the tester''s decision is the tester''s own');
select tests.run_as(:t1, format($$update tests.sample_items set tester_notes = 'checked again' where version_id = '%s' and name = 's2'$$, tests.id('sv2')));
select results_eq(
  format($$select report_owner_decision::text, report_owner_decided_by, item_status::text from tests.sample_items where version_id = '%s' and name = 's2'$$, tests.id('sv2')),
  format($$values ('approved', '%s'::uuid, 'approved')$$, tests.id('o1')),
  'a tester''s note on a carried item keeps the owner''s decision (the content is unchanged)');
savepoint tester_changes_mind;
select tests.run_as(:t1, format($$update tests.sample_items set tester_decision = 'rejected' where version_id = '%s' and name = 's2'$$, tests.id('sv2')));
select coalesce(report_owner_decision::text, 'none') as s2_owner, coalesce(report_owner_decided_by::text, 'none') as s2_owner_by,
       item_status::text as s2_status
  from tests.sample_items where version_id = tests.id('sv2')::uuid and name = 's2' \gset
select owner_decided_count as sv2_owner_count from public.artifact_versions where id = tests.id('sv2')::uuid \gset
rollback to savepoint tester_changes_mind;
select is(array[:'s2_owner', :'s2_owner_by', :'s2_status'], array['none', 'none', 'pending'],
  'a tester who changes their decision on a carried item clears the owner''s decision; the owner decides again');
select is(:sv2_owner_count, 1, 'the version''s owner-decision counter follows');
select tests.run_as(:t1, format($$update tests.sample_items set name = 's1 edited', amount = 5 where version_id = '%s' and name = 's1'$$, tests.id('sv2')));
select results_eq(
  format($$select report_owner_decision::text, report_owner_notes, report_owner_decided_by, report_owner_decided_at, item_status::text, tester_decision::text
             from tests.sample_items where version_id = '%s' and name = 's1 edited'$$, tests.id('sv2')),
  $$values (null, null, null::uuid, null::timestamptz, 'pending', 'approved')$$,
  'editing a carried item''s content clears the owner''s decision and stamps; the owner decides again');
select is(tests.try_as('postgres', format($$update tests.sample_items set amount = 7 where version_id = '%s' and name = 's2'$$, tests.id('sv2'))),
  'rows 1', 'postgres edits a carried item in Studio');
update tests.sample_items set amount = 7 where version_id = tests.id('sv2')::uuid and name = 's2';
select results_eq(
  format($$select item_count, tester_decided_count, owner_decided_count, approved_count, rejected_count, pending_count from public.artifact_versions where id = '%s'$$, tests.id('sv2')),
  $$values (5, 4, 0, 0, 0, 5)$$,
  'a Studio edit clears the carried decision too, and the counters follow both edits');
select results_eq(
  format($$select item_count, tester_decided_count, owner_decided_count, approved_count from public.artifact_versions where id = '%s'$$, tests.id('sv2')),
  format($$select count(*)::int, count(tester_decision)::int, count(report_owner_decision)::int, (count(*) filter (where item_status = 'approved'))::int
             from tests.sample_items where version_id = '%s'$$, tests.id('sv2')),
  'the draft''s counters equal a recount after the edits');

-- the copy still carries decisions, also through the references it re-points
create table tests.sample_groups (id uuid primary key default extensions.gen_random_uuid(), version_id uuid not null, name text not null);
create table tests.sample_members (id uuid primary key default extensions.gen_random_uuid(), version_id uuid not null,
  group_id uuid not null references tests.sample_groups (id), note text);
select private.attach_versioned_items('tests.sample_groups', 'sample_selection', 1);
select private.attach_versioned_items('tests.sample_members', 'sample_selection', 2);
select tests.run_as(:t1, format($$with g as (insert into tests.sample_groups (version_id, name, tester_decision) values ('%1$s', 'group', 'approved') returning id)
  insert into tests.sample_members (version_id, group_id, note, tester_decision) select '%1$s', g.id, 'member', 'approved' from g$$, tests.id('sv2')));
select tests.run_as(:t1, format($$update tests.sample_items set tester_decision = 'approved' where version_id = '%s' and tester_decision is null$$, tests.id('sv2')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('sv2')));
select tests.run_as(:o1, format($$update tests.sample_items set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('sv2')));
select tests.run_as(:o1, format($$update tests.sample_groups set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('sv2')));
select tests.run_as(:o1, format($$update tests.sample_members set report_owner_decision = 'approved' where version_id = '%s'$$, tests.id('sv2')));
select tests.run_as(:o1, format($$select public.approve_version('%s')$$, tests.id('sv2')));
insert into tests.fixture_ids
select 'sv3', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select results_eq(
  format($$select g.version_id = m.version_id, m.report_owner_decision::text, m.report_owner_decided_by, m.item_status::text
             from tests.sample_members m join tests.sample_groups g on g.id = m.group_id where m.version_id = '%s'$$, tests.id('sv3')),
  format($$values (true, 'approved', '%s'::uuid, 'approved')$$, tests.id('o1')),
  'a copied reference is re-pointed to the copy and keeps its carried decision');
select results_eq(
  format($$select item_count, owner_decided_count, approved_count, pending_count from public.artifact_versions where id = '%s'$$, tests.id('sv3')),
  $$values (7, 7, 7, 0)$$,
  'create_version carries every approved item with its decisions');

select * from finish();
rollback;
