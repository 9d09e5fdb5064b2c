-- Planning attributes and PDE mappings: fields and their checks, the source mapping checked against the data
-- source's schema, classification checks, risk score, and edits by role and state.
begin;
select plan(36);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set t2 '''tester2@test.local'''
\set o1 '''owner1@test.local'''

select tests.run_as(:t1, format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
create table source_data.upload_t21 (account_id integer, balance numeric);
insert into public.planning_data_sources (id, version_id, name, source_type, table_name, schema, row_count)
values ('00000000-0000-4000-b000-000000000011', tests.id('v1')::uuid, 'Loans file', 'file_upload', 'upload_t21',
  '{"columns": [{"name": "account_id"}, {"name": "balance"}]}', 2);
insert into public.planning_data_sources (id, version_id, name, source_type, host, database_name, table_name, username)
values ('00000000-0000-4000-b000-000000000012', tests.id('v1')::uuid, 'Untested', 'database', 'h', 'd', 't', 'u');

-- attributes ---------------------------------------------------------------------------------------------------
select is(tests.run_as('service_role', format($$insert into public.planning_attributes (id, version_id, name, data_type, description,
  business_definition, is_mandatory, is_cde, is_primary_key, max_length, information_security_classification, data_source_id,
  source_column, transformation_rule, llm_metadata)
  values ('00000000-0000-4000-c000-000000000001', '%1$s', 'Account ID', 'integer', 'Loan account', 'The account number',
    true, true, true, 20, 'confidential', '00000000-0000-4000-b000-000000000011', 'account_id', null, '{"confidence_score": 0.9}'),
  ('00000000-0000-4000-c000-000000000002', '%1$s', 'Balance', 'decimal', null, null, true, false, false, null, 'internal',
    '00000000-0000-4000-b000-000000000011', 'balance', 'round(balance, 2)', null)$$, tests.id('v1'))),
  '2'::jsonb, 'the tester adds attributes with every field of the plan');
select is((select information_security_classification from public.planning_attributes where version_id = tests.id('v1')::uuid and name = 'Balance'), 'internal',
  'the classification defaults to internal');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type) values ('%s', 'Account ID', 'string')$$, tests.id('v1'))),
  '23505', 'attribute names are unique per version');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type) values ('%s', 'X', 'money')$$, tests.id('v1'))),
  '23514', 'the data type is one of the plan''s list');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, information_security_classification) values ('%s', 'X', 'text', 'secret')$$, tests.id('v1'))),
  '23514', 'the security classification is one of public, internal, confidential, restricted');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, max_length) values ('%s', 'X', 'text', 0)$$, tests.id('v1'))),
  '23514', 'a max length is positive');
select is(tests.try_as('service_role', format($$insert into public.planning_attributes (version_id, name, data_type, llm_metadata) values ('%s', 'X', 'text', '[1]')$$, tests.id('v1'))),
  '23514', 'LLM metadata is an object');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type) values ('%s', '  ', 'text')$$, tests.id('v1'))),
  '23514', 'an attribute has a name');

-- source mapping against the source's schema -------------------------------------------------------------------
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column)
  values ('%s', 'X', 'text', '00000000-0000-4000-b000-000000000011', 'nope')$$, tests.id('v1'))),
  'PT400 source_column_not_in_schema', 'the source column must be a column of the source''s schema');
select is(tests.try_as(:t1, $$update public.planning_attributes set source_column = 'nope' where name = 'Balance'$$),
  'PT400 source_column_not_in_schema', 'also when it changes');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, source_column)
  values ('%s', 'X', 'text', 'balance')$$, tests.id('v1'))),
  'PT400 source_column_without_data_source', 'a source column needs its data source');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column)
  values ('%s', 'X', 'text', '00000000-0000-4000-b000-000000000012', 'x')$$, tests.id('v1'))),
  'PT409 data_source_schema_unknown', 'a database source must be tested before its columns are mapped');
select is(tests.try_as(:t1, format($$insert into public.planning_attributes (version_id, name, data_type, data_source_id)
  values ('%s', 'X', 'text', '00000000-0000-4000-b000-000000000012')$$, tests.id('v1'))),
  'rows 1', 'an attribute may name an untested source without a column');
select is(tests.try_as(:t1, $$delete from public.planning_data_sources where name = 'Loans file'$$),
  '23503', 'a source mapped by attributes cannot be deleted');

