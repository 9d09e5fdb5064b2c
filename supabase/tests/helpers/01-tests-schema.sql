-- Test helpers (schema tests): create users, act as a user, build the standard fixture, try a statement as
-- someone. Loaded after the migrations and before pg_prove; never part of a migration.

drop schema if exists tests cascade;
create schema tests;
comment on schema tests is 'pgTAP helpers: users, authentication as a user, fixtures.';
grant usage on schema tests to anon, authenticated, service_role;

-- Users ---------------------------------------------------------------------------------------------------
create function tests.create_user(p_email text, p_role public.app_role default 'tester', p_full_name text default null)
returns uuid
language plpgsql
as $$
declare
  v_id uuid := extensions.gen_random_uuid();
begin
  insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
                          raw_user_meta_data, created_at, updated_at)
  values (v_id, 'authenticated', 'authenticated', p_email, extensions.crypt('test-password', extensions.gen_salt('bf', 4)),
          now(), '{"provider":"email","providers":["email"]}',
          jsonb_build_object('full_name', coalesce(p_full_name, split_part(p_email, '@', 1))), now(), now());
  if p_role <> 'tester' then
    update public.profiles set app_role = p_role where id = v_id;
  end if;
  return v_id;
end;
$$;
comment on function tests.create_user(text, public.app_role, text) is 'Creates an auth user (and so a profile) with the given application role.';

create function tests.get_user_id(p_email text)
returns uuid
language sql
stable
as $$ select u.id from auth.users u where u.email = p_email $$;
comment on function tests.get_user_id(text) is 'The id of the auth user with this email.';

-- Acting as someone ---------------------------------------------------------------------------------------
create function tests.authenticate_as(p_email text)
returns void
language plpgsql
as $$
declare
  v_id uuid;
begin
  if p_email = 'anon' then
    perform set_config('request.jwt.claims', '{"role":"anon"}', true);
    perform set_config('role', 'anon', true);
    return;
  end if;
  if p_email = 'postgres' then
    perform tests.clear_authentication();
    return;
  end if;
  if p_email = 'service_role' then
    perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
    perform set_config('role', 'service_role', true);
    return;
  end if;
  v_id := tests.get_user_id(p_email);
  if v_id is null then
    raise exception 'tests.authenticate_as: no user %', p_email;
  end if;
  perform set_config('request.jwt.claims',
    jsonb_build_object('sub', v_id, 'role', 'authenticated', 'email', p_email, 'aud', 'authenticated')::text, true);
  perform set_config('role', 'authenticated', true);
end;
$$;
comment on function tests.authenticate_as(text) is
  'Acts as a user for the rest of the transaction: role authenticated and request.jwt.claims as PostgREST sets them. Also accepts ''anon'', ''service_role'' and ''postgres'' (a database operator: no JWT).';

create function tests.clear_authentication()
returns void
language plpgsql
as $$
begin
  perform set_config('role', 'none', true);
  perform set_config('request.jwt.claims', '', true);
end;
$$;
comment on function tests.clear_authentication() is 'Back to the database operator (postgres, no JWT).';

-- Trying a statement as someone ------------------------------------------------------------------------------
create function tests.try_as(p_email text, p_sql text)
returns text
language plpgsql
as $$
declare
  v_count bigint;
  v_result text;
  v_state text;
  v_detail text;
begin
  begin
    perform tests.authenticate_as(p_email);
    if p_sql ~* '^\s*select\s+count\(\*\)' then
      execute p_sql into v_count;
    elsif p_sql ~* '^\s*select' then
      execute format('select count(*) from (%s) s', p_sql) into v_count;
    else
      execute p_sql;
      get diagnostics v_count = row_count;
    end if;
    v_result := 'rows ' || v_count;
    raise exception using errcode = 'TSRB0'; -- undo the statement's effects
  exception
    when sqlstate 'TSRB0' then null;
    when others then
      get stacked diagnostics v_state = returned_sqlstate, v_detail = pg_exception_detail;
      v_result := v_state || case when v_state like 'PT%' and v_detail <> '' then ' ' || v_detail else '' end;
  end;
  return v_result;
end;
$$;
comment on function tests.try_as(text, text) is
  'Runs one statement as a user and undoes it. Returns ''rows N'' (a select count(*): N; another select: its row count; DML: rows affected) or the SQLSTATE it raised, followed for PT codes by the stable reason code (error detail).';

