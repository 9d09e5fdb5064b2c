-- The audit log: one row per insert, update or delete on every workflow table, written by a generic trigger.
-- Nobody updates or deletes it (not even postgres through the table: a trigger refuses).

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default clock_timestamp(),
  actor_id uuid,
  actor_role text not null,
  table_name text not null,
  row_id text,
  operation text not null check (operation in ('INSERT', 'UPDATE', 'DELETE')),
  old_values jsonb,
  new_values jsonb,
  transaction_id bigint not null default txid_current()
);
comment on table public.audit_log is
  'History of every change to the workflow tables: who (auth.uid() and API role or database user), when, which table and row, the operation and the old and new values. Append-only.';
comment on column public.audit_log.actor_id is 'auth.uid() of the caller; null for a database operator or the service_role without a user.';
comment on column public.audit_log.actor_role is 'The API role of the request (authenticated, service_role) or the database user (e.g. postgres in Studio).';
comment on column public.audit_log.row_id is 'Primary key of the changed row as text (composite keys joined with commas).';
comment on column public.audit_log.old_values is 'DELETE: the whole old row. UPDATE: the old values of the changed columns only.';
comment on column public.audit_log.new_values is 'INSERT: the whole new row. UPDATE: the new values of the changed columns only.';

create index audit_log_table_row_idx on public.audit_log (table_name, row_id);
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);

create function private.audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
  v_row_id text;
begin
  if tg_op = 'INSERT' then
    v_new := to_jsonb(new);
    v_row := v_new;
  elsif tg_op = 'DELETE' then
    v_old := to_jsonb(old);
    v_row := v_old;
  else
    v_row := to_jsonb(new);
    -- Only the columns that changed, leaving out those named as trigger arguments (derived counters, timestamps).
    select jsonb_object_agg(o.key, o.value), jsonb_object_agg(o.key, n.value)
      into v_old, v_new
      from jsonb_each(to_jsonb(old)) o
      join jsonb_each(v_row) n on n.key = o.key
     where o.value is distinct from n.value
       and not (o.key = any (tg_argv));
    if v_new is null then
      return null;
    end if;
  end if;

  select string_agg(v_row ->> a.attname, ',' order by k.ord)
    into v_row_id
    from pg_catalog.pg_index i
    cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
   where i.indrelid = tg_relid and i.indisprimary;

  insert into public.audit_log (actor_id, actor_role, table_name, row_id, operation, old_values, new_values)
  values (
    auth.uid(),
    coalesce(nullif(auth.role(), ''), nullif(current_setting('role'), 'none'), session_user::text),
    tg_table_schema || '.' || tg_table_name,
    v_row_id,
    tg_op,
    v_old,
    v_new
  );
  return null;
end;
$$;
comment on function private.audit_row() is
  'Generic AFTER row trigger: writes one audit_log row per change. Trigger arguments name columns whose changes alone are not worth a row (derived counters, updated_at).';

create function private.attach_audit(p_table regclass, p_ignored_columns text[] default array['updated_at'])
returns void
language plpgsql
set search_path = ''
as $$
begin
  execute format(
    'create trigger audit_row after insert or update or delete on %s for each row execute function private.audit_row(%s)',
    p_table,
    (select coalesce(string_agg(quote_literal(c), ', '), '') from unnest(p_ignored_columns) c)
  );
end;
$$;
comment on function private.attach_audit(regclass, text[]) is
  'Installs the audit trigger on a table. Called by the migration that creates each workflow table.';

create function private.refuse_audit_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'PT403', detail = 'audit_log_immutable',
    message = 'The audit log cannot be changed or deleted.';
end;
$$;
comment on function private.refuse_audit_change() is 'Trigger: refuses every update, delete and truncate of audit_log.';

create trigger refuse_audit_change
  before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();
create trigger refuse_audit_truncate
  before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

alter table public.audit_log enable row level security;
revoke all on table public.audit_log from anon, authenticated, service_role;
grant select on table public.audit_log to authenticated, service_role;

create policy "Users can read their own actions and admins the whole log"
  on public.audit_log for select to authenticated
  using (actor_id = (select auth.uid()) or (select private.is_admin()));

select private.attach_audit('public.profiles');
