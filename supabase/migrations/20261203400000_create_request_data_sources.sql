-- The data-source kind of response: a data provider answers a data request's item (an in-scope attribute) with a
-- data source, registered as planning's are (an upload loaded by the same ingestion into source_data, or a table
-- of an external PostgreSQL behind the same host policy and connection test), but owned by the response, not by a
-- planning version: the approved planning version stays as it was approved. Accepting the request accepts the
-- item's latest ready source of the round it accepts; profiling then runs that attribute's rules on it.

create table public.request_data_sources (
  id uuid primary key default extensions.gen_random_uuid(),
  response_id bigint not null references public.request_responses (id),
  request_id bigint not null references public.requests (id),
  cycle_report_id bigint not null references public.cycle_reports (id),
  item_id bigint not null references public.request_items (id),
  attribute_id uuid not null,
  attribute_name text not null,
  round integer not null,
  name text not null check (char_length(btrim(name)) between 1 and 255),
  source_type text not null check (source_type in ('file_upload', 'database')),
  host text,
  port integer check (port between 1 and 65535),
  database_name text,
  schema_name text,
  table_name text,
  username text,
  status text not null default 'pending' check (status in ('pending', 'ready', 'error')),
  schema jsonb check (schema is null or jsonb_typeof(schema -> 'columns') = 'array'),
  row_count bigint check (row_count >= 0),
  error text,
  checked_at timestamptz,
  accepted_at timestamptz,
  accepted_by uuid references public.profiles (id) on delete set null,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now()
);
create index request_data_sources_request_id_idx on public.request_data_sources (request_id, item_id, created_at);
create index request_data_sources_cycle_report_idx on public.request_data_sources (cycle_report_id, attribute_name)
  where accepted_at is not null;
create index request_data_sources_table_name_idx on public.request_data_sources (table_name);
comment on table public.request_data_sources is
  'Data sources a data provider gives as a response to a data request (phase 3), one per response and item: a CSV upload loaded into its own table in source_data, or one table of an external PostgreSQL (its password in private.request_data_source_secrets). Registered through the planning-sources edge function as planning''s sources are; owned by the response (never by a planning version). Accepting the request accepts the item''s latest ready source of the accepted round (accepted_at); data profiling runs the attribute''s rules on it. Keeps its columns'' shape only: no min, max or example values.';
comment on column public.request_data_sources.item_id is 'The request item (an in-scope attribute) the source supplies; set to the response''s item when the response names one.';
comment on column public.request_data_sources.attribute_id is 'The planning attribute of the item (set by the database).';
comment on column public.request_data_sources.attribute_name is 'The attribute''s name as the item names it (set by the database); profiling finds the accepted source of an attribute by it within the cycle report.';
comment on column public.request_data_sources.round is 'The response''s round (set by the database).';
comment on column public.request_data_sources.schema is 'The table''s shape: {columns: [{name, originalName, position, type, pgType, nullable, nullCount, distinctCount, maxLength}]}; min, max and examples are removed by the database.';
comment on column public.request_data_sources.accepted_at is 'When the tester accepted the request with this source as its item''s answer (set by accept_request); null otherwise.';

create table private.request_data_source_secrets (
  data_source_id uuid primary key references public.request_data_sources (id) on delete cascade,
  password text not null,
  updated_at timestamptz not null default now()
);
comment on table private.request_data_source_secrets is
  'Passwords of database sources given in responses to data requests. Readable only by the service_role (edge functions).';
alter table private.request_data_source_secrets enable row level security;
revoke all on private.request_data_source_secrets from public, anon, authenticated;
grant select, insert, update, delete on private.request_data_source_secrets to service_role;

-- The checks of a new source, also run by the planning-sources function before it loads a byte --------------
create function private.check_request_source_response(p_response_id bigint, p_item_id bigint)
returns public.request_items
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_response public.request_responses;
  v_request public.requests;
  v_kind text;
  v_item public.request_items;
