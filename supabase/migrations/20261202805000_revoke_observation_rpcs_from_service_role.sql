-- The observation and test report RPCs are the signed-in roles' only: the service_role (edge functions, workers)
-- moves nothing of an observation and signs no report.
revoke execute on function public.move_observation(uuid, text, text) from public, anon, service_role;
revoke execute on function public.propose_observations(bigint) from public, anon, service_role;
revoke execute on function public.refresh_test_report(uuid) from public, anon, service_role;
