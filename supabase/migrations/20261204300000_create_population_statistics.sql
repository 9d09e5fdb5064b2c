-- Kept population statistics (docs/decisions/036-kept-population-statistics.md): the statistics a sample
-- selection's snapshot needs (row count, exact amount sum, a seed-independent key fingerprint, row counts per
-- stratum) are counted once per population (a source_data table, a filter, a key column, an amount column, a
-- stratum column) and kept in private.population_statistics, so that a draw scans its population only once for its
-- ranks. They are kept truthfully:
--   - every source_data table has a statement-level trigger (after insert, update, delete and truncate, enabled
--     ALWAYS so that session_replication_role = replica does not silence it) that raises the table's generation in
--     private.population_generations (and drops its kept statistics); statistics are used only at the generation
--     they were counted at. The trigger is installed when a table is created in source_data (event trigger, where
--     the database allows one), by the ingestion, by this migration on the tables already there, and by the first
--     draw on a table that lacks it (before it counts anything);
--   - a signature of the table's definition is kept with them and compared when they are used: its identity and
--     storage (relfilenode: truncate, rewrite by ALTER TABLE … TYPE, VACUUM FULL, CLUSTER), the catalogue row's
--     xmin and cmin (any ALTER TABLE, also within the transaction that counted), its columns (number, name, type, typmod, collation), its inheritance children, the
--     trigger's oid, state and the xmin of its row (a trigger disabled and enabled again, dropped and recreated), and
--     the settings that shape key::text and literal comparisons (DateStyle, IntervalStyle, TimeZone,
--     extra_float_digits, bytea_output; the database's collation version). A dropped table's statistics are never
--     used again: its oid is gone, and a table of the same name is another oid.
-- What is not detected: a superuser who writes the data files, the catalogues or private.population_statistics
-- directly.

create table private.population_generations (
  table_oid oid primary key,
  generation bigint not null default 0,
  changed_at timestamptz not null default now()
);
comment on table private.population_generations is
  'The generation of each source_data table: raised by private.note_population_change at the end of every insert, update, delete or truncate statement on it. Kept population statistics are valid only at the generation they were counted at.';
alter table private.population_generations enable row level security;
revoke all on table private.population_generations from public, anon, authenticated, service_role;

create table private.population_statistics (
  id bigint generated always as identity primary key,
  table_oid oid not null,
  population_table text not null,
  generation bigint not null,
  signature text not null,
  key_column text not null,
  amount_column text,
  stratum_column text,
  filter jsonb not null default '[]',
  row_count bigint not null,
  amount_sum numeric,
  amount_count bigint,
  key_fingerprint numeric not null,
  strata jsonb not null default '[]' check (jsonb_typeof(strata) = 'array'),
  computed_at timestamptz not null,
  duration_ms numeric
);
comment on table private.population_statistics is
  'Kept statistics of a population (a source_data table with a filter, a key column, an amount column and a stratum column): row_count, amount_sum (exact numeric sum of the amount column) and amount_count (its non-null values), key_fingerprint (the exact sum over rows of hashtextextended(key::text collate "C", 0), seed-independent), strata ([{stratum, population}] by the stratum column, byte order, null last), counted at computed_at at the table''s generation and with its signature (private.population_signature). Read and written by private.population_statistics_of only; see docs/decisions/036-kept-population-statistics.md.';
create unique index population_statistics_population_idx on private.population_statistics
  (table_oid, key_column, (coalesce(amount_column, '')), (coalesce(stratum_column, '')), (md5(filter::text)));
alter table private.population_statistics enable row level security;
revoke all on table private.population_statistics from public, anon, authenticated, service_role;

-- The trigger -------------------------------------------------------------------------------------------------------
create function private.note_population_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A trigger function: it runs only as the trigger of a source_data table, for the statement that changed it.
  if tg_level <> 'STATEMENT' or tg_table_schema <> 'source_data' then
    raise exception using errcode = 'PT400', detail = 'not_a_source_table',
      message = 'private.note_population_change is the statement trigger of source_data tables.';
  end if;
  insert into private.population_generations as g (table_oid, generation, changed_at)
  values (tg_relid, 1, now())
  on conflict (table_oid) do update set generation = g.generation + 1, changed_at = now();
  delete from private.population_statistics s where s.table_oid = tg_relid;
  return null;
end;
$$;
comment on function private.note_population_change() is
  'Statement trigger (after insert, update, delete, truncate; enabled always) of every source_data table: raises the table''s generation and drops its kept statistics, so that none is used for data it was not counted on.';

create function private.watch_population_table(p_table regclass)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if (select n.nspname from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where c.oid = p_table and c.relkind = 'r') is distinct from 'source_data' then
    raise exception using errcode = 'PT400', detail = 'not_a_source_table',
      message = format('%s is not a table of source_data.', p_table);
  end if;
  if exists (select 1 from pg_catalog.pg_trigger t
              where t.tgrelid = p_table and t.tgname = 'population_statistics_invalidate'
                and t.tgfoid = 'private.note_population_change()'::regprocedure and t.tgenabled = 'A') then
    return false;
  end if;
  if exists (select 1 from pg_catalog.pg_trigger t where t.tgrelid = p_table and t.tgname = 'population_statistics_invalidate') then
    execute format('drop trigger population_statistics_invalidate on %s', p_table);
  end if;
  execute format('create trigger population_statistics_invalidate after insert or update or delete or truncate on %s
                    for each statement execute function private.note_population_change()', p_table);
  execute format('alter table %s enable always trigger population_statistics_invalidate', p_table);
  -- Whatever was kept for the table before (by an earlier trigger) is not trusted.
  perform private.note_population_change_of(p_table);
  return true;
end;
$$;
comment on function private.watch_population_table(regclass) is
  'Installs the statement trigger private.note_population_change (enabled always) on a source_data table, unless it is there and enabled; returns whether it installed it. Runs as the caller, who must own the table (the ingestion, migrations, the draw''s security definer functions). Errors: PT400 not_a_source_table.';

create function private.note_population_change_of(p_table regclass)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.population_generations as g (table_oid, generation, changed_at)
  values (p_table, 1, now())
  on conflict (table_oid) do update set generation = g.generation + 1, changed_at = now();
  delete from private.population_statistics s where s.table_oid = p_table;
$$;
comment on function private.note_population_change_of(regclass) is
  'Raises a source_data table''s generation and drops its kept statistics (when its trigger is installed anew).';

create function private.watch_new_source_tables()
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
    perform private.watch_population_table(v_object.objid::regclass);
  end loop;
end;
$$;
comment on function private.watch_new_source_tables() is
  'Event trigger: every table created in source_data gets the statement trigger that keeps its population statistics truthful (private.watch_population_table).';

do $$
begin
  create event trigger watch_new_source_tables
    on ddl_command_end
    when tag in ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
    execute function private.watch_new_source_tables();
exception when insufficient_privilege then
  raise warning 'watch_new_source_tables: event triggers are not allowed here; the ingestion and the first draw install the trigger';
end
$$;

select private.watch_population_table(c.oid::regclass)
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
 where n.nspname = 'source_data' and c.relkind = 'r';

-- The signature -------------------------------------------------------------------------------------------------
create function private.population_signature(p_table regclass)
returns text
language sql
stable
set search_path = ''
as $$
  select md5(concat_ws(' | ',
    c.oid::text, c.relkind::text, c.relfilenode::text, c.xmin::text, c.cmin::text, c.relforcerowsecurity::text,
    (select string_agg(concat_ws(':', a.attnum, a.attname, a.atttypid, a.atttypmod, a.attcollation, a.xmin, a.cmin), ',' order by a.attnum)
       from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
    (select string_agg(i.inhrelid::text, ',' order by i.inhrelid) from pg_catalog.pg_inherits i where i.inhparent = c.oid),
    (select string_agg(concat_ws(':', t.oid, t.xmin, t.cmin, t.tgenabled, t.tgtype, t.tgattr::text, t.tgqual is null), ',' order by t.oid)
       from pg_catalog.pg_trigger t
      where t.tgrelid = c.oid and t.tgname = 'population_statistics_invalidate'
        and t.tgfoid = 'private.note_population_change()'::regprocedure),
    current_setting('DateStyle'), current_setting('IntervalStyle'), current_setting('TimeZone'),
    current_setting('extra_float_digits'), current_setting('bytea_output'),
    (select coalesce(pg_catalog.pg_database_collation_actual_version(d.oid), '') from pg_catalog.pg_database d
      where d.datname = pg_catalog.current_database())))
    from pg_catalog.pg_class c where c.oid = p_table
$$;
comment on function private.population_signature(regclass) is
  'A digest of what, besides its rows, decides a source_data table''s population statistics: identity, storage (relfilenode), its catalogue row''s xmin and cmin (any ALTER TABLE), columns, inheritance children, the statistics trigger (oid, state, xmin and cmin of its row), and the settings that shape key::text and comparisons. Kept statistics are used only while it is the same.';

create function private.population_watched(p_table regclass)
returns boolean
language sql
stable
set search_path = ''
as $$
  -- The trigger fires for every insert, update, delete and truncate statement: after, per statement (tgtype 60 =
  -- insert 4 + delete 8 + update 16 + truncate 32), on every column, without a condition, enabled always; and no
  -- child table's rows are read through this one without passing its trigger.
  select exists (select 1 from pg_catalog.pg_trigger t
                  where t.tgrelid = p_table and t.tgname = 'population_statistics_invalidate'
                    and t.tgfoid = 'private.note_population_change()'::regprocedure
                    and t.tgenabled = 'A' and t.tgtype = 60 and t.tgattr::text = '' and t.tgqual is null)
     and not exists (select 1 from pg_catalog.pg_inherits i where i.inhparent = p_table)
     and (select c.relkind from pg_catalog.pg_class c where c.oid = p_table) = 'r'
$$;
comment on function private.population_watched(regclass) is
  'Whether a source_data table''s changes all pass the statistics trigger, so that its statistics may be kept: the trigger is there as installed, and the table is a plain table without children.';

revoke execute on function private.note_population_change(), private.watch_population_table(regclass),
  private.note_population_change_of(regclass), private.watch_new_source_tables(),
  private.population_signature(regclass), private.population_watched(regclass) from public;

-- Counting and keeping ----------------------------------------------------------------------------------------------
create function private.population_statistics_of(p_selection public.sample_selections, p_recount boolean default false)
returns private.population_statistics
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_population public.sample_selections := p_selection;
  v_stratum_column text;
  v_watched boolean;
  v_signature text;
  v_stats private.population_statistics;
  v_result jsonb;
  v_started timestamptz;
begin
  -- The population is the table, its filter and key; keys already in the version are the draw's concern
  -- (subtracted by the caller), so statistics are shared by every version that draws from the same population.
  v_population.excluded_keys := '{}';
  if p_selection.method = 'stratified' then
    v_stratum_column := private.population_column(v_table, p_selection.parameters ->> 'stratum_column', 'stratum column');
  end if;
  -- Held to the end of the transaction: the table's definition (and its trigger) cannot change under the draw.
  execute format('lock table %s in access share mode', v_table);
  v_watched := private.population_watched(v_table);
  if not v_watched then
    begin
      perform private.watch_population_table(v_table);
      v_watched := private.population_watched(v_table);
    exception when insufficient_privilege then
      v_watched := false; -- not the table's owner: counted for this draw only, never kept
    end;
  end if;
  v_signature := private.population_signature(v_table);
  if v_watched and not p_recount then
    select s.* into v_stats
      from private.population_statistics s
      left join private.population_generations g on g.table_oid = s.table_oid
     where s.table_oid = v_table and s.key_column = p_selection.key_column
       and coalesce(s.amount_column, '') = coalesce(p_selection.amount_column, '')
       and coalesce(s.stratum_column, '') = coalesce(v_stratum_column, '')
       and md5(s.filter::text) = md5(p_selection.filter::text) and s.filter = p_selection.filter
       and s.signature = v_signature and s.generation = coalesce(g.generation, 0);
    if found then
      return v_stats;
    end if;
  end if;

  -- Count them: one scan, in parallel where the server can. The generation is read in the same statement, so
  -- under the same snapshot as the rows.
  v_started := clock_timestamp();
  execute format(
    'select jsonb_build_object(
              ''generation'', (select g.generation from private.population_generations g where g.table_oid = %1$s),
              ''row_count'', coalesce(sum(s.n), 0), ''amount_sum'', sum(s.a), ''amount_count'', sum(s.ac), ''key_fingerprint'', coalesce(sum(s.h), 0),
              ''strata'', case when %2$s then coalesce(jsonb_agg(jsonb_build_object(''stratum'', s.s, ''population'', s.n)
                                                     order by s.s collate "C" nulls last), ''[]'') else ''[]'' end)
       from (select %3$s as s, count(*) as n, %4$s as a, %9$s as ac, sum(hashtextextended(p.%5$I::text collate "C", 0)) as h
               from %6$s p where %7$s %8$s) s',
    v_table::oid, case when v_stratum_column is null then 'false' else 'true' end,
    case when v_stratum_column is null then 'null::text' else format('p.%I::text', v_stratum_column) end,
    case when p_selection.amount_column is null then 'null::numeric'
         else format('sum(p.%I::numeric)', private.population_column(v_table, p_selection.amount_column, 'amount column')) end,
    p_selection.key_column, v_table, private.population_conditions(v_population),
    case when v_stratum_column is null then '' else 'group by 1' end,
    case when p_selection.amount_column is null then 'null::bigint' else format('count(p.%I)', p_selection.amount_column) end)
    into v_result;
  v_stats.table_oid := v_table;
  v_stats.population_table := p_selection.population_table;
  v_stats.generation := coalesce((v_result ->> 'generation')::bigint, 0);
  v_stats.signature := v_signature;
  v_stats.key_column := p_selection.key_column;
  v_stats.amount_column := p_selection.amount_column;
  v_stats.stratum_column := v_stratum_column;
  v_stats.filter := p_selection.filter;
  v_stats.row_count := (v_result ->> 'row_count')::bigint;
  v_stats.amount_sum := (v_result ->> 'amount_sum')::numeric;
  v_stats.amount_count := (v_result ->> 'amount_count')::bigint;
  v_stats.key_fingerprint := (v_result ->> 'key_fingerprint')::numeric;
  v_stats.strata := v_result -> 'strata';
  v_stats.computed_at := v_started;
  v_stats.duration_ms := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  if v_watched then
    insert into private.population_statistics as s (table_oid, population_table, generation, signature, key_column,
      amount_column, stratum_column, filter, row_count, amount_sum, amount_count, key_fingerprint, strata, computed_at, duration_ms)
    values (v_stats.table_oid, v_stats.population_table, v_stats.generation, v_stats.signature, v_stats.key_column,
      v_stats.amount_column, v_stats.stratum_column, v_stats.filter, v_stats.row_count, v_stats.amount_sum,
      v_stats.amount_count, v_stats.key_fingerprint, v_stats.strata, v_stats.computed_at, v_stats.duration_ms)
    on conflict (table_oid, key_column, (coalesce(amount_column, '')), (coalesce(stratum_column, '')), (md5(filter::text)))
    do update set population_table = excluded.population_table, generation = excluded.generation,
      signature = excluded.signature, filter = excluded.filter, row_count = excluded.row_count,
      amount_sum = excluded.amount_sum, amount_count = excluded.amount_count, key_fingerprint = excluded.key_fingerprint, strata = excluded.strata,
      computed_at = excluded.computed_at, duration_ms = excluded.duration_ms
    returning s.id into v_stats.id;
  end if;
  return v_stats;
end;
$$;
comment on function private.population_statistics_of(public.sample_selections, boolean) is
  'The statistics of a selection''s population (its table, filter, key column, amount column and, stratified, stratum column; keys already in the version not left out): the kept ones when they were counted at the table''s current generation and signature, else counted now in one scan and kept (id null: counted, not kept, because the table''s changes cannot all be seen: not its owner). p_recount counts them again in any case. Locks the table in access share mode for the rest of the transaction and installs its statistics trigger if it lacks it.';
revoke execute on function private.population_statistics_of(public.sample_selections, boolean) from public;
