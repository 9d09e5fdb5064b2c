-- Item updates are guarded once per statement (private.guard_versioned_item_updates, segregate_item_updates,
-- audit_updated_rows, count_bulk_decisions): a bulk UPDATE of 2,000 items is refused exactly as a single one is, one
-- illegal row refuses the whole statement and changes nothing, and the audit rows, their scopes, the chain, the
-- tester deciders and the counters are complete after it.
begin;
select plan(31);

select tests.create_profiling_fixture('upload_pgtapbulkguards');
select tests.create_item_table('bulk_items', 'data_profiling');
\set t1 '''tester1@test.local'''
\set t3 '''tester3@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''
insert into tests.fixture_ids values ('t3', tests.create_user('tester3@test.local', 'tester'));
insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t3')::uuid);

-- a profiling draft of cr1 with 2,000 items, and a planning draft of cr2 (tester2's) with 1 item of the same table
-- kind, to mix versions in one statement
insert into tests.fixture_ids
select 'dv', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('data_profiling1'))) -> 0 ->> 'id';
select tests.run_as(:t3, format($$insert into tests.bulk_items (version_id, name)
  select %L, 'item ' || i from generate_series(1, 2000) i$$, tests.id('dv')));
analyze tests.bulk_items;

create function pg_temp.counters(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', item_count, tester_decided_count, owner_decided_count, approved_count, rejected_count)
    from public.artifact_versions where id = p_version
$$;
create function pg_temp.recount(p_version uuid) returns text language sql as $$
  select format('%s/%s/%s/%s/%s', count(*), count(tester_decision), count(report_owner_decision),
                count(*) filter (where item_status = 'approved'), count(*) filter (where item_status = 'rejected'))
    from tests.bulk_items where version_id = p_version
$$;

-- roles: the report owner records no tester decision, neither on one item nor on 2,000 --------------------------------
select is(tests.try_as(:o1, format($$update tests.bulk_items set tester_decision = 'approved' where version_id = %L and name = 'item 1'$$, tests.id('dv'))),
  'PT403 tester_decision_requires_tester', 'one tester decision by the report owner is refused');
select is(tests.try_as(:o1, format($$update tests.bulk_items set tester_decision = 'approved' where version_id = %L$$, tests.id('dv'))),
  'PT403 tester_decision_requires_tester', 'so is the same decision on 2,000 items in one statement');
select is(tests.try_as(:o1, format($$update tests.bulk_items set amount = 1 where version_id = %L$$, tests.id('dv'))),
  'PT403 item_edit_requires_tester', 'and an edit of 2,000 items by the report owner');

-- state: one owner decision among 2,000 tester decisions in a draft refuses the statement ---------------------------
select is(tests.try_as(:t1, format($$update tests.bulk_items set report_owner_decision = 'approved' where version_id = %L and name = 'item 1000'$$, tests.id('dv'))),
  'PT409 owner_decision_not_pending', 'one owner decision in a draft is refused');
select is(tests.try_as(:t1, format($$update tests.bulk_items
     set tester_decision = case when name = 'item 1000' then tester_decision else 'approved' end,
         report_owner_decision = case when name = 'item 1000' then 'approved' else report_owner_decision end
   where version_id = %L$$, tests.id('dv'))),
  'PT409 owner_decision_not_pending', 'one owner decision among 1,999 tester decisions refuses the whole statement with the same reason');
select is(pg_temp.counters(tests.id('dv')::uuid), '2000/0/0/0/0', 'and no decision was counted');

-- the bulk tester decision, as a plain update (a REST PATCH with a filter) --------------------------------------------
select pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) as before_versions \gset
select max(id) as audit_before from public.audit_log \gset
select is(tests.run_as(:t1, format($$update tests.bulk_items set tester_decision = 'approved', tester_notes = 'bulk' where version_id = %L$$, tests.id('dv'))),
  '2000'::jsonb, 'the assigned tester decides 2,000 items in one update');
select is(pg_stat_get_xact_tuples_updated('public.artifact_versions'::regclass) - :before_versions, 1::bigint,
  'their version''s counters are updated once, though no decide_items marked the statement');
select is(pg_temp.counters(tests.id('dv')::uuid), pg_temp.recount(tests.id('dv')::uuid), 'and equal a recount');
select is((select count(*) from tests.bulk_items where version_id = tests.id('dv')::uuid
            and tester_decided_by = tests.id('t1')::uuid and tester_decided_at = now() and item_status = 'pending'),
  2000::bigint, 'every item is stamped with the tester and the time, and stays pending for the owner''s review');

-- audit: one row per item, with what a single update records -----------------------------------------------------------
select is((select count(*) from public.audit_log where id > :audit_before and table_name = 'tests.bulk_items'
            and operation = 'UPDATE' and actor_id = tests.id('t1')::uuid and actor_role = 'authenticated'),
  2000::bigint, 'the bulk update wrote one audit row per item');
select is((select count(distinct l.row_id) from public.audit_log l join tests.bulk_items i on i.id::text = l.row_id
            where l.id > :audit_before and l.table_name = 'tests.bulk_items'),
  2000::bigint, 'each names its own item');
select is((select count(*) from public.audit_log where id > :audit_before and table_name = 'tests.bulk_items'
            and old_values = jsonb_build_object('tester_decision', null, 'tester_notes', null, 'tester_decided_by', null,
                                                'tester_decided_at', null)
            and new_values - 'tester_decided_at' = jsonb_build_object('tester_decision', 'approved', 'tester_notes', 'bulk',
                                                'tester_decided_by', tests.id('t1'))
            and new_values ? 'tester_decided_at'),
  2000::bigint, 'each with exactly the changed columns, old and new, and not updated_at');
select is((select count(*) from public.audit_log l join private.audit_log_scopes s on s.audit_id = l.id
            where l.id > :audit_before and l.table_name = 'tests.bulk_items' and s.cycle_report_id = tests.id('cr1')::bigint),
  2000::bigint, 'each scoped to its cycle report');
select max(id) as audit_single from public.audit_log \gset
select tests.run_as(:t1, format($$update tests.bulk_items set tester_notes = 'one' where version_id = %L and name = 'item 7'$$, tests.id('dv')));
select tests.run_as(:t1, format($$update tests.bulk_items set tester_notes = 'two' where version_id = %L and name in ('item 8', 'item 9')$$, tests.id('dv')));
select is((select array_agg(distinct (select array_agg(k order by k) from jsonb_object_keys(new_values) k)) from public.audit_log
            where id > :audit_single and table_name = 'tests.bulk_items'),
  array[array['tester_notes']],
  'a single update and a two-row one record the same columns (the stamps are the same tester at the same time)');
select is((select count(*) from public.audit_log where id > :audit_before and table_name = 'tests.bulk_items' and chain_seq is null),
  2003::bigint, 'until the commit the rows are unchained');
set constraints all immediate;
set constraints all deferred;
select is((select count(*) from public.audit_log where id > :audit_before and chain_seq is null), 0::bigint,
  'then every row of the transaction is chained');
select is((select max(chain_seq) - min(chain_seq) + 1 = count(*) from public.audit_log where id > :audit_before), true,
  'at consecutive positions');
select is((select count(*) from (select id, chain_seq, lag(chain_seq) over (order by id) as prev_seq from public.audit_log
                                  where id > :audit_before) c where c.prev_seq is not null and c.chain_seq <> c.prev_seq + 1),
  0::bigint, 'in the order the rows were written');
select is((public.verify_audit_log() ->> 'ok')::boolean, true, 'and the whole chain verifies');

-- segregation of duties, recorded and checked as a set -------------------------------------------------------------------
select is((select count(*) from private.item_tester_deciders where item_table = 'tests.bulk_items'::regclass
            and decider_id = tests.id('t1')::uuid and version_id = tests.id('dv')::uuid),
  2000::bigint, 'tester1 is remembered as the tester decider of all 2,000 items');
select tests.run_as(:t3, format($$update tests.bulk_items set tester_decision = 'rejected' where version_id = %L and name in ('item 1', 'item 2')$$, tests.id('dv')));
select tests.run_as(:t1, format($$update tests.bulk_items set tester_decision = 'approved' where version_id = %L and name in ('item 1', 'item 2')$$, tests.id('dv')));
select tests.run_as(:admin, format($$update tests.bulk_items set tester_decision = 'rejected' where version_id = %L and name in ('item 3', 'item 4')$$, tests.id('dv')));
select tests.run_as(:t3, format('select public.submit_version(%L)', tests.id('dv')));
-- tester3 leaves the cycle report and becomes the owner of its report.
delete from public.cycle_report_testers where tester_id = tests.id('t3')::uuid;
update public.profiles set app_role = 'report_owner' where id = tests.id('t3')::uuid;
update public.reports set owner_id = tests.id('t3')::uuid where id = tests.id('report_a')::bigint;
select is(tests.try_as(:t3, format($$update tests.bulk_items set report_owner_decision = 'approved' where version_id = %L and name = 'item 1'$$, tests.id('dv'))),
  'PT403 owner_decision_by_item_tester', 'the former tester of one item cannot record its owner decision');
select is(tests.try_as(:t3, format($$update tests.bulk_items set report_owner_decision = 'approved' where version_id = %L$$, tests.id('dv'))),
  'PT403 owner_decision_by_item_tester', 'so the owner decision on all 2,000 items, two of them theirs, is refused as a whole');
select is(pg_temp.counters(tests.id('dv')::uuid), '2000/2000/0/0/0', 'and no owner decision was counted');
select is(tests.run_as(:t3, format($$update tests.bulk_items set report_owner_decision = 'approved' where version_id = %L and name not in ('item 1', 'item 2', 'item 3', 'item 4')$$, tests.id('dv'))),
  '1996'::jsonb, 'the 1,996 items others decided they may decide');
select is(pg_temp.counters(tests.id('dv')::uuid), pg_temp.recount(tests.id('dv')::uuid), 'counted right');

-- state after submission: a tester decision among owner decisions refuses the statement ------------------------------
select is(tests.try_as(:t1, format($$update tests.bulk_items set tester_decision = 'rejected' where version_id = %L and name = 'item 1'$$, tests.id('dv'))),
  'PT409 tester_decision_not_in_draft', 'one tester decision while the version awaits approval is refused');
select is(tests.try_as(:admin, format($$update tests.bulk_items
     set report_owner_decision = case when name = 'item 1' then report_owner_decision else 'rejected' end,
         tester_notes = case when name = 'item 1' then 'late' else tester_notes end
   where version_id = %L$$, tests.id('dv'))),
  'PT409 tester_decision_not_in_draft', 'and a tester''s note on one item among 2,000 owner decisions refuses them all');

-- an admin doing both sides is recorded once per item, as for single decisions -------------------------------------------
select is(tests.run_as(:admin, format($$update tests.bulk_items set report_owner_decision = 'approved' where version_id = %L and name in ('item 1', 'item 2', 'item 3', 'item 4')$$, tests.id('dv'))),
  '4'::jsonb, 'an admin records the owner decisions tester3 may not, two on items whose tester decision is the admin''s');
select is((select array_agg(o.item_id order by o.item_id) from public.duty_segregation_overrides o
            where o.version_id = tests.id('dv')::uuid and o.rule = 'owner_decision_by_item_tester'
              and o.actor_id = tests.id('admin')::uuid and o.item_table = 'tests.bulk_items'
              and o.cycle_report_id = tests.id('cr1')::bigint),
  (select array_agg(i.id::text order by i.id::text) from tests.bulk_items i where i.version_id = tests.id('dv')::uuid and i.name in ('item 3', 'item 4')),
  'each of those two is recorded as an override, and only those');
select is(pg_temp.counters(tests.id('dv')::uuid), '2000/2000/2000/2000/0', 'every item now has both decisions, counted');

select * from finish();
rollback;