create function tests.run_as(p_email text, p_sql text)
returns jsonb
language plpgsql
as $$
declare
  v_result jsonb;
  v_count bigint;
begin
  perform tests.authenticate_as(p_email);
  if p_sql ~* '^\s*select' then
    execute format('select coalesce(jsonb_agg(to_jsonb(s)), ''[]'') from (%s) s', p_sql) into v_result;
  else
    execute p_sql;
    get diagnostics v_count = row_count;
    v_result := to_jsonb(v_count);
  end if;
  perform tests.clear_authentication();
  return v_result;
end;
$$;
comment on function tests.run_as(text, text) is
  'Runs one statement as a user and keeps its effects; returns a select''s rows as a jsonb array, or the rows affected. Errors propagate.';

create function tests.run_as_service_for(p_email text, p_sql text)
returns jsonb
language plpgsql
as $$
declare
  v_result jsonb;
  v_count bigint;
begin
  perform set_config('request.jwt.claims',
    jsonb_build_object('sub', tests.get_user_id(p_email), 'role', 'service_role')::text, true);
  perform set_config('role', 'service_role', true);
  if p_sql ~* '^\s*select' then
    execute format('select coalesce(jsonb_agg(to_jsonb(s)), ''[]'') from (%s) s', p_sql) into v_result;
  else
    execute p_sql;
    get diagnostics v_count = row_count;
    v_result := to_jsonb(v_count);
  end if;
  perform tests.clear_authentication();
  return v_result;
end;
$$;
comment on function tests.run_as_service_for(text, text) is
  'Runs one statement as the service_role acting for a user (an edge function carrying the user''s id in its claims) and keeps its effects; returns as run_as.';

-- The standard fixture ---------------------------------------------------------------------------------------
create table tests.fixture_ids (name text primary key, id text not null);
comment on table tests.fixture_ids is 'Ids of the rows of the standard fixture, by name.';

create function tests.id(p_name text)
returns text
language sql
stable
as $$ select f.id from tests.fixture_ids f where f.name = p_name $$;
comment on function tests.id(text) is 'Id of a fixture row by name (cr1, cr2, report_a, …).';

create function tests.create_fixture()
returns void
language plpgsql
as $$
declare
  v_admin uuid := tests.create_user('admin@test.local', 'admin');
  v_t1 uuid := tests.create_user('tester1@test.local', 'tester');
  v_t2 uuid := tests.create_user('tester2@test.local', 'tester');
  v_o1 uuid := tests.create_user('owner1@test.local', 'report_owner');
  v_o2 uuid := tests.create_user('owner2@test.local', 'report_owner');
  v_ra bigint;
  v_rb bigint;
  v_rc bigint;
  v_cycle bigint;
  v_cr1 bigint;
  v_cr2 bigint;
begin
  insert into public.reports (name, regulation, owner_id) values ('Test report A', 'Reg A', v_o1) returning id into v_ra;
  insert into public.reports (name, regulation, owner_id) values ('Test report B', 'Reg B', v_o2) returning id into v_rb;
  insert into public.reports (name, regulation, owner_id) values ('Test report C', 'Reg C', v_o1) returning id into v_rc;
  insert into public.test_cycles (name, period_start, period_end) values ('Test cycle', '2030-01-01', '2030-03-31')
  returning id into v_cycle;
  insert into public.cycle_reports (cycle_id, report_id) values (v_cycle, v_ra) returning id into v_cr1;
  insert into public.cycle_reports (cycle_id, report_id) values (v_cycle, v_rb) returning id into v_cr2;
  insert into public.cycle_report_testers (cycle_report_id, tester_id) values (v_cr1, v_t1), (v_cr2, v_t2);
  insert into tests.fixture_ids values
    ('admin', v_admin), ('t1', v_t1), ('t2', v_t2), ('o1', v_o1), ('o2', v_o2),
    ('report_a', v_ra), ('report_b', v_rb), ('report_c', v_rc), ('cycle', v_cycle), ('cr1', v_cr1), ('cr2', v_cr2);
  insert into tests.fixture_ids
  select p.phase_name || case when p.cycle_report_id = v_cr1 then '1' else '2' end, p.id::text
    from public.workflow_phases p where p.cycle_report_id in (v_cr1, v_cr2);
