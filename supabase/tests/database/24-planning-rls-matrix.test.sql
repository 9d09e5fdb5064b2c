-- The RLS matrix of the planning tables: each table × (anon, assigned tester, unassigned tester, owner of the
-- report, owner of another report, admin) × (select, insert, update, delete), on cycle report 1 whose planning
-- version 1 is approved and version 2 is a draft. Each cell runs one statement as that person and undoes it.
begin;
select plan(144);

select tests.create_fixture();
select tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('planning1')));
insert into tests.fixture_ids
select 'v1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
insert into public.planning_data_sources (version_id, name, source_type, host, database_name, table_name, username, tester_decision)
values (tests.id('v1')::uuid, 'Core', 'database', 'h', 'd', 't', 'u', 'approved');
insert into private.planning_data_source_secrets (data_source_id, password)
select id, 'matrix-secret' from public.planning_data_sources where version_id = tests.id('v1')::uuid;
select tests.run_as('tester1@test.local', format($$insert into public.planning_attributes (version_id, name, data_type, tester_decision)
  values ('%s', 'Balance', 'decimal', 'approved')$$, tests.id('v1')));
select tests.run_as('tester1@test.local', format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, tester_decision)
  select '%1$s', id, 'Balance', 'BAL', 'approved' from public.planning_attributes where version_id = '%1$s'$$, tests.id('v1')));
select tests.run_as('tester1@test.local', format($$select public.submit_version('%s')$$, tests.id('v1')));
select tests.run_as('owner1@test.local', format($$select public.approve_version('%s')$$, tests.id('v1')));
insert into tests.fixture_ids
select 'v2', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('planning1'))) -> 0 ->> 'id';
insert into tests.fixture_ids select 'a2', id::text from public.planning_attributes where version_id = tests.id('v2')::uuid;
insert into tests.fixture_ids select 's2', id::text from public.planning_data_sources where version_id = tests.id('v2')::uuid;

insert into public.planning_auto_approval_rules (name, is_enabled) values ('matrix rule', false);

create temporary table matrix (ord serial, tbl text, op text, stmt text, anon text, t1 text, t2 text, o1 text, o2 text, admin text);

insert into matrix (tbl, op, stmt, anon, t1, t2, o1, o2, admin)
select m.tbl, m.op, m.stmt, m.anon, m.t1, m.t2, m.o1, m.o2, m.admin
from (values
  -- data sources: created by the function; people rename, describe, decide, delete in drafts
  ('planning_data_sources', 'select', format('select count(*) from public.planning_data_sources where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('planning_data_sources', 'insert', format($$insert into public.planning_data_sources (version_id, name, source_type, host, database_name, table_name, username) values ('%s', 'x', 'database', 'h', 'd', 't', 'u')$$, tests.id('v2')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_data_sources', 'update', format('update public.planning_data_sources set name = name where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('planning_data_sources', 'delete', format($$delete from public.planning_data_sources where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- the passwords: nobody through the API (the service_role only, tested in 20)
  ('planning_data_source_secrets', 'select', 'select count(*) from private.planning_data_source_secrets',
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_data_source_secrets', 'insert', format($$insert into private.planning_data_source_secrets (data_source_id, password) values ('%s', 'x')$$, tests.id('s2')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_data_source_secrets', 'update', $$update private.planning_data_source_secrets set password = 'x'$$,
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_data_source_secrets', 'delete', 'delete from private.planning_data_source_secrets',
     '42501', '42501', '42501', '42501', '42501', '42501'),
  -- attributes
  ('planning_attributes', 'select', format('select count(*) from public.planning_attributes where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('planning_attributes', 'insert', format($$insert into public.planning_attributes (version_id, name, data_type) values ('%s', 'new', 'text')$$, tests.id('v2')),
     '42501', 'rows 1', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'rows 1'),
  ('planning_attributes', 'update', format($$update public.planning_attributes set name = name where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('planning_attributes', 'delete', format($$delete from public.planning_attributes where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- PDE mappings
  ('planning_pde_mappings', 'select', format('select count(*) from public.planning_pde_mappings where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('planning_pde_mappings', 'insert', format($$insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code) values ('%s', '%s', 'new', 'NEW')$$, tests.id('v2'), tests.id('a2')),
     '42501', 'rows 1', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'PT403 item_edit_requires_tester', 'rows 1'),
  ('planning_pde_mappings', 'update', format($$update public.planning_pde_mappings set pde_name = pde_name where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 1', 'rows 0', 'rows 1'),
  ('planning_pde_mappings', 'delete', format($$delete from public.planning_pde_mappings where version_id = '%s'$$, tests.id('v2')),
     '42501', 'rows 1', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- auto-approval rules: read by everyone signed in, changed by admins
  ('planning_auto_approval_rules', 'select', $$select count(*) from public.planning_auto_approval_rules where name in ('default', 'matrix rule')$$,
     '42501', 'rows 2', 'rows 2', 'rows 2', 'rows 2', 'rows 2'),
  ('planning_auto_approval_rules', 'insert', $$insert into public.planning_auto_approval_rules (name) values ('matrix')$$,
     '42501', '42501', '42501', '42501', '42501', 'rows 1'),
  ('planning_auto_approval_rules', 'update', $$update public.planning_auto_approval_rules set priority = priority where name = 'matrix rule'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  ('planning_auto_approval_rules', 'delete', $$delete from public.planning_auto_approval_rules where name = 'matrix rule'$$,
     '42501', 'rows 0', 'rows 0', 'rows 0', 'rows 0', 'rows 1'),
  -- planning summaries: read only
  ('planning_version_summaries', 'select', format('select count(*) from public.planning_version_summaries where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', 'rows 2', 'rows 0', 'rows 2', 'rows 0', 'rows 2'),
  ('planning_version_summaries', 'insert', format($$insert into public.planning_version_summaries (version_id) values ('%s')$$, tests.id('v2')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_version_summaries', 'update', format('update public.planning_version_summaries set total_attributes = total_attributes where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501'),
  ('planning_version_summaries', 'delete', format('delete from public.planning_version_summaries where version_id in (select id from public.artifact_versions where cycle_report_id = %s)', tests.id('cr1')),
     '42501', '42501', '42501', '42501', '42501', '42501')
) as m (tbl, op, stmt, anon, t1, t2, o1, o2, admin);

select is(tests.try_as(a.email, m.stmt), a.expected, format('%s %s as %s', m.op, m.tbl, a.who))
  from matrix m
  cross join lateral (values
    (1, 'anon', 'anon', m.anon),
    (2, 'tester1@test.local', 'the assigned tester', m.t1),
    (3, 'tester2@test.local', 'an unassigned tester', m.t2),
    (4, 'owner1@test.local', 'the owner of the report', m.o1),
    (5, 'owner2@test.local', 'the owner of another report', m.o2),
    (6, 'admin@test.local', 'an admin', m.admin)
  ) as a (n, email, who, expected)
 order by m.ord, a.n;

select * from finish();
rollback;
