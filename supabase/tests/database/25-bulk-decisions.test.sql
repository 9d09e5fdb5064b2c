-- Bulk decisions: public.decide_items records one decision on many items in one statement, as the caller, with
-- the item guard, the stamps and the counters applied per item.
begin;
select plan(14);

select tests.create_fixture();
select tests.create_item_table('bulk_items', 'data_profiling');
select tests.create_item_table('plan_items', 'planning');

\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''

-- cr1: data profiling started (its basis, planning, approved), a draft of four items
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));
insert into tests.plan_items (version_id, name, tester_decision) values (tests.id('planning_v')::uuid, 'attribute', 'approved');
select public.submit_version(tests.id('planning_v')::uuid);
select public.approve_version(tests.id('planning_v')::uuid);
update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
select public.start_phase(tests.phase('data_profiling1'));
insert into tests.fixture_ids
select 'dv', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into tests.bulk_items (version_id, name) select '%s', 'item ' || n from generate_series(1, 4) n$$, tests.id('dv')));
create temporary table chosen as select array_agg(id::text order by name) filter (where name <> 'item 4') as ids from tests.bulk_items;

-- acting as the tester, in the draft
select is(tests.run_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'tester', 'approved', ' Checked ') as n$$,
  tests.id('dv'), (select ids from chosen))) -> 0 ->> 'n', '3', 'the tester decides three items in one call');
select results_eq(
  format($$select count(*)::int from tests.bulk_items where version_id = '%s' and tester_decision = 'approved'
           and tester_notes = 'Checked' and tester_decided_by = '%s' and tester_decided_at is not null$$, tests.id('dv'), tests.id('t1')),
  $$values (3)$$, 'each is stamped with the tester and the time, the notes trimmed');
select is((select (item_count, tester_decided_count, owner_decided_count, approved_count)::text from public.artifact_versions where id = tests.id('dv')::uuid),
  '(4,3,0,0)', 'the counters follow each item (owner item review: approved waits for the owner)');
select is(tests.try_as(:o1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'tester', 'rejected')$$, tests.id('dv'), (select ids from chosen))),
  'PT403 tester_decision_requires_tester', 'the report owner cannot record tester decisions in bulk');
select is(tests.try_as(:o1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'report_owner', 'approved')$$, tests.id('dv'), (select ids from chosen))),
  'PT409 owner_decision_not_pending', 'nor owner decisions on a draft');
select is(tests.try_as(:t2, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'tester', 'approved')$$, tests.id('dv'), (select ids from chosen))),
  'PT404 version_not_found', 'a tester of another report does not see the version');
select is(tests.try_as(:t1, format($$select public.decide_items('%s', 'public.planning_attributes', '%s', 'tester', 'approved')$$, tests.id('dv'), (select ids from chosen))),
  'PT400 item_table_not_of_phase', 'only item tables of the version''s phase');
select is(tests.try_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'auditor', 'approved')$$, tests.id('dv'), (select ids from chosen))),
  'PT400 invalid_decision_side', 'the side is the tester''s or the report owner''s');
select is(tests.try_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', '{}', 'tester', 'approved')$$, tests.id('dv'))),
  'PT400 no_items_chosen', 'some items are chosen');
select is(tests.try_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', '{not-an-id}', 'tester', 'approved')$$, tests.id('dv'))),
  'PT400 invalid_item_id', 'ids are ids of the table');
select is(tests.try_as('anon', format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'tester', 'approved')$$, tests.id('dv'), (select ids from chosen))),
  '42501', 'anonymous callers cannot call it');

-- acting as the report owner, once the version awaits approval
select tests.run_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', array(select id::text from tests.bulk_items where name = 'item 4'), 'tester', 'rejected')$$, tests.id('dv')));
select tests.run_as(:t1, format($$select public.submit_version('%s')$$, tests.id('dv')));
select is(tests.try_as(:t1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'tester', 'rejected')$$, tests.id('dv'), (select ids from chosen))),
  'PT409 tester_decision_not_in_draft', 'tester decisions stop with the draft');
select is(tests.run_as(:o1, format($$select public.decide_items('%s', 'tests.bulk_items', '%s', 'report_owner', 'approved') as n$$, tests.id('dv'), (select ids from chosen))) -> 0 ->> 'n',
  '3', 'the report owner approves the three in one call');
select is((select (owner_decided_count, approved_count, rejected_count, pending_count)::text from public.artifact_versions where id = tests.id('dv')::uuid),
  '(3,3,0,1)', 'and the counters say three approved, one pending');

select * from finish();
rollback;