end;
$$;
comment on function tests.create_fixture() is
  'Creates the standard fixture: admin@, tester1@ (assigned to cr1), tester2@ (assigned to cr2), owner1@ (owns report A, in cr1, and report C, in no cycle), owner2@ (owns report B, in cr2), one cycle. Phase ids by name: planning1, scoping2, …';

create function tests.phase(p_name text)
returns bigint
language sql
stable
as $$ select tests.id(p_name)::bigint $$;
comment on function tests.phase(text) is 'Id of a fixture workflow phase, e.g. tests.phase(''planning1'').';

create function tests.activity_ids(p_phase_id bigint)
returns setof bigint
language sql
stable
as $$ select a.id from public.workflow_activities a where a.phase_id = p_phase_id order by a.activity_order $$;
comment on function tests.activity_ids(bigint) is 'The activities of a phase, in order.';

create function tests.manual_activity_ids(p_phase_id bigint)
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select a.id from public.workflow_activities a
   where a.phase_id = p_phase_id and a.status in ('not_started', 'in_progress') and not private.is_provable_activity(a)
   order by a.activity_order
$$;
comment on function tests.manual_activity_ids(bigint) is 'The open activities of a phase that no record proves (a tester ticks them by hand), in order.';

create function tests.unproven_activity_ids(p_phase_id bigint)
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select a.id from public.workflow_activities a
   where a.phase_id = p_phase_id and a.status in ('not_started', 'in_progress') and private.is_provable_activity(a)
   order by a.activity_order
$$;
comment on function tests.unproven_activity_ids(bigint) is 'The open activities of a phase that a record would prove but does not (yet): only an admin can skip them.';

create function tests.finish_activities(p_phase_id bigint)
returns void
language plpgsql
as $$
begin
  perform public.complete_activity(a) from tests.manual_activity_ids(p_phase_id) a;
  perform public.skip_activity(a) from tests.unproven_activity_ids(p_phase_id) a;
end;
$$;
comment on function tests.finish_activities(bigint) is 'Run as an admin or operator: completes the manual activities of a phase and skips those its data does not prove, so only the phase''s own gates remain.';

create function tests.create_item_table(p_name text, p_phase_name text, p_copy_order integer default 0)
returns void
language plpgsql
as $$
begin
  execute format('create table tests.%I (id uuid primary key default extensions.gen_random_uuid(), version_id uuid not null, name text not null, amount numeric)', p_name);
  perform private.attach_versioned_items(format('tests.%I', p_name)::regclass, p_phase_name, p_copy_order);
  execute format('grant select, insert, update, delete on tests.%I to authenticated, service_role', p_name);
end;
$$;
comment on function tests.create_item_table(text, text, integer) is
  'Creates a throwaway versioned item table tests.<name> (id, version_id, name, amount) attached to a phase.';

create function tests.create_profiling_fixture(p_table text)
returns void
language plpgsql
as $$
begin
  perform tests.create_fixture();
  execute format('create table source_data.%I (id integer, amount numeric)', p_table);
  perform public.start_phase(tests.phase('planning1'));
  insert into tests.fixture_ids select 'pv1', v.id::text from public.create_version(tests.phase('planning1')) v;
  with s as (
    insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
    values (tests.id('pv1')::uuid, 'Loans', 'file_upload', p_table,
            '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}]}', 0, 'approved')
    returning id
  ) insert into tests.fixture_ids select 'source', s.id::text from s;
  with a as (
    insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
    values (tests.id('pv1')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id', 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'approved')
    returning id, name
  ) insert into tests.fixture_ids select 'pv1 ' || a.name, a.id::text from a;
  perform public.submit_version(tests.id('pv1')::uuid);
  perform public.approve_version(tests.id('pv1')::uuid);
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('data_profiling1')));
end;
$$;
comment on function tests.create_profiling_fixture(text) is
  'The standard fixture with cr1 ready for data profiling: an empty upload source_data.<table> (id, amount), planning version pv1 approved with source ''source'' and attributes ''pv1 Loan id'' and ''pv1 Amount''; scoping and data request skipped; data_profiling1 started by tester1@. Planning stays in progress, so a newer planning version can be approved.';

