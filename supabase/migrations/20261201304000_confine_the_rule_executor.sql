-- Trust boundaries inside the database: who counts as an operator, and what the rule executor may reach.
--
-- Before: private.is_operator() was true for any session without a JWT that was not an API role, so sessions
-- of rule_executor or supabase_auth_admin (GoTrue) were treated by the workflow triggers as Studio operators;
-- and rule_executor could call pg_notify('pgrst', …) and read every report's uploads in source_data.
-- Now:
--   - is_operator() is true only for the Studio roles: a session that logged in as postgres or supabase_admin
--     and has not switched to another role, with no JWT. (Redefines private.is_operator() of 20261122001000.)
--   - pg_notify is no longer executable by PUBLIC (so not by rule_executor, anon or authenticated); the
--     service_role keeps it. The NOTIFY statement needs no privilege, but the executor only ever sends single
--     compiled SELECT statements over the extended protocol, which cannot carry a second statement.
--   - Every table in source_data has row-level security with one policy for rule_executor: it reads a table
--     only inside a transaction that presents a token issued for that table (the setting
--     regtest.rule_execution). private.open_rule_execution(job, tables) issues a token to the worker (the
--     service_role) for the upload tables of the job's own profiling version while the job runs; the token is
--     a random uuid kept in private.rule_execution_grants, which the executor cannot read, so SQL running as
--     rule_executor for one job cannot name another job's token. An event trigger protects every table created
--     in source_data (uploads, and any table made by hand), and the migration protects the existing ones.

-- Operators --------------------------------------------------------------------------------------------------------
create or replace function private.is_operator()
returns boolean
language sql
stable
set search_path = ''
as $$
  -- Logged in as a Studio role, not switched to another role, no JWT: postgres in Studio or psql, migrations,
  -- the seed. Not the API roles, not rule_executor, not supabase_auth_admin (GoTrue), whatever they set.
  select auth.uid() is null
    and coalesce(nullif(auth.role(), ''), 'none') not in ('anon', 'authenticated', 'service_role')
    and session_user::text in ('postgres', 'supabase_admin')
    and current_setting('role') in ('none', 'postgres', 'supabase_admin')
$$;
comment on function private.is_operator() is
  'True for a database operator: a session logged in as a Studio role (postgres, supabase_admin), not switched to another role, with no JWT (Studio, psql, migrations, the seed). False for the API roles, rule_executor and supabase_auth_admin.';

-- pg_notify ----------------------------------------------------------------------------------------------------------
revoke execute on function pg_catalog.pg_notify(text, text) from public;
grant execute on function pg_catalog.pg_notify(text, text) to service_role;

-- Rule execution grants --------------------------------------------------------------------------------------------
create table private.rule_execution_grants (
  token text primary key default extensions.gen_random_uuid()::text,
  job_id uuid references public.background_jobs (id) on delete cascade,
  tables regclass[] not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
comment on table private.rule_execution_grants is
  'Tokens that let a rule_executor transaction read given source_data tables (presented in the setting regtest.rule_execution), issued per job by open_rule_execution. Unreadable by rule_executor.';
alter table private.rule_execution_grants enable row level security;
revoke all on table private.rule_execution_grants from public, anon, authenticated, service_role, rule_executor;

create function private.rule_execution_may_read(p_table regclass)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from private.rule_execution_grants g
     where g.token = current_setting('regtest.rule_execution', true)
       and p_table = any (g.tables)
       and g.expires_at > now()
  )
$$;
comment on function private.rule_execution_may_read(regclass) is
  'Policy helper for source_data tables: true when the transaction presents (regtest.rule_execution) an unexpired token issued for this table.';

create function private.open_rule_execution(p_job_id uuid, p_tables text[], p_seconds integer default 900)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job record;
  v_tables regclass[];
  v_allowed regclass[];
  v_token text;
