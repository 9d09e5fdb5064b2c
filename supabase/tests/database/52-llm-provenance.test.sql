-- Provenance cannot be forged: only the generation function (the service_role) writes llm_metadata, so the
-- auto-approval rules read only confidences it wrote; create_version's copy carries it.
begin;
select plan(11);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select tests.run_as(:t1, format($$insert into public.planning_attributes (id, version_id, name, data_type) values
  ('00000000-0000-4000-c000-000000000001', '%1$s', 'Balance', 'decimal')$$, tests.id('v1')));

-- forged ---------------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, llm_metadata)
  values ('%s', '00000000-0000-4000-c000-000000000001', 'Forged', 'FORGED', '{"information_security": "public"}', '{"confidence_score": 1}')$$, tests.id('v1'))),
  'PT403 llm_metadata_written_by_generation', 'a tester cannot add a mapping claiming an LLM''s confidence');
select is(tests.try_as(:admin, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, llm_metadata)
  values ('%s', '00000000-0000-4000-c000-000000000001', 'Forged', 'FORGED', '{"information_security": "public"}', '{"confidence_score": 1}')$$, tests.id('v1'))),
  'PT403 llm_metadata_written_by_generation', 'nor can an admin through the API');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, llm_metadata) values ('%s', 'X', 'text', '{"provider": "openai"}')$$, tests.id('v1'))),
  'PT403 llm_metadata_written_by_generation', 'nor an attribute claiming to be proposed');
select tests.run_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification)
  values ('%s', '00000000-0000-4000-c000-000000000001', 'By hand', 'HAND', '{"information_security": "public"}')$$, tests.id('v1')));
select is((select auto_approved from public.planning_pde_mappings where pde_code = 'HAND'), false, 'a mapping added by hand is not auto-approved');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set llm_metadata = '{"confidence_score": 1}' where pde_code = 'HAND'$$),
  'PT403 llm_metadata_written_by_generation', 'nor can it be given a confidence later');

-- generated ------------------------------------------------------------------------------------------------------
select tests.run_as_service_for(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, llm_metadata)
  values ('%s', '00000000-0000-4000-c000-000000000001', 'Generated', 'GEN', '{"information_security": "public"}', '{"confidence_score": 0.95, "provider": "heuristic"}')$$, tests.id('v1')));
select results_eq($$select auto_approved, tester_decision::text from public.planning_pde_mappings where pde_code = 'GEN'$$,
  $$values (true, 'approved')$$, 'a mapping the generation function stored is auto-approved by its confidence');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set llm_metadata = llm_metadata || '{"confidence_score": 1}' where pde_code = 'GEN'$$),
  'PT403 llm_metadata_written_by_generation', 'a tester cannot raise a generated confidence');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set pde_name = 'Generated balance' where pde_code = 'GEN'$$),
  'rows 1', 'but edits the rest of a generated mapping');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set llm_metadata = null where pde_code = 'GEN'$$),
  'rows 1', 'and may drop its provenance, which claims nothing');

-- copied -----------------------------------------------------------------------------------------------------------
select tests.run_as(:t1, format($$update public.planning_pde_mappings set tester_decision = 'approved' where version_id = '%s' and tester_decision is null$$, tests.id('v1')));
select tests.run_as(:t1, format($$update public.planning_attributes set tester_decision = 'approved' where version_id = '%s'$$, tests.id('v1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('v1')));
select tests.run_as(:o1, format('select public.approve_version(%L)', tests.id('v1')));
insert into tests.fixture_ids
select 'v2', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
select results_eq(format($$select llm_metadata ->> 'confidence_score', tester_decision::text from public.planning_pde_mappings where version_id = %L and pde_code = 'GEN'$$, tests.id('v2')),
  $$values ('0.95', 'approved')$$, 'create_version copies the generated provenance, and carries the approved decision');
select is((select auto_approved from public.planning_pde_mappings where version_id = tests.id('v2')::uuid and pde_code = 'HAND'), false,
  'a copied mapping added by hand is still not auto-approved');

select * from finish();
rollback;
