-- Re-performing the sample selection of a database population runs as a background job of type
-- sampling.reperform (public.request_sample_reperformance): the API's own call cannot reach the source database.
-- The phase lists the type (private.check_job_type_of_phase), and one such job at a time is active per version.
update public.phase_definitions
   set job_types = array['sampling.draw', 'sampling.reperform']
 where name = 'sample_selection';

create unique index background_jobs_one_active_sample_reperformance
  on public.background_jobs (version_id)
  where job_type = 'sampling.reperform' and status in ('queued', 'running');

comment on index public.background_jobs_one_active_sample_reperformance is
  'At most one queued or running sampling.reperform job per version: asking again returns the active one.';
