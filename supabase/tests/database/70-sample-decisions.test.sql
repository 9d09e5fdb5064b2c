-- Sample decisions through the version machinery: the seed's flow (100 recommended, 80 approved, 20 rejected,
-- 10 more in version 2), carry-forward with lineage, counters, and the refusals of the phase's own rules.
begin;
select plan(28);

select tests.create_sampling_fixture('upload_pgtapsamples');

-- acting as the tester: version 1 with 100 recommended samples
insert into tests.fixture_ids
select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
select is((select based_on_version_id::text from public.artifact_versions where id = tests.id('sv1')::uuid), tests.id('pv1'),
  'a sample-selection version is based on the approved planning version');
select tests.run_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, selection_order, selection_reason)
    select %L, 'L' || lpad(g::text, 4, '0'), g, 'simple random' from generate_series(1, 100) g$$, tests.id('sv1')));
select is((select count(*)::integer from public.sample_decisions
            where version_id = tests.id('sv1')::uuid and recommendation_source = 'tester' and recommended_by = tests.id('t1')::uuid),
  100, 'the tester''s 100 samples are tester-recommended, recommended_by stamped');
select is((select (item_count, pending_count)::text from public.artifact_versions where id = tests.id('sv1')::uuid),
  (100, 100)::text, 'the version counts 100 pending samples');

select is(tests.try_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, recommendation_source, carried_from_version_id, carried_from_decision_id)
    values (%L, 'X1', 'carried_forward', %L, extensions.gen_random_uuid())$$, tests.id('sv1'), tests.id('sv1'))),
  'PT409 sample_lineage_by_copy_only', 'a client cannot claim that a sample was carried forward');
select is(tests.try_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, sample_data) values (%L, 'X2', '{"tax_id": "123"}')$$, tests.id('sv1'))),
  'PT409 sample_data_from_population', 'a client cannot write a sample''s values');
select is(tests.try_as('tester1@test.local', format(
  $$update public.sample_decisions set sample_key = 'X3' where version_id = %L and sample_key = 'L0001'$$, tests.id('sv1'))),
  'PT409 sample_column_immutable', 'a sample''s key cannot change');
select is(tests.try_as('tester1@test.local', format(
  $$update public.sample_decisions set recommended_by = %L where version_id = %L and sample_key = 'L0001'$$, tests.id('o1'), tests.id('sv1'))),
  'PT409 sample_column_immutable', 'nor who recommended it');
select is(tests.try_as('tester1@test.local', format(
  $$update public.sample_decisions set replaced_by_decision_id = extensions.gen_random_uuid(), replacement_reason = 'x' where version_id = %L and sample_key = 'L0001'$$, tests.id('sv1'))),
  'PT409 replacement_not_in_version', 'a replacement must be a sample of the same version');
select is(tests.try_as('owner1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key) values (%L, 'X4')$$, tests.id('sv1'))),
  'PT403 item_edit_requires_tester', 'the report owner does not add samples to the tester''s draft');

-- A replaced sample keeps a link to its replacement and the reason.
select tests.run_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, recommendation_source, selection_reason) values (%L, 'L0101', 'manual', 'replaces L0100: loan closed')$$, tests.id('sv1')));
select tests.run_as('tester1@test.local', format(
  $$update public.sample_decisions set replaced_by_decision_id = (select id from public.sample_decisions where version_id = %1$L and sample_key = 'L0101'),
      replacement_reason = 'loan closed before the period end', tester_decision = 'rejected'
    where version_id = %1$L and sample_key = 'L0100'$$, tests.id('sv1')));
select is((select (r.sample_key, s.replacement_reason)::text from public.sample_decisions s join public.sample_decisions r on r.id = s.replaced_by_decision_id
            where s.version_id = tests.id('sv1')::uuid and s.sample_key = 'L0100'),
  ('L0101', 'loan closed before the period end')::text, 'a replaced sample names its replacement and the reason');
select tests.run_as('tester1@test.local', format($$delete from public.sample_decisions where version_id = %L and sample_key = 'L0101'$$, tests.id('sv1')));
select is((select replaced_by_decision_id from public.sample_decisions where version_id = tests.id('sv1')::uuid and sample_key = 'L0100'),
  null, 'removing the replacement unlinks it');
select tests.run_as('tester1@test.local', format(
  $$update public.sample_decisions set replaced_by_decision_id = null, replacement_reason = null where version_id = %L and sample_key = 'L0100'$$, tests.id('sv1')));

-- acting as the tester, then the owner: 80 approved, 20 rejected
select tests.run_as('tester1@test.local', format($$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$$, tests.id('sv1')));
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));
select tests.run_as('owner1@test.local', format(
  $$select public.decide_items(%1$L, 'public.sample_decisions', array(select id::text from public.sample_decisions where version_id = %1$L and selection_order <= 80), 'report_owner', 'approved', 'fine')$$,
  tests.id('sv1')));
select tests.run_as('owner1@test.local', format(
  $$update public.sample_decisions set report_owner_decision = 'rejected', report_owner_notes = 'outside the period' where version_id = %L and selection_order > 80$$, tests.id('sv1')));
select is((select (approved_count, rejected_count, pending_count)::text from public.artifact_versions where id = tests.id('sv1')::uuid),
  (80, 20, 0)::text, 'the owner approves 80 and rejects 20: the counters say so');
select tests.run_as('owner1@test.local', format($$select public.reject_version(%L, 'ten more samples, please')$$, tests.id('sv1')));

