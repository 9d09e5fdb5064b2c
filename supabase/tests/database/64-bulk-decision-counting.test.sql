-- A bulk decision (decide_items) counts once per statement: the version's counters (and planning's summary) are
-- updated once, not once per item, and stay equal to a recount. Measured with this transaction's own table
-- statistics (pg_stat_get_xact_tuples_updated).
begin;
select plan(6);

select tests.create_scoping_fixture('upload_pgtapbulkcount');

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''

-- a planning draft of cr2 with 40 attributes
select public.start_phase(tests.phase('planning2'));
insert into tests.fixture_ids select 'pv', (public.create_version(tests.phase('planning2'))).id;
insert into public.planning_attributes (version_id, name, data_type, is_cde)
select tests.id('pv')::uuid, 'attribute ' || i, 'string', i % 2 = 0 from generate_series(1, 40) i;

create function pg_temp.recount(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', count(*), count(a.tester_decision), count(a.report_owner_decision),
                count(*) filter (where a.item_status = 'approved'), count(*) filter (where a.item_status = 'rejected'))
    from (select tester_decision, report_owner_decision, item_status from public.planning_attributes where version_id = p_version
          union all select tester_decision, report_owner_decision, item_status from public.scoping_decisions where version_id = p_version) a
$$;
create function pg_temp.counters(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', item_count, tester_decided_count, owner_decided_count, approved_count, rejected_count)
    from public.artifact_versions where id = p_version
$$;

select pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) as before_versions,
       pg_stat_get_xact_tuples_updated('public.planning_version_summaries'::regclass) as before_summaries \gset
select tests.run_as('tester2@test.local', format($$select public.decide_items('%1$s', 'public.planning_attributes',
  array(select id::text from public.planning_attributes where version_id = '%1$s' order by name limit 30), 'tester', 'approved')$$, tests.id('pv')));
select is(pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) - :before_versions, 1::bigint,
  'a bulk decision on 30 items updates its version''s counters once');
select is(pg_stat_get_xact_tuples_updated('public.planning_version_summaries'::regclass) - :before_summaries, 1::bigint,
  'and planning''s summary once');
select tests.run_as('tester2@test.local', format($$select public.decide_items('%1$s', 'public.planning_attributes',
  array(select id::text from public.planning_attributes where version_id = '%1$s' order by name desc limit 20), 'tester', 'rejected')$$, tests.id('pv')));
select is(pg_temp.counters(tests.id('pv')::uuid), pg_temp.recount(tests.id('pv')::uuid),
  'the counters equal a recount after bulk decisions that overlap');
select is((select format('%s/%s/%s', total_attributes, approved_attributes, cde_attributes) from public.planning_version_summaries where version_id = tests.id('pv')::uuid),
  (select format('%s/%s/%s', count(*), count(*) filter (where item_status = 'approved'), count(*) filter (where is_cde))
     from public.planning_attributes where version_id = tests.id('pv')::uuid),
  'so does the planning summary');
update public.planning_attributes set tester_decision = 'approved' where version_id = tests.id('pv')::uuid and name = 'attribute 40';
select is(pg_temp.counters(tests.id('pv')::uuid), pg_temp.recount(tests.id('pv')::uuid),
  'a single decision afterwards is counted per row, as before');

-- the owner's side, on scoping decisions
insert into tests.fixture_ids
select 'sv', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'tester', 'approved')$$, tests.id('sv')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv')));
select tests.run_as(:o1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s' limit 3), 'report_owner', 'rejected')$$, tests.id('sv')));
select is(pg_temp.counters(tests.id('sv')::uuid), pg_temp.recount(tests.id('sv')::uuid),
  'the owner''s bulk decisions on scoping decisions are counted right too');

select * from finish();
rollback;