begin
  select * into v_response from public.request_responses s where s.id = p_response_id;
  if not found or not private.can_read_request(v_response.request_id) then
    raise exception using errcode = 'PT404', detail = 'response_not_found',
      message = 'The response does not exist or is not visible to you.';
  end if;
  if v_response.author_id is distinct from auth.uid() then
    raise exception using errcode = 'PT403', detail = 'respond_requires_assignee',
      message = 'A data source is given by the data provider who wrote the response.';
  end if;
  select * into v_request from public.requests r where r.id = v_response.request_id;
  select d.request_item_kind into v_kind from public.phase_definitions d where d.name = v_request.phase_name;
  if v_kind is distinct from 'attribute' then
    raise exception using errcode = 'PT409', detail = 'data_source_requires_data_request',
      message = 'Only a data request (an attribute''s source data) is answered with a data source; send files as evidence instead.';
  end if;
  if v_request.status not in ('sent', 'returned') or v_response.round <> v_request.return_count then
    raise exception using errcode = 'PT409', detail = 'request_not_awaiting_response',
      message = 'A data source is given while the request awaits the response.';
  end if;
  if v_response.item_id is not null and p_item_id is not null and p_item_id <> v_response.item_id then
    raise exception using errcode = 'PT400', detail = 'item_not_in_request',
      message = 'A data source supplies the item its response answers.';
  end if;
  select * into v_item from public.request_items i
   where i.id = coalesce(v_response.item_id, p_item_id) and i.request_id = v_request.id;
  if not found then
    -- A request of one item needs no choice.
    select * into v_item from public.request_items i
     where i.request_id = v_request.id and p_item_id is null and v_response.item_id is null
       and (select count(*) from public.request_items o where o.request_id = v_request.id) = 1;
  end if;
  if v_item.id is null then
    raise exception using errcode = 'PT400', detail = 'item_not_in_request',
      message = 'A data source supplies an item (an attribute) of its own request; say which.';
  end if;
  return v_item;
end;
$$;
comment on function private.check_request_source_response(bigint, bigint) is
  'Whether the caller may give a data source in this response, for this item (null: the response''s item, or the request''s only item), and which request item it supplies. The caller is the response''s author, the request a data request awaiting this response''s round. Errors: PT404 response_not_found; PT403 respond_requires_assignee; PT409 data_source_requires_data_request, request_not_awaiting_response; PT400 item_not_in_request.';
revoke all on function private.check_request_source_response(bigint, bigint) from public;
grant execute on function private.check_request_source_response(bigint, bigint) to service_role;

