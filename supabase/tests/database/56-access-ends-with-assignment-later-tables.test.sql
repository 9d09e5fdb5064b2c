-- Access follows the current assignment on the tables later phases added too: once unassigned, a tester reads no
-- audit row about the cycle report, whichever table it is about (scoping, sampling, test cases, observations,
-- their history and evidence, the test report); and no read policy keeps a row for the person it names unless
-- that person is the row's own party (the tables below say which).
begin;
select plan(8);

select tests.create_test_report_fixture('upload_pgtap56');
\set t1 '''tester1@test.local'''

-- while assigned --------------------------------------------------------------------------------------------------
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.observation_history'$$),
  'rows 2', 'the assigned tester reads the audit rows of the observation moves they made');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.observation_evidence'$$),
  'rows 2', 'and of the evidence they linked');
select cmp_ok((tests.run_as(:t1, $$select count(distinct table_name) from public.audit_log$$) -> 0 ->> 'count')::int,
  '>=', 9, 'and their audit rows of every phase they worked in');

-- unassigned ------------------------------------------------------------------------------------------------------
delete from public.cycle_report_testers where tester_id = tests.id('t1')::uuid;
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.observation_history'$$),
  'rows 0', 'unassigned, they no longer read the comments of their observation moves in the audit log');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name = 'public.observation_evidence'$$),
  'rows 0', 'nor the evidence they linked');
select is(tests.try_as(:t1, $$select count(*) from public.audit_log where table_name <> 'public.profiles'$$),
  'rows 0', 'nor any audit row about the cycle report, whichever table');

-- structure: later tables cannot reopen the hole -----------------------------------------------------------------
select is(
  (select coalesce(array_agg(c.relname::text order by c.relname), '{}')
     from pg_trigger t
     join pg_class c on c.oid = t.tgrelid
     join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and t.tgname = 'audit_row' and not t.tgisinternal
      and not exists (select 1 from pg_attribute a
                       where a.attrelid = c.oid and not a.attisdropped
                         and a.attname in ('cycle_report_id', 'version_id', 'observation_id'))),
  array['activity_definitions', 'cycle_reports', 'observation_transitions', 'phase_definitions',
        'planning_auto_approval_rules', 'profiles', 'reports', 'scoping_policy', 'test_cycles'],
  'every audited table names its cycle report, version or observation, except those about no cycle report');
select is(
  (select coalesce(array_agg(p.tablename || ': ' || p.policyname order by p.tablename, p.policyname), '{}')
     from pg_policies p
    where p.schemaname = 'public' and p.cmd in ('SELECT', 'ALL') and p.qual ~ 'auth\.uid\(\)'),
  array[
    'audit_log: Users can read their actions on what they can read, admins all',
    'background_jobs: Cycle report readers can read its jobs, others their own',
    'llm_interactions: Cycle report readers can read its LLM calls, others their own',
    'observations: Testers, owners and remediation owners can read observations',
    'profiles: Users can read their own and teammates'' profiles, admins all',
    'reports: Owners, their reports'' testers and admins can read reports',
    'requests: Readers of a cycle report and assignees of sent requests can re'],
  'the read policies that match a person directly are those audited here: the actor of rows about no cycle report, the report''s owner, the request''s current assignee, the observation''s current remediation owner');

select * from finish();
rollback;
