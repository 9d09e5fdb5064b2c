-- A sample's values stay out of the REST API and the audit log; people read them masked when they read.
--
-- Before: sample_decisions.sample_data held the sample's values, masked by the classification of the moment the
-- sample was drawn. A column that a later planning version classified confidential or restricted, or that a PDE
-- mapping flagged as personal data, kept its earlier samples' values readable by the testers and owners over REST,
-- in the app, the samples CSV and the test cases made from them, and copied whole into audit_log.
-- Now the values live in private.sample_values (no API role but the service_role reads it): the last before
-- trigger of every insert (withhold_sample_values) takes them out of the row, so the table, its REST answers and
-- the audit log hold the key only (sample_key) and sample_data is {}. People read the values through the
-- computed field public.masked_sample_data(sample_decisions) (REST: select=masked_sample_data), which masks the
-- columns private.profiling_masked_source_columns masks at the time of the read. Values already stored are moved.
-- The writers (run_sample_selection, add_requested_samples, the population look-up of shape_sample_decision,
-- create_version's copy) are not restated.

create table private.sample_values (
  version_id uuid not null references public.artifact_versions (id) on delete cascade,
  sample_key text not null,
  data_source_id uuid references public.planning_data_sources (id) on delete set null,
  columns jsonb not null check (jsonb_typeof(columns) = 'object'),
  primary key (version_id, sample_key)
);
comment on table private.sample_values is
  'The values of a sample (sample_decisions, by version and key), by column of its population: {"<column>": value}, as the draw read them (columns masked at the draw already hold ''***''), and the planning data source they were read from, whose classification decides what is masked when they are read (public.masked_sample_data). Kept out of sample_decisions.sample_data so that neither REST nor the audit log shows them. A null data source masks every value. Keyed like the sample (version, key) rather than by its id, because the row is written by the sample''s before trigger, before an insert''s on conflict may skip the sample; removed with the sample.';
alter table private.sample_values enable row level security;
revoke all on table private.sample_values from public, anon, authenticated, service_role;
grant select on table private.sample_values to service_role;
create index sample_values_data_source_id_idx on private.sample_values (data_source_id);

-- Writes: the row keeps the key, the values go to the private table -------------------------------------------
create function private.sample_values_source(p_version_id uuid)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  -- The version's own selection; without one (samples an owner asked for, added to a draft that has not drawn),
  -- the newest selection of the same phase, whose population add_requested_samples reads.
  select coalesce(
    (select s.data_source_id from public.sample_selections s where s.version_id = p_version_id),
    (select s.data_source_id from public.sample_selections s
       join public.artifact_versions o on o.id = s.version_id
       join public.artifact_versions v on v.phase_id = o.phase_id
      where v.id = p_version_id
      order by o.version_number desc limit 1))
$$;
comment on function private.sample_values_source(uuid) is
  'The planning data source whose population a sample of the version is read from: the version''s selection, else the newest selection of the same phase.';
revoke all on function private.sample_values_source(uuid) from public;

create function private.withhold_sample_values()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- create_version's copy carries the values of the sample it copies (sample_data is already {} there).
  if new.parent_item_id is not null and private.is_copying_version(new.version_id) then
    insert into private.sample_values (version_id, sample_key, data_source_id, columns)
    select new.version_id, new.sample_key, v.data_source_id, v.columns
      from public.sample_decisions p join private.sample_values v on (v.version_id, v.sample_key) = (p.version_id, p.sample_key)
     where p.id = new.parent_item_id
    on conflict (version_id, sample_key) do nothing;
  end if;
  if new.sample_data is distinct from '{}'::jsonb and new.sample_data is not null then
    -- A sample skipped by an insert's on conflict (its key is in the version already) leaves the values as they were.
    insert into private.sample_values (version_id, sample_key, data_source_id, columns)
    values (new.version_id, new.sample_key, private.sample_values_source(new.version_id), new.sample_data)
    on conflict (version_id, sample_key) do nothing;
    new.sample_data := '{}'::jsonb;
  end if;
  return new;
end;
$$;
comment on function private.withhold_sample_values() is
  'Trigger on sample_decisions, the last before insert: moves the sample''s values out of sample_data into private.sample_values (with the data source of the version''s selection), so the row, its REST answers and its audit rows hold the key only; create_version''s copy gets a copy of the values of the sample it copies. Read them with public.masked_sample_data.';

-- Named to run after shape_sample_decision and shape_sample_recommendation (before triggers run in name order),
-- which fill sample_data or skip the row: the private row is written only for a row that is inserted.
create trigger withhold_sample_values
  before insert on public.sample_decisions
  for each row execute function private.withhold_sample_values();

create function private.forget_sample_values()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.sample_values v using old_rows o where (v.version_id, v.sample_key) = (o.version_id, o.sample_key);
  return null;
end;
$$;
comment on function private.forget_sample_values() is
  'Trigger on sample_decisions after delete (per statement): the values of the deleted samples go with them.';

create trigger forget_sample_values
  after delete on public.sample_decisions
  referencing old table as old_rows
  for each statement execute function private.forget_sample_values();

-- Reads: masked by the classification of the moment ------------------------------------------------------------
create function private.mask_values(p_columns jsonb, p_data_source_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(e.key,
           case when p_data_source_id is null or e.key = any (m.cols) then '"***"'::jsonb else e.value end), '{}'::jsonb)
    from (select case when p_data_source_id is not null
                      then private.profiling_masked_source_columns(p_data_source_id) end as cols) m
    cross join jsonb_each(p_columns) e
$$;
comment on function private.mask_values(jsonb, uuid) is
  'Values by column ({"<column>": value}) with the columns that private.profiling_masked_source_columns masks now for the data source replaced by ''***'' (every value when the data source is unknown), as the draw masks them.';

create function public.masked_sample_data(p_sample public.sample_decisions)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select private.mask_values(v.columns, v.data_source_id)
      from public.sample_decisions s
      join public.artifact_versions av on av.id = s.version_id
      join private.sample_values v on (v.version_id, v.sample_key) = (s.version_id, s.sample_key)
     where s.id = p_sample.id
       and (private.is_privileged() or private.can_read_cycle_report(av.cycle_report_id))), '{}'::jsonb)