create function tests.create_scoping_fixture(p_table text)
returns void
language plpgsql
as $$
begin
  perform tests.create_fixture();
  execute format('create table source_data.%I (id integer, amount numeric, branch text)', p_table);
  perform public.start_phase(tests.phase('planning1'));
  insert into tests.fixture_ids select 'pv1', v.id::text from public.create_version(tests.phase('planning1')) v;
  with s as (
    insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
    values (tests.id('pv1')::uuid, 'Loans', 'file_upload', p_table,
            '{"columns": [{"name": "id", "pgType": "integer"}, {"name": "amount", "pgType": "numeric"}, {"name": "branch", "pgType": "text"}]}', 0, 'approved')
    returning id
  ) insert into tests.fixture_ids select 'source', s.id::text from s;
  with a as (
    insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, is_primary_key, is_cde, information_security_classification, tester_decision)
    values (tests.id('pv1')::uuid, 'Loan id', 'integer', tests.id('source')::uuid, 'id', true, false, 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', false, true, 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Branch', 'string', tests.id('source')::uuid, 'branch', false, false, 'public', 'approved'),
           (tests.id('pv1')::uuid, 'Region', 'string', null, null, false, false, 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Rating', 'string', null, null, false, false, 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Legacy code', 'string', null, null, false, false, 'internal', 'rejected')
    returning id, name
  ) insert into tests.fixture_ids select 'pv1 ' || a.name, a.id::text from a;
  insert into public.planning_pde_mappings (version_id, attribute_id, pde_name, pde_code, classification, tester_decision) values
    (tests.id('pv1')::uuid, tests.id('pv1 Region')::uuid, 'Region', 'LOANS.REGION',
     '{"criticality": "low", "risk_level": "low", "regulatory_flag": true}', 'approved'),
    (tests.id('pv1')::uuid, tests.id('pv1 Rating')::uuid, 'Rating', 'LOANS.RATING',
     '{"criticality": "high", "risk_level": "high"}', 'approved');
  perform public.submit_version(tests.id('pv1')::uuid);
  perform public.approve_version(tests.id('pv1')::uuid);
  perform tests.run_as('tester1@test.local', format('select public.complete_activity(a) from tests.manual_activity_ids(%s) a', tests.phase('planning1')));
  perform tests.run_as('tester1@test.local', format('select public.complete_phase(%s)', tests.phase('planning1')));
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('scoping1')));
end;
$$;
comment on function tests.create_scoping_fixture(text) is
  'The standard fixture with cr1 ready for scoping: an empty upload source_data.<table> (id, amount, branch), planning version pv1 approved and planning completed with approved attributes ''pv1 Loan id'' (primary key), ''pv1 Amount'' (CDE), ''pv1 Branch'' (neither, public), ''pv1 Region'' (a mapping flagged regulatory, risk score 3), ''pv1 Rating'' (a mapping of risk score 8), and ''pv1 Legacy code'' rejected; scoping1 started by tester1@.';

