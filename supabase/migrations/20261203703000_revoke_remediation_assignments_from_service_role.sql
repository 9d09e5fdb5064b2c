-- remediation_assignments() answers for the signed-in caller only: the service_role (edge functions, workers) has
-- no caller to answer for, as with the other observation RPCs (20261202805000).
revoke execute on function public.remediation_assignments() from public, anon, service_role;