-- acting as the tester: version 2 carries the 80 forward
insert into tests.fixture_ids
select 'sv2', tests.run_as('tester1@test.local', format('select (public.create_version(%s, %L)).id', tests.phase('sample_selection1'), tests.id('sv1'))) -> 0 ->> 'id';
select is((select count(*)::integer from public.sample_decisions where version_id = tests.id('sv2')::uuid), 80,
  'version 2 holds the 80 approved samples only; the 20 rejected stay in version 1');
select is((select count(*)::integer from public.sample_decisions c join public.sample_decisions p on p.id = c.carried_from_decision_id
            where c.version_id = tests.id('sv2')::uuid and c.recommendation_source = 'carried_forward'
              and c.carried_from_version_id = tests.id('sv1')::uuid and c.parent_item_id = p.id and p.item_status = 'approved'
              and c.sample_key = p.sample_key and c.recommended_by = p.recommended_by),
  80, 'each is carried_forward from version 1, naming the approved sample it came from and who recommended it');
select is((select count(*)::integer from public.sample_decisions
            where version_id = tests.id('sv2')::uuid and item_status = 'approved' and report_owner_decided_by = tests.id('o1')::uuid),
  80, 'they stay approved, by the same owner');
select is((select (item_count, approved_count, pending_count)::text from public.artifact_versions where id = tests.id('sv2')::uuid),
  (80, 80, 0)::text, 'version 2 counts 80 approved samples');
select is(tests.try_as('tester1@test.local', format(
  $$update public.sample_decisions set stratum = 'north' where version_id = %L and sample_key = 'L0001'$$, tests.id('sv2'))),
  'PT409 carried_sample_immutable', 'a carried sample cannot change');
select is(tests.try_as('tester1@test.local', format(
  $$delete from public.sample_decisions where version_id = %L and sample_key = 'L0001'$$, tests.id('sv2'))),
  'PT409 carried_sample_immutable', 'nor leave the new version');
select tests.run_as('tester1@test.local', format(
  $$insert into public.sample_decisions (version_id, sample_key, selection_order, tester_decision)
    select %L, 'L' || lpad(g::text, 4, '0'), g - 100, 'approved' from generate_series(101, 110) g$$, tests.id('sv2')));
select is((select (item_count, approved_count, pending_count)::text from public.artifact_versions where id = tests.id('sv2')::uuid),
  (90, 80, 10)::text, 'the tester adds 10: 90 samples, 80 approved, 10 awaiting the owner');
select tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv2')));
select tests.run_as('owner1@test.local', format(
  $$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L and recommendation_source = 'tester'$$, tests.id('sv2')));
select tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sv2')));
select is((select (version_status, approved_count, rejected_count)::text from public.artifact_versions where id = tests.id('sv2')::uuid),
  ('approved', 90, 0)::text, 'the owner approves version 2: 90 approved samples');
select is((select count(*)::integer from public.sample_decisions where version_id = tests.id('sv2')::uuid and recommendation_source = 'carried_forward'),
  80, 'the approved version keeps the lineage of the 80');

-- acting as anyone: approved samples cannot change
select is(tests.try_as('owner1@test.local', format(
  $$update public.sample_decisions set report_owner_decision = 'rejected' where version_id = %L and sample_key = 'L0101'$$, tests.id('sv2'))),
  'PT409 owner_decision_not_pending', 'decisions of an approved version are final');
select is(tests.try_as('admin@test.local', format(
  $$update public.sample_decisions set selection_reason = 'edited' where version_id = %L and sample_key = 'L0101'$$, tests.id('sv2'))),
  'PT409 version_not_draft', 'an admin cannot edit a sample of an approved version');
select is(tests.try_as('postgres', format(
  $$delete from public.sample_decisions where version_id = %L and sample_key = 'L0101'$$, tests.id('sv2'))),
  'PT409 version_not_draft', 'nor can an operator delete one');

-- acting as other users: row-level security
select is((tests.run_as('tester2@test.local', format('select count(*) from public.sample_decisions where version_id = %L', tests.id('sv2'))) -> 0 ->> 'count')::integer,
  0, 'a tester of another cycle report reads none of the samples');
select is((tests.run_as('owner1@test.local', format('select count(*) from public.sample_decisions where version_id = %L', tests.id('sv2'))) -> 0 ->> 'count')::integer,
  90, 'the report owner reads them all');

-- Version 3 from the approved version 2 carries all 90, lineage pointing at version 2.
insert into tests.fixture_ids
select 'sv3', tests.run_as('tester1@test.local', format('select (public.create_version(%s, %L)).id', tests.phase('sample_selection1'), tests.id('sv2'))) -> 0 ->> 'id';
select is((select count(*)::integer from public.sample_decisions
            where version_id = tests.id('sv3')::uuid and carried_from_version_id = tests.id('sv2')::uuid and recommendation_source = 'carried_forward'),
  90, 'a version 3 carries the 90 approved samples from version 2');
select is((select count(*)::integer from public.sample_decisions c
             join public.sample_decisions p2 on p2.id = c.carried_from_decision_id
             join public.sample_decisions p1 on p1.id = p2.carried_from_decision_id
            where c.version_id = tests.id('sv3')::uuid and p1.version_id = tests.id('sv1')::uuid),
  80, 'the lineage of the first 80 leads back through version 2 to version 1');

select * from finish();
rollback;
