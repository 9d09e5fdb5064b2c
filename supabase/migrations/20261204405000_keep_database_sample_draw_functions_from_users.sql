-- The worker's functions of database-population draws are the service_role's alone: revoke what the default
-- privileges of the public schema give anon and authenticated, as for every function of the API.
revoke execute on function public.plan_database_sample_draw(uuid) from public, anon, authenticated;
revoke execute on function public.allocate_database_sample_draw(uuid, jsonb) from public, anon, authenticated;
revoke execute on function public.record_database_sample_selection(uuid, jsonb, jsonb) from public, anon, authenticated;
revoke execute on function public.record_database_sample_reperformance(uuid, jsonb, jsonb, text) from public, anon, authenticated;
revoke execute on function public.request_sample_reperformance(uuid) from public, anon, service_role;
grant execute on function public.request_sample_reperformance(uuid) to authenticated;
