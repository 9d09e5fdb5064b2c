-- Auto-approval rules: the seeded defaults, which new mappings they approve (and record), a person's
-- override, and who may edit the rules.
begin;
select plan(20);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into public.planning_attributes (id, version_id, name, data_type, is_primary_key) values
  ('00000000-0000-4000-c000-000000000001', '%1$s', 'Account ID', 'integer', true),
  ('00000000-0000-4000-c000-000000000002', '%1$s', 'Balance', 'decimal', false)$$, tests.id('v1')));

select results_eq(
  $$select name, is_enabled, min_llm_confidence, approve_public_classification, approve_primary_keys, max_risk_score
      from public.planning_auto_approval_rules$$,
  $$values ('default', true, 0.850::numeric(4,3), true, true, 5)$$,
  'the default rule: confidence 0.85, public classification, primary keys, risk score up to 5');

-- which new mappings are approved ----------------------------------------------------------------------------------
-- Mappings with llm_metadata come from the generation function: the service_role, acting for tester1@.
create function pg_temp.add_mapping(p_attribute text, p_code text, p_classification jsonb, p_llm jsonb)
returns void language sql as $$
  select tests.run_as_service_for('tester1@test.local', format(
    $f$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, llm_metadata)
       values ('%s', '%s', %L, %L, %L, %L)$f$, tests.id('v1'), p_attribute, p_code, p_code, p_classification, p_llm));
$$;
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'PUBLIC',
  '{"information_security": "public", "risk_level": "high", "criticality": "high"}', '{"confidence_score": 0.9}');
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000001', 'PK',
  '{"information_security": "restricted", "risk_level": "high", "criticality": "high"}', '{"confidence_score": 0.85}');
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'LOWRISK',
  '{"information_security": "internal", "risk_level": "low", "criticality": "medium"}', '{"confidence_score": 0.99}');
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'HIGHRISK',
  '{"information_security": "confidential", "risk_level": "medium", "criticality": "high"}', '{"confidence_score": 0.99}');
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'UNSURE',
  '{"information_security": "public"}', '{"confidence_score": 0.84}');
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'MANUAL', '{"information_security": "public"}', null);

select results_eq(
  $$select pde_code, tester_decision::text, auto_approved, auto_approval_rule_id is not null, item_status::text
      from public.planning_pde_mappings where version_id = tests.id('v1')::uuid order by pde_code$$,
  $$values ('HIGHRISK', null::text, false, false, 'pending'), ('LOWRISK', 'approved', true, true, 'approved'),
           ('MANUAL', null, false, false, 'pending'), ('PK', 'approved', true, true, 'approved'),
           ('PUBLIC', 'approved', true, true, 'approved'), ('UNSURE', null, false, false, 'pending')$$,
  'public, primary-key and low-risk mappings proposed with enough confidence are approved; risk 7, confidence 0.84 and manual ones are not');
select is((select tester_notes from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'PK'),
  'Auto-approved by rule "default": LLM confidence 0.85 ≥ 0.850, primary key attribute.', 'the note says which rule fired and why');
select is((select tester_notes from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'LOWRISK'),
  'Auto-approved by rule "default": LLM confidence 0.99 ≥ 0.850, risk score 4 ≤ 5.', 'the low-risk criterion is named');
select is((select tester_decided_by from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'PUBLIC'), tests.id('t1')::uuid,
  'the automatic decision is stamped like any other');
select results_eq($$select total_mappings, approved_mappings, auto_approved_mappings from public.planning_version_summaries where version_id = tests.id('v1')::uuid$$,
  $$values (6, 3, 3)$$, 'the summary counts auto-approved mappings');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, tester_decision, classification)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X', 'rejected', '{"information_security": "public"}')
  returning auto_approved$$, tests.id('v1'))),
  'rows 1', 'a mapping added with a person''s decision…');
select is((select count(*)::int from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'X'), 0, '(undone)');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, auto_approved)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X', true)$$, tests.id('v1'))),
  '42501', 'nobody marks a mapping auto-approved by hand through the API');
select set_config('request.jwt.claims', json_build_object('sub', tests.id('t1'), 'role', 'service_role')::text, true);
insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, tester_decision, classification, llm_metadata, auto_approved)
values (tests.id('v1')::uuid, '00000000-0000-4000-c000-000000000002', 'Y', 'Y', 'rejected', '{"information_security": "public"}', '{"confidence_score": 1}', true);
select tests.clear_authentication();
select results_eq($$select tester_decision::text, auto_approved from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'Y'$$,
  $$values ('rejected', false)$$, '…keeps that decision and is not marked auto-approved, whatever the writer sent');

-- a person overrides --------------------------------------------------------------------------------------------------
select tests.run_as(:t1, $$update public.planning_pde_mappings set tester_decision = 'rejected', tester_notes = 'Wrong source' where pde_code = 'PUBLIC'$$);
select results_eq($$select tester_decision::text, auto_approved, auto_approval_rule_id, item_status::text from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'PUBLIC'$$,
  $$values ('rejected', false, null::bigint, 'rejected')$$, 'a tester overrides an automatic approval');
select results_eq($$select approved_mappings, auto_approved_mappings from public.planning_version_summaries where version_id = tests.id('v1')::uuid$$,
  $$values (2, 2)$$, 'the summary follows the override');
select tests.run_as(:t1, $$update public.planning_pde_mappings set classification = '{"information_security": "public", "risk_level": "low"}' where pde_code = 'PK'$$);
select is((select auto_approved from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'PK'), true, 'editing the content keeps the automatic decision');

-- the rules are data -------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, $$update public.planning_auto_approval_rules set max_risk_score = 10$$), 'rows 0', 'testers cannot change rules');
select is(tests.try_as(:o1, $$insert into public.planning_auto_approval_rules (name) values ('mine')$$), '42501', 'owners cannot add rules');
select is(tests.try_as(:t1, 'select count(*) from public.planning_auto_approval_rules'), 'rows 1', 'signed-in users read the rules');
select is(tests.try_as(:admin, $$update public.planning_auto_approval_rules set max_risk_score = 7$$), 'rows 1', 'admins change rules');
select is(tests.try_as(:admin, $$update public.planning_auto_approval_rules set min_llm_confidence = 1.5$$), '23514', 'confidence is between 0 and 1');

select tests.run_as(:admin, $$update public.planning_auto_approval_rules set max_risk_score = 7$$);
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'HIGHRISK2',
  '{"information_security": "confidential", "risk_level": "medium", "criticality": "high"}', '{"confidence_score": 0.99}');
select is((select auto_approved from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'HIGHRISK2'), true, 'a changed rule applies to new mappings');
select tests.run_as(:admin, $$update public.planning_auto_approval_rules set is_enabled = false$$);
select pg_temp.add_mapping('00000000-0000-4000-c000-000000000002', 'PUBLIC2', '{"information_security": "public"}', '{"confidence_score": 0.99}');
select is((select auto_approved from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'PUBLIC2'), false, 'a disabled rule approves nothing');

select * from finish();
rollback;
