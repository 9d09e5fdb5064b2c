-- Planning data sources: the tables a planning version's attributes are mapped to, several per version.
-- A file upload is a table in source_data loaded by the planning-sources edge function; a database source is
-- one table of an external PostgreSQL whose password lives in private.planning_data_source_secrets, which no
-- API role but the service_role can read. Sources are versioned items (tester decision, lineage, copies);
-- a copy shares its upload's table and gets its own copy of the password.

create table public.planning_data_sources (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  name text not null check (char_length(btrim(name)) between 1 and 255),
  description text,
  source_type text not null check (source_type in ('file_upload', 'database')),
  host text,
  port integer check (port between 1 and 65535),
  database_name text,
  schema_name text,
  table_name text,
  username text,
  status text not null default 'pending' check (status in ('pending', 'ready', 'error')),
  schema jsonb,
  row_count bigint check (row_count >= 0),
  error text,
  checked_at timestamptz,
  created_by uuid references public.profiles (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, name),
  constraint planning_data_sources_schema_shape check (
    schema is null or (
      jsonb_typeof(schema -> 'columns') = 'array'
      and not jsonb_path_exists(schema, '$.columns[*] ? (!exists(@.name) || @.name.type() != "string")')
    )
  )
);
comment on table public.planning_data_sources is
  'Data sources of a planning version (several per version): a CSV upload loaded into its own table in source_data, or one table of an external PostgreSQL. Created through the planning-sources edge function; passwords are kept in a private table. Copied into new versions with lineage (an upload''s table is shared, not copied).';
comment on column public.planning_data_sources.source_type is 'file_upload (a table in source_data) or database (an external PostgreSQL table).';
comment on column public.planning_data_sources.table_name is 'file_upload: the table in source_data holding the file; database: the table in the external schema.';
comment on column public.planning_data_sources.schema_name is 'file_upload: always source_data; database: the external schema (default public).';
comment on column public.planning_data_sources.status is 'pending (a database source not tested yet), ready (schema known), error (the last test failed; see error).';
comment on column public.planning_data_sources.schema is 'The table''s shape: {columns: [{name, originalName, position, type, pgType, nullable, nullCount, distinctCount, distinctIsEstimate, min, max, maxLength, examples}], rowCountIsEstimate, statsSource}.';
comment on column public.planning_data_sources.row_count is 'Rows in the table (exact for uploads; an estimate for large external tables, see schema.rowCountIsEstimate).';
comment on column public.planning_data_sources.error is 'Why the last connection test failed (never contains the password).';
comment on column public.planning_data_sources.checked_at is 'When the schema was last read (upload or connection test).';

select private.attach_versioned_items('public.planning_data_sources', 'planning', 0);

-- Only the edge function (with a password, a file) creates sources and sets what it measured; people rename,
-- describe and decide. Connection details never change through the API: re-pointing a stored password at
-- another host would hand it to whoever controls that host.
revoke insert, update on table public.planning_data_sources from authenticated;
grant update (name, description, tester_decision, tester_notes, report_owner_decision, report_owner_notes)
  on table public.planning_data_sources to authenticated;

create table private.planning_data_source_secrets (
  data_source_id uuid primary key references public.planning_data_sources (id) on delete cascade,
  password text not null,
  updated_at timestamptz not null default now()
);
comment on table private.planning_data_source_secrets is
  'Passwords of database data sources. Readable only by the service_role (edge functions); never by testers, owners or anon.';
alter table private.planning_data_source_secrets enable row level security;
revoke all on table private.planning_data_source_secrets from public, anon, authenticated;
grant select, insert, update, delete on table private.planning_data_source_secrets to service_role;

create trigger touch_updated_at before update on private.planning_data_source_secrets
  for each row execute function private.touch_updated_at();