begin
  if not (private.is_service() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'rule_execution_requires_service',
      message = 'Only the rule-execution worker (the service_role) opens a rule execution.';
  end if;
  if p_seconds is null or p_seconds not between 1 and 86400 or coalesce(cardinality(p_tables), 0) = 0 then
    raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
      message = 'A rule execution names at least one table and lasts 1 second to 1 day.';
  end if;
  -- Resolved here: the service_role has no usage on source_data, so it names tables as text.
  select array_agg(to_regclass(t)) into v_tables from unnest(p_tables) t;
  if array_position(v_tables, null) is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
      message = 'A rule execution names existing tables.';
  end if;
  if p_job_id is null then
    -- Operators only (maintenance, benchmarks, tests): any tables they name.
    if not private.is_operator() then
      raise exception using errcode = 'PT400', detail = 'invalid_rule_execution',
        message = 'A rule execution belongs to a running job.';
    end if;
    v_allowed := v_tables;
  else
    select j.id, j.status, j.version_id into v_job from public.background_jobs j where j.id = p_job_id;
    if not found or v_job.status <> 'running' then
      raise exception using errcode = 'PT409', detail = 'job_not_running',
        message = 'Rules run only for a running job.';
    end if;
    -- The upload tables of the job's profiling version (its planning basis's file sources).
    select coalesce(array_agg(c.oid::regclass), '{}') into v_allowed
      from public.artifact_versions v
      join public.planning_data_sources s on s.version_id = v.based_on_version_id and s.source_type = 'file_upload'
      join pg_catalog.pg_class c on c.relname = s.table_name
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace and n.nspname = 'source_data'
     where v.id = v_job.version_id;
    if not (v_tables <@ v_allowed) then
      raise exception using errcode = 'PT403', detail = 'table_not_in_job',
        message = 'A job''s rules read only the uploads of its own profiling version.';
    end if;
    v_allowed := v_tables;
  end if;
  delete from private.rule_execution_grants g where g.expires_at <= now();
  insert into private.rule_execution_grants (job_id, tables, expires_at)
  values (p_job_id, v_allowed, now() + make_interval(secs => p_seconds))
  returning token into v_token;
  return v_token;
end;
$$;
comment on function private.open_rule_execution(uuid, text[], integer) is
  'Issues a token with which rule_executor reads the given source_data tables for p_seconds: for a running job, only the upload tables of its profiling version (PT403 table_not_in_job, PT409 job_not_running); without a job, for operators only. Callers: the service_role, operators (PT403 rule_execution_requires_service).';

create function private.close_rule_execution(p_token text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (private.is_service() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'rule_execution_requires_service',
      message = 'Only the rule-execution worker (the service_role) closes a rule execution.';
  end if;
  delete from private.rule_execution_grants g where g.token = p_token;
end;
$$;
comment on function private.close_rule_execution(text) is 'Withdraws a rule-execution token before it expires (the worker, after a data source''s rules ran).';

-- Every source_data table: readable by rule_executor only with a token ---------------------------------------------
create function private.protect_source_table(p_table regclass)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_name text := (select c.relname from pg_catalog.pg_class c where c.oid = p_table);
begin
  if (select n.nspname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where c.oid = p_table) is distinct from 'source_data' then
    raise exception using errcode = 'PT400', detail = 'not_a_source_table',
      message = format('%s is not a table of source_data.', p_table);
  end if;
  execute format('alter table %s enable row level security', p_table);
  if not exists (select 1 from pg_catalog.pg_policy p where p.polrelid = p_table) then
    execute format('create policy %I on %s for select to rule_executor using ((select private.rule_execution_may_read(%L::regclass)))',
      'Rule executor reads it only for a job that runs on it', p_table, p_table::text);
  end if;
  execute format('grant select on table %s to rule_executor', p_table);
  execute format('comment on policy %I on %s is %L', 'Rule executor reads it only for a job that runs on it', p_table,
    format('rule_executor reads %s only inside a transaction presenting a token issued for it (private.open_rule_execution).', v_name));
end;
$$;
comment on function private.protect_source_table(regclass) is
  'Puts a source_data table behind row-level security: rule_executor reads it only with a rule-execution token for it. Runs as the caller, who must own the table. Idempotent.';

create function private.protect_new_source_tables()
returns event_trigger
language plpgsql
set search_path = ''
as $$
declare
  v_object record;
begin
  for v_object in
    select c.objid from pg_catalog.pg_event_trigger_ddl_commands() c
     where c.object_type = 'table' and c.schema_name = 'source_data'
  loop
    perform private.protect_source_table(v_object.objid::regclass);
  end loop;
end;
$$;
comment on function private.protect_new_source_tables() is
  'Event trigger: every table created in source_data is put behind row-level security for rule_executor (protect_source_table).';

-- Event triggers need a superuser (or, on hosted Supabase, a role supautils allows); without one the ingestion
-- protects each upload itself (protect_source_table), and tables made by hand must be protected by hand.
do $$
begin
  create event trigger protect_new_source_tables
    on ddl_command_end
    when tag in ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
    execute function private.protect_new_source_tables();
exception when insufficient_privilege then
  raise warning 'protect_new_source_tables: event triggers are not allowed here; uploads are protected by the ingestion only';
end
$$;

select private.protect_source_table(c.oid::regclass)
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'source_data' and c.relkind in ('r', 'p');

grant usage on schema private to rule_executor;
revoke execute on function private.rule_execution_may_read(regclass), private.open_rule_execution(uuid, text[], integer),
  private.close_rule_execution(text), private.protect_source_table(regclass), private.protect_new_source_tables() from public;
grant execute on function private.rule_execution_may_read(regclass) to rule_executor;
grant execute on function private.open_rule_execution(uuid, text[], integer), private.close_rule_execution(text) to service_role;