create function private.check_request_source_test(p_id uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_source public.request_data_sources;
begin
  select * into v_source from public.request_data_sources s where s.id = p_id;
  if not found or not private.can_read_request(v_source.request_id) then
    raise exception using errcode = 'PT404', detail = 'data_source_not_found',
      message = 'This data source does not exist or is not visible to you.';
  end if;
  if v_source.created_by is distinct from auth.uid() then
    raise exception using errcode = 'PT403', detail = 'respond_requires_assignee',
      message = 'A response''s database source is tested by the data provider who gave it.';
  end if;
  if not exists (select 1 from public.requests r where r.id = v_source.request_id and r.status in ('sent', 'returned')
                    and r.return_count = v_source.round) then
    raise exception using errcode = 'PT409', detail = 'request_not_awaiting_response',
      message = 'A response''s database source is tested while the request awaits the response.';
  end if;
end;
$$;
comment on function private.check_request_source_test(uuid) is
  'Whether the caller may test a response''s database source (its provider, while the request awaits that round): checked by the planning-sources function before it connects with the stored password. Errors: PT404 data_source_not_found; PT403 respond_requires_assignee; PT409 request_not_awaiting_response.';
revoke all on function private.check_request_source_test(uuid) from public;
grant execute on function private.check_request_source_test(uuid) to service_role;

-- The guard --------------------------------------------------------------------------------------------------
create function private.guard_request_data_source()
returns trigger
language plpgsql
security definer
set search_path = ''
as $_$
declare
  v_response public.request_responses;
  v_request public.requests;
  v_kind text;
  v_item public.request_items;
begin
  if tg_op = 'DELETE' then
    raise exception using errcode = 'PT409', detail = 'response_immutable',
      message = 'A response and its data source are kept as they were given; add another response instead.';
  end if;
  if tg_op = 'UPDATE' then
    -- Only the connection test (status, schema, row count, error, checked time) and the acceptance change a source.
    if (to_jsonb(new) - array['status', 'schema', 'row_count', 'error', 'checked_at', 'accepted_at', 'accepted_by'])
       is distinct from (to_jsonb(old) - array['status', 'schema', 'row_count', 'error', 'checked_at', 'accepted_at', 'accepted_by']) then
      raise exception using errcode = 'PT409', detail = 'data_source_column_immutable',
        message = 'A response''s data source keeps what it was given; add another response instead.';
    end if;
    if (new.accepted_at, new.accepted_by) is distinct from (old.accepted_at, old.accepted_by)
       and coalesce(current_setting('regtest.accepting_request_id', true), '') <> old.request_id::text then
      raise exception using errcode = 'PT409', detail = 'data_source_acceptance_derived',
        message = 'A source is accepted by accepting its request (accept_request).';
    end if;
    if (new.status, new.schema, new.row_count, new.error, new.checked_at)
       is distinct from (old.status, old.schema, old.row_count, old.error, old.checked_at) then
      if old.source_type <> 'database' then
        raise exception using errcode = 'PT409', detail = 'data_source_column_immutable',
          message = 'An uploaded source keeps the table and schema it was loaded with.';
      end if;
      if not (private.is_service() or private.is_operator()) and not exists (
        select 1 from public.requests r where r.id = old.request_id and r.status in ('sent', 'returned')
          and r.assignee_id = auth.uid() and r.return_count = old.round) then
        raise exception using errcode = 'PT409', detail = 'request_not_awaiting_response',
          message = 'A response''s database source is tested by its data provider while the request awaits the response.';
      end if;
    end if;
  else
    v_item := private.check_request_source_response(new.response_id, new.item_id);
    select * into v_response from public.request_responses s where s.id = new.response_id;
    select * into v_request from public.requests r where r.id = v_response.request_id;
    new.item_id := v_item.id;
    new.request_id := v_request.id;
    new.cycle_report_id := v_request.cycle_report_id;
    new.attribute_id := v_item.attribute_id;
    new.attribute_name := v_item.attribute_name;
    new.round := v_response.round;
    new.created_by := auth.uid();
    new.created_at := now();
    new.accepted_at := null;
    new.accepted_by := null;
    if new.source_type = 'file_upload' then
      if num_nonnulls(new.host, new.port, new.database_name, new.username) > 0 then
        raise exception using errcode = 'PT400', detail = 'invalid_data_source',
          message = 'A file upload has no connection details.';
      end if;
      new.schema_name := 'source_data';
      if new.table_name is null or new.table_name !~ '^upload_[a-z0-9]{1,56}$'
         or to_regclass(format('source_data.%I', new.table_name)) is null
         or exists (select 1 from public.planning_data_sources p where p.table_name = new.table_name and p.source_type = 'file_upload')
         or exists (select 1 from public.request_data_sources o where o.table_name = new.table_name and o.source_type = 'file_upload') then
        raise exception using errcode = 'PT400', detail = 'invalid_data_source',
          message = 'A file upload names its own newly loaded table in source_data (upload_…); upload files through the planning-sources function.';
      end if;
      if new.schema is null or new.row_count is null then
        raise exception using errcode = 'PT400', detail = 'invalid_data_source',
          message = 'A file upload records the schema and row count of its table.';
      end if;
      new.status := 'ready';
      new.checked_at := now();
    else
      if nullif(btrim(coalesce(new.host, '')), '') is null or nullif(btrim(coalesce(new.database_name, '')), '') is null
         or nullif(btrim(coalesce(new.table_name, '')), '') is null or nullif(btrim(coalesce(new.username, '')), '') is null then
        raise exception using errcode = 'PT400', detail = 'invalid_data_source',
          message = 'A database source needs a host, a database, a table and a user.';
      end if;
      new.port := coalesce(new.port, 5432);
      new.schema_name := coalesce(nullif(btrim(new.schema_name), ''), 'public');
      new.status := 'pending';
      new.schema := null;
      new.row_count := null;
      new.checked_at := null;
    end if;
  end if;
  if new.status = 'ready' and new.schema is null then
    raise exception using errcode = 'PT400', detail = 'invalid_data_source',
      message = 'A ready data source has a schema.';
  end if;
  if new.status <> 'error' then
    new.error := null;
  end if;
  -- The shape only: measured values (min, max, examples) are never kept for a response's source.
  if new.schema is not null then
    new.schema := jsonb_set(new.schema, '{columns}', coalesce((
      select jsonb_agg(c - array['min', 'max', 'examples'] order by o)
        from jsonb_array_elements(new.schema -> 'columns') with ordinality e (c, o)), '[]'::jsonb));
  end if;
  return new;
end;
$_$;
comment on function private.guard_request_data_source() is
  'Trigger: a data source is given by the response''s author, only for a data request (request_item_kind attribute) awaiting that response, for an item of the request; an upload names a newly loaded upload_… table with its schema and row count, a database source its host, database, table and user (pending until tested). Afterwards only the connection test (database sources, by the assignee while the request awaits the response, or the service_role) and the acceptance (accept_request) change it; never deleted. Min, max and examples are stripped from the schema. Errors: PT403 respond_requires_assignee; PT404 response_not_found; PT409 data_source_requires_data_request, request_not_awaiting_response, data_source_column_immutable, data_source_acceptance_derived, response_immutable; PT400 item_not_in_request, invalid_data_source.';
revoke all on function private.guard_request_data_source() from public;

create trigger guard_request_data_source before insert or update or delete on public.request_data_sources
  for each row execute function private.guard_request_data_source();
create trigger refuse_truncate before truncate on public.request_data_sources
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.request_data_sources', '{}');

alter table public.request_data_sources enable row level security;
create policy "Readers of a request can read its data sources" on public.request_data_sources
  for select to authenticated
  using (request_id in (select private.readable_request_ids()));

revoke all on public.request_data_sources from anon, authenticated;
grant select on public.request_data_sources to authenticated;
grant all on public.request_data_sources to service_role;

-- Acceptance -------------------------------------------------------------------------------------------------
create function private.request_source_missing_column(p_source public.request_data_sources)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select a.source_column
    from public.planning_attributes a
   where a.id = p_source.attribute_id
     and a.source_column is not null
     and not exists (select 1 from jsonb_array_elements(coalesce(p_source.schema -> 'columns', '[]')) c
                      where c ->> 'name' = a.source_column)
$$;
comment on function private.request_source_missing_column(public.request_data_sources) is
  'The attribute''s planning source column when a response''s source lacks a column of that name, or null. A provider''s source carries the attribute under the planning source''s column name, so the rules and the masking of that column apply to it unchanged.';
revoke all on function private.request_source_missing_column(public.request_data_sources) from public;

create function private.accept_request_data_sources()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_source public.request_data_sources;
  v_missing text;
begin
  perform set_config('regtest.accepting_request_id', new.id::text, true);
  for v_source in
    select distinct on (s.item_id) s.*
      from public.request_data_sources s
     where s.request_id = new.id and s.round = new.return_count
     order by s.item_id, s.created_at desc, s.id desc
  loop
    if v_source.status <> 'ready' then
      raise exception using errcode = 'PT409', detail = 'data_source_not_ready',
        message = format('The data source %s for %s is not ready (%s): test its connection, or return the request.',
          v_source.name, v_source.attribute_name, v_source.status);
    end if;
    v_missing := private.request_source_missing_column(v_source);
    if v_missing is not null then
      raise exception using errcode = 'PT409', detail = 'data_source_lacks_attribute_column',
        message = format('The data source %s has no column %s, under which planning maps %s; return the request.',
          v_source.name, v_missing, v_source.attribute_name);
    end if;
    update public.request_data_sources set accepted_at = now(), accepted_by = auth.uid() where id = v_source.id;
  end loop;
  perform set_config('regtest.accepting_request_id', '', true);
  return null;
end;
$$;
comment on function private.accept_request_data_sources() is
  'Trigger: when a data request is accepted, the latest source given for each item in the accepted round is accepted (accepted_at, accepted_by); it must be ready (PT409 data_source_not_ready) and carry the attribute''s planning source column (PT409 data_source_lacks_attribute_column), else the acceptance is refused.';
revoke all on function private.accept_request_data_sources() from public;

create trigger accept_request_data_sources after update of status on public.requests
  for each row when (new.status = 'accepted' and old.status is distinct from 'accepted')
  execute function private.accept_request_data_sources();

create function private.accepted_request_source(p_cycle_report_id bigint, p_attribute_name text)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.id
    from public.request_data_sources s
   where s.cycle_report_id = p_cycle_report_id and s.attribute_name = p_attribute_name and s.accepted_at is not null
   order by s.accepted_at desc, s.created_at desc
   limit 1
$$;
comment on function private.accepted_request_source(bigint, text) is
  'The source a data request accepted for the attribute of this name in the cycle report (the latest accepted), or null: then the planning source is used.';
revoke all on function private.accepted_request_source(bigint, text) from public;
grant execute on function private.accepted_request_source(bigint, text) to service_role;