create function tests.create_sampling_fixture(p_table text, p_with_profiling boolean default false)
returns void
language plpgsql
as $$
begin
  perform tests.create_fixture();
  execute format('create table source_data.%I (loan_id text, amount numeric, region text, tax_id text, note text)', p_table);
  perform public.start_phase(tests.phase('planning1'));
  insert into tests.fixture_ids select 'pv1', v.id::text from public.create_version(tests.phase('planning1')) v;
  with s as (
    insert into public.planning_data_sources (version_id, name, source_type, table_name, schema, row_count, tester_decision)
    values (tests.id('pv1')::uuid, 'Loans', 'file_upload', p_table,
            '{"columns": [{"name": "loan_id", "pgType": "text"}, {"name": "amount", "pgType": "numeric"}, {"name": "region", "pgType": "text"}, {"name": "tax_id", "pgType": "text"}, {"name": "note", "pgType": "text"}]}', 0, 'approved')
    returning id
  ) insert into tests.fixture_ids select 'source', s.id::text from s;
  with a as (
    insert into public.planning_attributes (version_id, name, data_type, data_source_id, source_column, information_security_classification, tester_decision)
    values (tests.id('pv1')::uuid, 'Loan id', 'string', tests.id('source')::uuid, 'loan_id', 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Amount', 'decimal', tests.id('source')::uuid, 'amount', 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Region', 'string', tests.id('source')::uuid, 'region', 'internal', 'approved'),
           (tests.id('pv1')::uuid, 'Tax id', 'string', tests.id('source')::uuid, 'tax_id', 'confidential', 'approved')
    returning id, name
  ) insert into tests.fixture_ids select 'pv1 ' || a.name, a.id::text from a;
  perform public.submit_version(tests.id('pv1')::uuid);
  perform public.approve_version(tests.id('pv1')::uuid);
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id in (tests.phase('scoping1'), tests.phase('data_request1'));
  if p_with_profiling then
    perform public.start_phase(tests.phase('data_profiling1'));
    insert into tests.fixture_ids select 'dv1', v.id::text from public.create_version(tests.phase('data_profiling1')) v;
    with r as (
      insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition, tester_decision)
      values (tests.id('dv1')::uuid, tests.id('pv1 Amount')::uuid, 'Amount at most 150', 'validity', '{"kind": "range", "column": "amount", "max": 150}', 'approved'),
             (tests.id('dv1')::uuid, tests.id('pv1 Region')::uuid, 'Region not C', 'validity', '{"kind": "allowed_values", "column": "region", "values": ["A", "B"]}', 'approved')
      returning id, name
    ) insert into tests.fixture_ids select 'rule ' || r.name, r.id::text from r;
    perform public.submit_version(tests.id('dv1')::uuid);
    update public.profiling_rules set report_owner_decision = 'approved' where version_id = tests.id('dv1')::uuid;
    perform public.approve_version(tests.id('dv1')::uuid);
    with j as (
      insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
      values ('profiling.execute', tests.id('dv1')::uuid, tests.id('cr1')::bigint, jsonb_build_object('version_id', tests.id('dv1')))
      returning id
    ) insert into tests.fixture_ids select 'job', j.id::text from j;
    perform tests.run_as('service_role', format(
      $q$insert into public.profiling_rule_results (execution_id, rule_id, version_id, cycle_report_id, status, total_count, passed_count, failed_count, pass_rate, failed_rows_query)
         values (%1$L, %2$L, %4$L, %5$s, 'completed', 20, 15, 5, 75, %6$L), (%1$L, %3$L, %4$L, %5$s, 'completed', 20, 14, 6, 70, %7$L)$q$,
      tests.id('job'), tests.id('rule Amount at most 150'), tests.id('rule Region not C'), tests.id('dv1'), tests.id('cr1'),
      format('select * from "source_data".%I where not ("amount" <= 150)', p_table),
      format('select * from "source_data".%I where not ("region" in (''A'', ''B''))', p_table)));
  end if;
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('data_profiling1') and status = 'not_started';
  if p_with_profiling then
    perform tests.finish_activities(tests.phase('data_profiling1'));
    perform public.complete_phase(tests.phase('data_profiling1'));
  end if;
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('sample_selection1')));
end;
$$;
comment on function tests.create_sampling_fixture(text, boolean) is
  'The standard fixture with cr1 ready for sample selection: an empty upload source_data.<table> (loan_id, amount, region, tax_id, note), planning version pv1 approved with source ''source'' and attributes ''pv1 Loan id'', ''pv1 Amount'', ''pv1 Region'' and ''pv1 Tax id'' (confidential; note is read by no attribute); scoping and data request skipped; data profiling skipped, or with p_with_profiling an approved profiling version dv1 whose rules ''rule Amount at most 150'' and ''rule Region not C'' have completed results (failed_rows_query over the upload) and the phase completed; sample_selection1 started by tester1@.';

