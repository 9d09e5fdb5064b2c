-- Access to a cycle report's logs ends with the assignment.
--
-- Before: the read policies of llm_interactions, background_jobs and audit_log also matched the row's user_id,
-- created_by or actor_id, so a tester unassigned from a cycle report still read that report's LLM requests,
-- job metadata and their own audit rows about it.
-- Now a row about a cycle report is read only by whoever can read that cycle report now (assigned testers, the
-- report's owner, admins). The person a row names still reads it when it is about no cycle report (an LLM call
-- or a job outside any cycle report; audit rows of profiles, reports, cycles and definitions).
-- The audit log keeps its shape: which cycle report each row is about is kept beside it, in
-- private.audit_log_scopes, filled by a trigger after each audit row (and here for the rows already written).

-- llm_interactions and background_jobs ----------------------------------------------------------------------------
drop policy "Users can read LLM calls for them or their cycle reports" on public.llm_interactions;
create policy "Cycle report readers can read its LLM calls, others their own"
  on public.llm_interactions for select to authenticated
  using (
    (select private.is_admin())
    or cycle_report_id in (select private.readable_cycle_report_ids())
    or (cycle_report_id is null and user_id = (select auth.uid()))
  );

drop policy "Users can read their jobs and jobs of their cycle reports" on public.background_jobs;
create policy "Cycle report readers can read its jobs, others their own"
  on public.background_jobs for select to authenticated
  using (
    (select private.is_admin())
    or cycle_report_id in (select private.readable_cycle_report_ids())
    or (cycle_report_id is null and created_by = (select auth.uid()))
  );

-- audit_log ----------------------------------------------------------------------------------------------------
create table private.audit_log_scopes (
  audit_id bigint primary key,
  actor_id uuid,
  cycle_report_id bigint not null
);
comment on table private.audit_log_scopes is
  'The cycle report each audit_log row is about (rows about no cycle report have none), so its actor reads it only while they can read that cycle report.';
create index audit_log_scopes_actor_idx on private.audit_log_scopes (actor_id, cycle_report_id);
alter table private.audit_log_scopes enable row level security;
revoke all on table private.audit_log_scopes from public, anon, authenticated, service_role;

create function private.audit_scope(p_table_name text, p_operation text, p_row_id text, p_values jsonb)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_row jsonb := coalesce(p_values, '{}');
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
  if p_operation = 'UPDATE' then
    -- An update records only the changed columns: the row's earlier audit rows know its cycle report (its
    -- insert's, at least), which costs no read of the audited table.
    return (select s.cycle_report_id from public.audit_log l join private.audit_log_scopes s on s.audit_id = l.id
             where l.table_name = p_table_name and l.row_id = p_row_id
             order by l.id desc limit 1);
  end if;
  return null;
end;
$$;
comment on function private.audit_scope(text, text, text, jsonb) is
  'The cycle report an audit row is about: the row itself for cycle_reports, else its cycle_report_id, or its version''s; for an update that changed neither, the one recorded for the row''s earlier audit rows. Null for rows about no cycle report.';

create function private.scope_audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint := private.audit_scope(new.table_name, new.operation, new.row_id,
    coalesce(new.new_values, new.old_values));
begin
  if v_cycle_report_id is not null then
    insert into private.audit_log_scopes (audit_id, actor_id, cycle_report_id)
    values (new.id, new.actor_id, v_cycle_report_id)
    on conflict (audit_id) do nothing;
  end if;
  return null;
end;
$$;
comment on function private.scope_audit_row() is
  'Trigger (after insert on audit_log): records the cycle report the row is about in private.audit_log_scopes.';

create trigger scope_audit_row
  after insert on public.audit_log
  for each row execute function private.scope_audit_row();

-- The rows already written, oldest first, so an update finds the scope of the row's earlier audit rows.
do $$
declare
  l record;
  v_cycle_report_id bigint;
begin
  for l in select * from public.audit_log order by id loop
    v_cycle_report_id := private.audit_scope(l.table_name, l.operation, l.row_id, coalesce(l.new_values, l.old_values));
    if v_cycle_report_id is not null then
      insert into private.audit_log_scopes (audit_id, actor_id, cycle_report_id) values (l.id, l.actor_id, v_cycle_report_id);
    end if;
  end loop;
end
$$;

create function private.own_audit_ids_out_of_reach()
returns setof bigint
language sql
stable
security definer
set search_path = ''
as $$
  select s.audit_id from private.audit_log_scopes s
   where s.actor_id = auth.uid()
     and s.cycle_report_id not in (select private.readable_cycle_report_ids())
$$;
comment on function private.own_audit_ids_out_of_reach() is
  'Ids of the signed-in user''s own audit rows about cycle reports they can no longer read. Used by the audit_log policy as `id not in (select …)`, so it runs once per statement.';

drop policy "Users can read their own actions and admins the whole log" on public.audit_log;
create policy "Users can read their actions on what they can read, admins all"
  on public.audit_log for select to authenticated
  using (
    (select private.is_admin())
    or (actor_id = (select auth.uid()) and id not in (select private.own_audit_ids_out_of_reach()))
  );

revoke execute on function private.audit_scope(text, text, text, jsonb), private.scope_audit_row(),
  private.own_audit_ids_out_of_reach() from public;
grant execute on function private.own_audit_ids_out_of_reach() to authenticated;
