-- A background job of a version is of one of the job types of the version's phase (phase_definitions.job_types),
-- or a lane of one (<type>.<lane>); jobs of no version are not checked; the phase's data decides.
begin;
select plan(8);

select tests.create_fixture();
select public.start_phase(tests.phase('planning1'));
insert into tests.fixture_ids select 'planning_v', id::text from public.create_version(tests.phase('planning1'));

-- acting as the database operator (Studio), as the functions' service_role would
select lives_ok(
  $$insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
    values ('generation.planning_attributes', tests.id('planning_v')::uuid, tests.id('cr1')::bigint, '{}')$$,
  'a planning version takes a job of a type its phase lists');
select lives_ok(
  $$insert into public.background_jobs (job_type, status, version_id, cycle_report_id, metadata)
    values ('generation.planning_attributes.nightly', 'cancelled', tests.id('planning_v')::uuid, tests.id('cr1')::bigint, '{}')$$,
  'and a lane of that type, served by a dedicated pool');
select throws_ok(
  $$insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
    values ('profiling.execute', tests.id('planning_v')::uuid, tests.id('cr1')::bigint, '{}')$$,
  'PT400', 'A profiling.execute job does not work on a planning version.',
  'a planning version refuses a job type of another phase');
select is(
  (select count(*)::int from public.background_jobs where version_id = tests.id('planning_v')::uuid and job_type = 'profiling.execute'),
  0, 'and nothing was queued');
select throws_ok(
  $$insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
    values ('generation.planning_attributesx', tests.id('planning_v')::uuid, tests.id('cr1')::bigint, '{}')$$,
  'PT400', null, 'a name that only starts like a listed type is not a lane of it');
select throws_ok(
  $$update public.background_jobs set job_type = 'generation.profiling_rules'
     where version_id = tests.id('planning_v')::uuid and job_type = 'generation.planning_attributes'$$,
  'PT400', 'A generation.profiling_rules job does not work on a planning version.',
  'a job cannot be changed into a type its version''s phase does not list');
select lives_ok(
  $$insert into public.background_jobs (job_type, cycle_report_id, metadata) values ('maintenance.reindex', tests.id('cr1')::bigint, '{}')$$,
  'a job of no version is not checked');

-- The phase's data decides: an admin who lists a new job type for planning lets it work on planning versions.
update public.phase_definitions set job_types = job_types || '{planning.export}' where name = 'planning';
select lives_ok(
  $$insert into public.background_jobs (job_type, version_id, cycle_report_id, metadata)
    values ('planning.export', tests.id('planning_v')::uuid, tests.id('cr1')::bigint, '{}')$$,
  'a job type added to the phase''s job types is accepted');

select * from finish();
rollback;