create function tests.create_test_execution_fixture(p_table text)
returns void
language plpgsql
as $$
begin
  perform tests.create_scoping_fixture(p_table);
  execute format($q$insert into source_data.%I select i, i * 100, 'B' || i from generate_series(1, 5) i$q$, p_table);
  insert into public.cycle_report_testers (cycle_report_id, tester_id) values (tests.id('cr1')::bigint, tests.id('t2')::uuid);
  -- Scoping: Branch out of scope; Region tested by data-quality rules only; Loan id, Amount, Rating by samples.
  insert into tests.fixture_ids
  select 'sc1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format($q$
    update public.scoping_decisions d
       set in_scope = a.name <> 'Branch',
           testing_approach = case a.name when 'Amount' then 'both' when 'Region' then 'data_quality_rules' else 'sample_testing' end,
           risk_rating = 'medium', rationale = 'Decided for the test', tester_decision = 'approved'
      from public.planning_attributes a where a.id = d.attribute_id and d.version_id = %L$q$, tests.id('sc1')));
  perform public.submit_version(tests.id('sc1')::uuid);
  perform tests.run_as('owner1@test.local', format(
    $q$update public.scoping_decisions set report_owner_decision = 'approved' where version_id = %L$q$, tests.id('sc1')));
  perform tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sc1')));
  perform tests.finish_activities(tests.phase('scoping1'));
  perform public.complete_phase(tests.phase('scoping1'));
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test'
   where id in (tests.phase('data_request1'), tests.phase('data_profiling1'));
  -- Sample selection: the five loans, all approved.
  perform public.start_phase(tests.phase('sample_selection1'));
  insert into tests.fixture_ids
  select 'sv1', tests.run_as('tester1@test.local', format('select (public.create_version(%s)).id', tests.phase('sample_selection1'))) -> 0 ->> 'id';
  perform tests.run_as('tester1@test.local', format(
    $q$select public.run_sample_selection(%L, %L, 'id', 'simple_random', '{"basis": "tester_set", "size": 5, "reason": "the whole population"}', '{}', '[]', null, 'fixture')$q$,
    tests.id('sv1'), tests.id('source')));
  perform tests.run_as('tester1@test.local', format(
    $q$update public.sample_decisions set tester_decision = 'approved' where version_id = %L$q$, tests.id('sv1')));
  perform tests.run_as('tester1@test.local', format('select public.submit_version(%L)', tests.id('sv1')));
  perform tests.run_as('owner1@test.local', format(
    $q$update public.sample_decisions set report_owner_decision = 'approved' where version_id = %L$q$, tests.id('sv1')));
  perform tests.run_as('owner1@test.local', format('select public.approve_version(%L)', tests.id('sv1')));
  perform tests.finish_activities(tests.phase('sample_selection1'));
  perform public.complete_phase(tests.phase('sample_selection1'));
  update public.workflow_phases set status = 'skipped', skip_reason = 'Not part of this test' where id = tests.phase('request_info1');
  perform tests.run_as('tester1@test.local', format('select public.start_phase(%s)', tests.phase('test_execution1')));
end;
$$;
comment on function tests.create_test_execution_fixture(text) is
  'The scoping fixture carried to test execution: five loans (id 1..5, amount id × 100, branch B<id>) in source_data.<table>; tester2@ also assigned to cr1; scoping version sc1 approved with Branch out of scope, Region tested by data-quality rules only and Loan id, Amount (both), Rating by samples; data request and profiling skipped; sample-selection version sv1 approved with the five loans; request for information skipped; test_execution1 started by tester1@. A test-execution version then holds 5 × 3 test cases.';

-- Test clean-up that removes audit rows -------------------------------------------------------------------------
create function tests.reseal_audit_log()
returns void
language plpgsql
as $$
declare
  v_row public.audit_log;
  v_seq bigint := 0;
  v_hash bytea;
begin
  -- The head first: audit writers wait until the calling transaction ends.
  update private.audit_chain_head set chain_seq = chain_seq;
  perform set_config('session_replication_role', 'replica', true);
  for v_row in select * from public.audit_log order by chain_seq loop
    v_seq := v_seq + 1;
    if v_row.chain_seq = v_seq and v_row.prev_hash is not distinct from v_hash then
      v_hash := v_row.row_hash;
      continue;
    end if;
    v_row.chain_seq := v_seq;
    update public.audit_log
       set chain_seq = v_seq, prev_hash = v_hash, row_hash = private.audit_row_hash(v_hash, v_row)
     where id = v_row.id
    returning row_hash into v_hash;
  end loop;
  update private.audit_chain_head set chain_seq = v_seq, row_hash = v_hash;
end;
$$;
comment on function tests.reseal_audit_log() is
  'For tests that remove their own audit rows when they clean up (as postgres, with the triggers off): renumbers and re-hashes the chain from the first gap on, so verify_audit_log keeps finding the log whole for the other tests. Run it in the transaction that removed the rows.';

grant execute on all functions in schema tests to anon, authenticated, service_role;
grant select on tests.fixture_ids to anon, authenticated, service_role;
revoke execute on function tests.reseal_audit_log() from anon, authenticated, service_role;
