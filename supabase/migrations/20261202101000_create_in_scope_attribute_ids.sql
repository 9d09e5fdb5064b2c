-- What later phases may use: the attributes in scope for a cycle report.
--
-- The approved scoping version decides; when the scoping phase was skipped (no approved scoping version and the
-- phase's status is skipped), every approved attribute of the approved planning version is in scope. With
-- neither, nothing is in scope. Data profiling, sample selection and testing read these (decision 018).

create function private.in_scope_attribute_ids(p_cycle_report_id bigint)
returns setof uuid
language sql
stable
set search_path = ''
as $$
  select d.attribute_id
    from public.artifact_versions v
    join public.scoping_decisions d on d.version_id = v.id
   where v.cycle_report_id = p_cycle_report_id and v.phase_name = 'scoping' and v.version_status = 'approved'
     and d.in_scope
  union all
  select a.id
    from public.artifact_versions v
    join public.planning_attributes a on a.version_id = v.id
   where v.cycle_report_id = p_cycle_report_id and v.phase_name = 'planning' and v.version_status = 'approved'
     and a.item_status = 'approved'
     and not exists (select 1 from public.artifact_versions s
                      where s.cycle_report_id = p_cycle_report_id and s.phase_name = 'scoping' and s.version_status = 'approved')
     and exists (select 1 from public.workflow_phases p
                  where p.cycle_report_id = p_cycle_report_id and p.phase_name = 'scoping' and p.status = 'skipped')
$$;
comment on function private.in_scope_attribute_ids(bigint) is
  'The planning attributes (planning_attributes.id) in scope for a cycle report: those decided in scope in its approved scoping version; when the scoping phase was skipped without an approved version, every approved attribute of the approved planning version; otherwise none. Runs with the caller''s rights (RLS applies to API callers).';
revoke all on function private.in_scope_attribute_ids(bigint) from public;
grant execute on function private.in_scope_attribute_ids(bigint) to authenticated, service_role;

create function private.is_attribute_in_scope(p_cycle_report_id bigint, p_attribute_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from private.in_scope_attribute_ids(p_cycle_report_id) i where i = p_attribute_id)
$$;
comment on function private.is_attribute_in_scope(bigint, uuid) is
  'Whether a planning attribute is in scope for a cycle report (see private.in_scope_attribute_ids).';
revoke all on function private.is_attribute_in_scope(bigint, uuid) from public;
grant execute on function private.is_attribute_in_scope(bigint, uuid) to authenticated, service_role;