-- PDE mappings -----------------------------------------------------------------------------------------------------
select is(tests.run_as(:t1, format($$insert into public.planning_pde_mappings (id, version_id, attribute_id, pde_name, pde_code,
  mapping_type, source_field, source_table, source_column, column_data_type, transformation_rule, is_primary, classification)
  values ('00000000-0000-4000-d000-000000000001', '%1$s', '00000000-0000-4000-c000-000000000002', 'Outstanding balance', 'BAL_001',
    'direct', 'core.loans.balance', 'loans', 'balance', 'numeric(15,2)', null, true,
    '{"criticality": "high", "risk_level": "high", "information_security": "confidential", "regulatory_flag": true, "pii_flag": false,
      "data_category": "financial_data", "evidence_type": "regulatory_mapping", "evidence_reference": "Basel III"}'),
  ('00000000-0000-4000-d000-000000000002', '%1$s', '00000000-0000-4000-c000-000000000002', 'Backup balance', 'BAL_002',
    'conditional', null, null, null, null, null, false, '{"risk_level": "low"}')$$, tests.id('v1'))),
  '2'::jsonb, 'the tester maps an attribute to several PDEs');
select results_eq($$select pde_code, risk_score::int from public.planning_pde_mappings where version_id = tests.id('v1')::uuid order by pde_code$$,
  $$values ('BAL_001', 9), ('BAL_002', 4)$$, 'risk score: high risk 4 + high criticality 3 + confidential 2; low 1 + medium default 2 + internal default 1');
select is(private.pde_risk_score('{"risk_level": "high", "criticality": "high", "information_security": "restricted"}'), 10::smallint,
  'the risk score reaches 10');
select is(private.pde_risk_score('{"risk_level": "low", "criticality": "low", "information_security": "public"}'), 2::smallint,
  'public adds nothing');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set classification = '{"risk_level": "high", "criticality": "high", "information_security": "restricted"}' where pde_code = 'BAL_002'$$),
  'rows 1', 'the classification can change in a draft');
select is(tests.try_as(:t1, $$update public.planning_pde_mappings set risk_score = 0 where pde_code = 'BAL_001'$$),
  '42501', 'the risk score is the database''s');
select is(tests.try_as('postgres', $$update public.planning_pde_mappings set risk_score = 0, auto_approved = true where version_id = tests.id('v1')::uuid and pde_code = 'BAL_001' returning risk_score$$),
  'rows 1', 'an operator''s write to derived columns runs');
select results_eq($$select risk_score::int, auto_approved from public.planning_pde_mappings where version_id = tests.id('v1')::uuid and pde_code = 'BAL_001'$$,
  $$values (9, false)$$, '…but the derived columns keep their derived values');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'Dup', 'BAL_001')$$, tests.id('v1'))),
  '23505', 'PDE codes are unique per attribute');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code)
  values ('%s', '00000000-0000-4000-c000-000000000001', 'Same code, other attribute', 'BAL_001')$$, tests.id('v1'))),
  'rows 1', 'the same code may map another attribute');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1', '{"criticality": "extreme"}')$$, tests.id('v1'))),
  'PT400 invalid_classification', 'criticality is low, medium or high');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1', '{"pii_flag": "yes"}')$$, tests.id('v1'))),
  'PT400 invalid_classification', 'the flags are booleans');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1', '{"colour": "red"}')$$, tests.id('v1'))),
  'PT400 invalid_classification', 'unknown classification keys are refused');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1', '[]')$$, tests.id('v1'))),
  'PT400 invalid_classification', 'a classification is an object');
select is(tests.try_as(:t1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, mapping_type)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1', 'guess')$$, tests.id('v1'))),
  '23514', 'the mapping type is one of the list');

-- roles --------------------------------------------------------------------------------------------------------------
select is(tests.try_as(:o1, format($$insert into public.planning_attributes (version_id, name, data_type) values ('%s', 'X', 'text')$$, tests.id('v1'))),
  'PT403 item_edit_requires_tester', 'the report owner cannot add attributes');
select is(tests.try_as(:o1, format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code)
  values ('%s', '00000000-0000-4000-c000-000000000002', 'X', 'X1')$$, tests.id('v1'))),
  'PT403 item_edit_requires_tester', 'the report owner cannot add mappings');
select is(tests.try_as(:o1, $$update public.planning_attributes set tester_decision = 'approved'$$),
  'PT403 tester_decision_requires_tester', 'the report owner cannot record tester decisions on attributes');
select is(tests.try_as(:o1, $$update public.planning_pde_mappings set report_owner_decision = 'approved'$$),
  'PT409 owner_decision_not_pending', 'no owner decisions on items in a draft');
select is(tests.try_as(:t2, $$update public.planning_attributes set tester_decision = 'approved'$$),
  'rows 0', 'an unassigned tester sees no attributes');
select is(tests.try_as(:t2, 'select count(*) from public.planning_pde_mappings'), 'rows 0', 'an unassigned tester sees no mappings');
select is(tests.try_as('anon', 'select count(*) from public.planning_attributes'), '42501', 'anon reads nothing');

select * from finish();
rollback;
