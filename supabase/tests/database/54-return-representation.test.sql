-- Inserts with RETURNING (PostgREST's Prefer: return=representation) return the new row to those allowed to
-- insert it: the read policies must see the new row, not only rows of the statement's snapshot.
begin;
select plan(11);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set admin '''admin@test.local'''
select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';

select is(tests.try_as(:admin, format($$insert into public.reports (name, regulation, owner_id) values ('R54', 'Reg', %L) returning *$$, tests.id('o1'))),
  'rows 1', 'an admin gets the report they add');
select is(tests.try_as(:admin, $$insert into public.test_cycles (name, period_start, period_end) values ('C54', '2031-01-01', '2031-03-31') returning *$$),
  'rows 1', 'and the cycle');
select is(tests.try_as(:admin, format($$insert into public.cycle_reports (cycle_id, report_id) values (%s, %s) returning *$$, tests.id('cycle'), tests.id('report_c'))),
  'rows 1', 'and the cycle report (its read policy sees the new row)');
select is(tests.try_as(:admin, format($$with cr as (insert into public.cycle_reports (cycle_id, report_id) values (%s, %s) returning id)
  select * from cr$$, tests.id('cycle'), tests.id('report_c'))),
  'rows 1', 'also as PostgREST asks for it, through a CTE');
select is(tests.try_as(:admin, format($$insert into public.cycle_report_testers (cycle_report_id, tester_id) values (%s, %L) returning *$$, tests.id('cr1'), tests.id('t2'))),
  'rows 1', 'and the assignment');
select is(tests.try_as(:admin, $$insert into public.phase_definitions (name, display_name, phase_order, depends_on) values ('extra54', 'Extra', 10, '{test_report}') returning *$$),
  'rows 1', 'and a phase definition');
select is(tests.try_as(:admin, $$insert into public.activity_definitions (phase_name, activity_code, activity_name, activity_order) values ('planning', 'extra54', 'Extra', 99) returning *$$),
  'rows 1', 'and an activity definition');
select is(tests.try_as(:admin, $$insert into public.planning_auto_approval_rules (name) values ('r54') returning *$$),
  'rows 1', 'and an auto-approval rule');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type) values (%L, 'A54', 'text') returning *$$, tests.id('v1'))),
  'rows 1', 'the assigned tester gets the item they add');
select is(tests.try_as(:admin, format($$insert into public.planning_attributes (version_id, name, data_type) values (%L, 'A54', 'text') returning *$$, tests.id('v1'))),
  'rows 1', 'so does an admin');
select is(tests.try_as(:t1, format($$insert into public.profiles (id, email) values (%L, 'x') returning *$$, tests.id('t2'))),
  '42501', 'a table nobody inserts into through the API still refuses');

select * from finish();
rollback;