$$;
comment on function public.masked_sample_data(public.sample_decisions) is
  'A sample''s values (the key column and the columns the in-scope attributes read), with the columns classified confidential or restricted, or flagged as personal data, by any planning version at the time of the read replaced by ''***'' (private.profiling_masked_source_columns): a later classification masks values drawn earlier. A computed field: REST select=masked_sample_data on sample_decisions (and where it is embedded). {} for a sample the caller cannot read or that holds no values.';

revoke all on function private.withhold_sample_values(), private.forget_sample_values() from public;
revoke all on function private.mask_values(jsonb, uuid) from public;
grant execute on function private.mask_values(jsonb, uuid) to service_role;
revoke all on function public.masked_sample_data(public.sample_decisions) from public, anon, authenticated, service_role;
grant execute on function public.masked_sample_data(public.sample_decisions) to authenticated;

comment on column public.sample_decisions.sample_data is
  'Always {} since 20261204100000: the sample''s values are kept privately (private.sample_values) and read masked by the current classification through the computed field masked_sample_data (REST select=masked_sample_data). Filled by the database from the population, never by a client.';

-- Values already stored: moved, with the data source of the selection that drew them ------------------------------
with recursive origin (id, root_id) as (
  select s.id, s.id from public.sample_decisions s where s.carried_from_decision_id is null
  union all
  select s.id, o.root_id from public.sample_decisions s join origin o on s.carried_from_decision_id = o.id
)
insert into private.sample_values (version_id, sample_key, data_source_id, columns)
select s.version_id, s.sample_key, sel.data_source_id, s.sample_data
  from public.sample_decisions s
  join origin o on o.id = s.id
  join public.sample_decisions r on r.id = o.root_id
  left join public.sample_selections sel on sel.version_id = r.version_id
 where s.sample_data <> '{}'::jsonb;

-- The workflow triggers would refuse changes to approved versions' samples: a one-off correction by the migration,
-- not a change of content (the audit rows that copied the values are scrubbed by 20261204103000).
alter table public.sample_decisions disable trigger user;
update public.sample_decisions set sample_data = '{}'::jsonb where sample_data <> '{}'::jsonb;
alter table public.sample_decisions enable trigger user;
