-- The attributes in scope for a cycle report, for the app and external tools: POST /rest/v1/rpc/in_scope_attribute_ids.
-- The same answer as private.in_scope_attribute_ids, with the caller's rights (an attribute the caller cannot read
-- is not listed).

create function public.in_scope_attribute_ids(p_cycle_report_id bigint)
returns setof uuid
language sql
stable
set search_path = ''
as $$
  select i from private.in_scope_attribute_ids(p_cycle_report_id) i order by i
$$;
comment on function public.in_scope_attribute_ids(bigint) is
  'The planning attributes in scope for a cycle report: decided in scope in its approved scoping version or, with scoping skipped, every approved attribute of the approved planning version (see private.in_scope_attribute_ids). Ordered by id, so it can be paged. Runs with the caller''s rights.';
revoke execute on function public.in_scope_attribute_ids(bigint) from public, anon, authenticated, service_role;
grant execute on function public.in_scope_attribute_ids(bigint) to authenticated;
