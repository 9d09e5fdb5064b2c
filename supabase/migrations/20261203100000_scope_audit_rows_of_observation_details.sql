-- Access ends with the assignment for the audit rows of an observation's history and evidence too (issue 10,
-- item 7).
--
-- Before: private.audit_scope found a row's cycle report from its cycle_report_id or its version_id only.
-- observation_history and observation_evidence, added after it, name their observation instead, so their audit
-- rows had no scope, counted as "about no cycle report" and stayed readable by their actor for good: a tester
-- unassigned from a cycle report still read, in audit_log, the comments of every observation move they made
-- and the evidence they linked.
-- Now a row naming an observation is about the observation's cycle report (read from the observation, or from
-- the observation's own audit rows when it is gone, as in a cascading delete), and any operation, not only an
-- update, falls back to the scope of the row's earlier audit rows. The rows already written get their scope.
--
-- Redefines private.audit_scope (from 20261201302000_end_access_with_assignment).

create function private.recorded_audit_scope(p_table_name text, p_row_id text)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select s.cycle_report_id from public.audit_log l join private.audit_log_scopes s on s.audit_id = l.id
   where l.table_name = p_table_name and l.row_id = p_row_id
   order by l.id desc limit 1
$$;
comment on function private.recorded_audit_scope(text, text) is
  'The cycle report recorded for the latest scoped audit row of a row (by the (table_name, row_id) index); null if none.';
revoke execute on function private.recorded_audit_scope(text, text) from public;

create or replace function private.audit_scope(p_table_name text, p_operation text, p_row_id text, p_values jsonb)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_row jsonb := coalesce(p_values, '{}');
  v_cycle_report_id bigint;
begin
  if p_table_name = 'public.cycle_reports' then
    return p_row_id::bigint;
  end if;
  if v_row ? 'cycle_report_id' then
    return (v_row ->> 'cycle_report_id')::bigint;
  end if;
  if v_row ? 'version_id' then
    return (select v.cycle_report_id from public.artifact_versions v where v.id = (v_row ->> 'version_id')::uuid);
  end if;
  if v_row ? 'observation_id' then
    v_cycle_report_id := coalesce(
      (select o.cycle_report_id from public.observations o where o.id = (v_row ->> 'observation_id')::uuid),
      private.recorded_audit_scope('public.observations', v_row ->> 'observation_id'));
    if v_cycle_report_id is not null then
      return v_cycle_report_id;
    end if;
  end if;
  -- An update records only the changed columns, a delete of a row whose parent went first finds no parent: the
  -- row's earlier audit rows know its cycle report (its insert's, at least), which costs no read of the table.
  return private.recorded_audit_scope(p_table_name, p_row_id);
end;
$$;
comment on function private.audit_scope(text, text, text, jsonb) is
  'The cycle report an audit row is about: the row itself for cycle_reports, else its cycle_report_id, its version''s, or its observation''s (observation_history, observation_evidence); failing those, the one recorded for the row''s earlier audit rows. Null for rows about no cycle report.';
revoke execute on function private.audit_scope(text, text, text, jsonb) from public;

-- The rows already written, oldest first, so a row finds the scope of its earlier audit rows.
do $$
declare
  l record;
  v_cycle_report_id bigint;
begin
  for l in select a.* from public.audit_log a
            where a.table_name in ('public.observation_history', 'public.observation_evidence')
              and not exists (select 1 from private.audit_log_scopes s where s.audit_id = a.id)
            order by a.id loop
    v_cycle_report_id := private.audit_scope(l.table_name, l.operation, l.row_id, coalesce(l.new_values, l.old_values));
    if v_cycle_report_id is not null then
      insert into private.audit_log_scopes (audit_id, actor_id, cycle_report_id) values (l.id, l.actor_id, v_cycle_report_id);
    end if;
  end loop;
end
$$;
