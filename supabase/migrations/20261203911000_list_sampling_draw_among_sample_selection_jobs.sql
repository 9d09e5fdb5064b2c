-- A large sample draw runs as a background job of type sampling.draw on a sample-selection version
-- (request_sample_selection). Jobs of a version must have one of its phase's job types
-- (private.check_job_type_of_phase), so the phase lists it.
update public.phase_definitions
   set job_types = array['sampling.draw']
 where name = 'sample_selection';