-- Shape of each kind of source ------------------------------------------------------------------------------
create function private.check_planning_data_source()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.source_type, new.created_by) is distinct from (old.source_type, old.created_by)
     or tg_op = 'UPDATE' and old.source_type = 'file_upload' and new.table_name is distinct from old.table_name then
    raise exception using errcode = 'PT409', detail = 'data_source_column_immutable',
      message = 'A data source''s type, creator and uploaded table cannot change.';
  end if;
  if tg_op = 'INSERT' and new.parent_item_id is null then
    new.created_by := auth.uid();
  end if;

  if new.source_type = 'file_upload' then
    if num_nonnulls(new.host, new.port, new.database_name, new.username) > 0 then
      raise exception using errcode = 'PT400', detail = 'invalid_data_source',
        message = 'A file upload has no connection details.';
    end if;
    new.schema_name := 'source_data';
    if new.table_name is null or new.table_name !~ '^upload_[a-z0-9]{1,56}$'
       or to_regclass(format('source_data.%I', new.table_name)) is null then
      raise exception using errcode = 'PT400', detail = 'invalid_data_source',
        message = 'A file upload must name its loaded table in source_data (upload_…); upload files through the planning-sources function.';
    end if;
    if new.schema is null or new.row_count is null then
      raise exception using errcode = 'PT400', detail = 'invalid_data_source',
        message = 'A file upload records the schema and row count of its table.';
    end if;
    new.status := 'ready';
  else
    if nullif(btrim(coalesce(new.host, '')), '') is null or nullif(btrim(coalesce(new.database_name, '')), '') is null
       or nullif(btrim(coalesce(new.table_name, '')), '') is null or nullif(btrim(coalesce(new.username, '')), '') is null then
      raise exception using errcode = 'PT400', detail = 'invalid_data_source',
        message = 'A database source needs a host, a database, a table and a user.';
    end if;
    new.port := coalesce(new.port, 5432);
    new.schema_name := coalesce(nullif(btrim(new.schema_name), ''), 'public');
  end if;
  if new.status = 'ready' and new.schema is null then
    raise exception using errcode = 'PT400', detail = 'invalid_data_source',
      message = 'A ready data source has a schema.';
  end if;
  if new.status <> 'error' then
    new.error := null;
  end if;
  return new;
end;
$$;
comment on function private.check_planning_data_source() is
  'Trigger: a file upload names an existing upload_… table in source_data with its schema and row count and has no connection details; a database source has host, database, table and user; type, creator and uploaded table never change; created_by from auth.uid().';

create trigger validate_planning_data_source
  before insert or update on public.planning_data_sources
  for each row execute function private.check_planning_data_source();

-- Copies keep their own password; an upload's table goes when its last source goes --------------------------
create function private.copy_planning_data_source_secret()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.planning_data_source_secrets (data_source_id, password)
  select new.id, s.password from private.planning_data_source_secrets s where s.data_source_id = new.parent_item_id;
  return null;
end;
$$;
comment on function private.copy_planning_data_source_secret() is
  'Trigger: a database source copied into a new version gets a copy of its parent''s password.';

create trigger copy_planning_data_source_secret
  after insert on public.planning_data_sources
  for each row when (new.parent_item_id is not null and new.source_type = 'database')
  execute function private.copy_planning_data_source_secret();

create function private.drop_unused_upload_table()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.planning_data_sources s
                  where s.source_type = 'file_upload' and s.table_name = old.table_name) then
    execute format('drop table if exists source_data.%I', old.table_name);
  end if;
  return null;
end;
$$;
comment on function private.drop_unused_upload_table() is
  'Trigger: deleting the last data source (of any version) that uses an uploaded table drops the table, so a discarded draft leaves nothing behind.';

create trigger drop_unused_upload_table
  after delete on public.planning_data_sources
  for each row when (old.source_type = 'file_upload')
  execute function private.drop_unused_upload_table();

create trigger touch_updated_at before update on public.planning_data_sources
  for each row execute function private.touch_updated_at();

-- The edge function's permission check, run as the calling user (request.jwt.claims) -----------------------
create function private.check_planning_draft(p_version_id uuid)
returns public.artifact_versions
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_row public.artifact_versions;
begin
  select * into v_row from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_row.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if v_row.phase_name <> 'planning' then
    raise exception using errcode = 'PT409', detail = 'item_wrong_phase',
      message = format('Data sources belong to planning versions; this is a %s version.', v_row.phase_name);
  end if;
  if v_row.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Data sources can only change while their version is a draft; this version is %s.', v_row.version_status);
  end if;
  if not private.can_work_on_cycle_report(v_row.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can change data sources.';
  end if;
  return v_row;
end;
$$;
comment on function private.check_planning_draft(uuid) is
  'Raises unless the caller (auth.uid()) may change the items of this planning version: PT404 version_not_found, PT409 item_wrong_phase | version_not_draft, PT403 item_edit_requires_tester. The planning-sources function calls it before loading a file or using a stored password.';

revoke execute on function private.check_planning_data_source(), private.copy_planning_data_source_secret(),
  private.drop_unused_upload_table(), private.check_planning_draft(uuid) from public;
