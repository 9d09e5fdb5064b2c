-- Schema-wide guarantees: RLS everywhere in public, policies only for authenticated, comments, function grants.
begin;
select plan(16);

select tables_are('public', array[
  'profiles', 'reports', 'test_cycles', 'cycle_reports', 'cycle_report_testers', 'phase_definitions',
  'activity_definitions', 'workflow_phases', 'workflow_activities', 'artifact_versions', 'approved_artifacts',
  'audit_log', 'background_jobs', 'llm_interactions', 'duty_segregation_overrides', 'planning_data_sources', 'planning_attributes',
  'planning_pde_mappings', 'planning_auto_approval_rules', 'planning_version_summaries', 'profiling_rules',
  'profiling_rule_results', 'scoping_decisions', 'scoping_policy', 'sample_decisions', 'sample_selections', 'sample_reperformances', 'sample_requests', 'test_cases', 'test_case_evidence',
  'requests', 'request_items', 'request_responses', 'request_files', 'request_comments', 'request_data_sources',
  'observation_transitions', 'observations', 'observation_history', 'observation_evidence', 'test_reports'
], 'the workflow tables exist in public');

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity),
  '{}'::text[], 'every table in public has row-level security enabled');

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and not exists (select 1 from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname)),
  '{}'::text[], 'every table in public has at least one policy');

select is(
  (select coalesce(array_agg(p.tablename || ': ' || p.policyname order by p.tablename, p.policyname), '{}') from pg_policies p
    where p.schemaname = 'public' and p.roles <> '{authenticated}'),
  '{}'::text[], 'every policy is for authenticated only');

select is(
  (select coalesce(array_agg(p.tablename || ': ' || p.policyname order by p.tablename, p.policyname), '{}') from pg_policies p
    where p.schemaname = 'public'
      and (coalesce(p.qual, '') || coalesce(p.with_check, '')) ~ 'auth\.uid\(\)'
      and (coalesce(p.qual, '') || coalesce(p.with_check, '')) !~ 'SELECT auth\.uid\(\)'),
  '{}'::text[], 'policies call (select auth.uid()), evaluated once per statement');

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and obj_description(c.oid, 'pg_class') is null),
  '{}'::text[], 'every table in public has a comment');

select is(
  (select coalesce(array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text), '{}') from pg_proc p
    where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace) and obj_description(p.oid, 'pg_proc') is null),
  '{}'::text[], 'every function in public and private has a comment');

select is(
  (select coalesce(array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text), '{}') from pg_proc p
    where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace) and p.prosecdef
      and not coalesce(p.proconfig @> array['search_path=""'], false)),
  '{}'::text[], 'every security definer function sets an empty search_path');

select is(
  (select coalesce(array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text), '{}') from pg_proc p
    where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
      and has_function_privilege('anon', p.oid, 'execute')),
  -- The app reports failed sign-ins (nobody is signed in yet) and ended sessions.
  array['record_auth_event(text,text,text)'], 'anon can execute no function of ours but record_auth_event');

select is(
  (select coalesce(array_agg(p.proname::text order by p.proname), '{}') from pg_proc p
    where p.pronamespace = 'public'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')),
  array['accept_request', 'add_requested_samples', 'approve_version', 'attribute_sample_size', 'close_request', 'complete_activity',
        'complete_phase', 'create_requests', 'create_version', 'data_source_schema', 'decide_items', 'in_scope_attribute_ids',
        'list_sign_in_events', 'masked_failed_sample', 'masked_reported_value', 'masked_sample_data', 'move_observation', 'profiling_attribute_sources', 'propose_observations', 'record_auth_event', 'refresh_test_report',
        'reject_version', 'remediation_assignments', 'reopen_phase', 'reperform_sample_selection',
        'request_generation', 'request_profiling_execution', 'request_sample_reperformance', 'request_sample_selection', 'request_samples', 'respond_to_request', 'return_request',
        'run_failed_samples', 'run_sample_selection', 'search_sample_population', 'send_request', 'skip_activity', 'skip_phase', 'start_activity', 'start_phase',
        'submit_version', 'verify_audit_log', 'version_reported_values', 'version_sample_values'],
  'authenticated can execute exactly the workflow and request RPCs, the sign-in event functions, a data source''s schema, the values of samples, test cases and failed rows masked when read, the in-scope attributes, the remediation assignments and the audit verification');

select is(
  (select coalesce(array_agg(p.proname::text order by p.proname), '{}') from pg_proc p
    where p.pronamespace = 'public'::regnamespace and has_function_privilege('service_role', p.oid, 'execute')),
  array['allocate_database_sample_draw', 'cancel_job', 'claim_job', 'complete_job', 'fail_job', 'heartbeat_job',
        'plan_database_sample_draw', 'record_database_sample_reperformance', 'record_database_sample_selection'],
  'service_role can execute exactly the job queue functions and the sampling worker''s functions of database populations');

select is(
  (select coalesce(array_agg(p.oid::regprocedure::text order by p.oid::regprocedure::text), '{}') from pg_proc p
    where p.pronamespace = 'private'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
      and p.prorettype = 'trigger'::regtype),
  '{}'::text[], 'no trigger function is executable by authenticated');

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('anon', c.oid, 'insert')
        or has_table_privilege('anon', c.oid, 'update') or has_table_privilege('anon', c.oid, 'delete'))),
  '{}'::text[], 'anon has no privilege on any table');

select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
      and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'audit_row')),
  array['audit_log', 'duty_segregation_overrides', 'llm_interactions'], 'every workflow table is audited (the logs themselves are not)');

select is(
  (select coalesce(array_agg(n.nspname::text), '{}') from pg_namespace n
    where n.nspname = 'private' and has_schema_privilege('anon', n.oid, 'usage')),
  '{}'::text[], 'anon cannot use the private schema');

select ok(
  not has_table_privilege('authenticated', 'public.audit_log', 'insert')
  and not has_table_privilege('service_role', 'public.audit_log', 'update')
  and not has_table_privilege('service_role', 'public.audit_log', 'delete'),
  'no API role can write the audit log');

select * from finish();
rollback;
