-- Re-performance: re-draws a version's samples from its population with the stored method, parameters, seed and
-- generator, compares the population's snapshot and the drawn keys with the stored ones, and reports
-- "identical" or exactly what differs. Every re-performance is kept with the version (append-only).

create table public.sample_reperformances (
  id bigint generated always as identity primary key,
  version_id uuid not null references public.artifact_versions (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id),
  performed_by uuid references public.profiles (id),
  performed_at timestamptz not null default now(),
  identical boolean not null,
  result jsonb not null check (jsonb_typeof(result) = 'object')
);
comment on table public.sample_reperformances is
  'Each re-performance of a version''s sample selection (public.reperform_sample_selection): who, when, whether it was identical, and the full report (population snapshot then and now, keys missing from or added to the draw). Append-only; kept with the version, approved ones included.';
comment on column public.sample_reperformances.result is
  '{verdict: identical | different, population: {stored, current, changed: [row_count | amount_sum | key_hash | strata]}, samples: {stored_count, redrawn_count, missing, added, order_differs, error}, version_samples: {drawn_not_in_version}, method, seed, generator_version}.';

create index sample_reperformances_version_id_idx on public.sample_reperformances (version_id, performed_at desc);
create index sample_reperformances_cycle_report_id_idx on public.sample_reperformances (cycle_report_id);
create index sample_reperformances_performed_by_idx on public.sample_reperformances (performed_by);

alter table public.sample_reperformances enable row level security;
revoke all on table public.sample_reperformances from anon, authenticated;
grant select on table public.sample_reperformances to authenticated;
grant select on table public.sample_reperformances to service_role;
create policy "Assigned testers, owners and admins can read re-performances" on public.sample_reperformances
  for select to authenticated using (cycle_report_id in (select private.readable_cycle_report_ids()));
select private.attach_audit('public.sample_reperformances');

create function private.refuse_reperformance_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and not exists (select 1 from public.artifact_versions v where v.id = old.version_id) then
    return old; -- its draft is being deleted
  end if;
  raise exception using errcode = 'PT409', detail = 'reperformance_final',
    message = 'A re-performance is a record: it is never changed or removed.';
end;
$$;
comment on function private.refuse_reperformance_change() is
  'Trigger: re-performances are never updated or deleted (PT409 reperformance_final), except with the draft they belong to.';
revoke execute on function private.refuse_reperformance_change() from public;
create trigger refuse_reperformance_change before update or delete on public.sample_reperformances
  for each row execute function private.refuse_reperformance_change();
create trigger refuse_truncate before truncate on public.sample_reperformances
  for each statement execute function private.refuse_truncate();

create function public.reperform_sample_selection(p_version_id uuid)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_stored public.sample_selections;
  v_redo public.sample_selections;
  v_snapshot jsonb;
  v_changed text[] := '{}';
  v_keys text[];
  v_error text;
  v_missing text[];
  v_added text[];
  v_not_in_version text[];
  v_identical boolean;
  v_result jsonb;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  select * into v_stored from public.sample_selections s where s.version_id = p_version_id;
  if v_stored.version_id is null then
    raise exception using errcode = 'PT409', detail = 'no_sample_selection',
      message = 'This version has no recorded selection to re-perform.';
  end if;

  v_redo := v_stored;
  begin
    v_snapshot := private.population_snapshot(v_stored);
    if (v_snapshot ->> 'row_count')::bigint is distinct from v_stored.population_row_count then
      v_changed := v_changed || 'row_count'::text;
    end if;
    if (v_snapshot ->> 'amount_sum')::numeric is distinct from v_stored.population_amount_sum then
      v_changed := v_changed || 'amount_sum'::text;
    end if;
    if v_snapshot ->> 'key_hash' is distinct from v_stored.population_key_hash then
      v_changed := v_changed || 'key_hash'::text;
    end if;
    v_redo.population_row_count := (v_snapshot ->> 'row_count')::bigint;
    if v_stored.method = 'stratified' then
      v_redo.strata := private.stratum_allocation(v_redo);
      if v_redo.strata is distinct from v_stored.strata then
        v_changed := v_changed || 'strata'::text;
      end if;
    end if;
    select coalesce(array_agg(d.sample_key order by d.selection_order), '{}') into v_keys from private.draw_samples(v_redo) d;
  exception when others then
    -- The population no longer allows the draw (a column gone, too few rows…): that is the difference.
    get stacked diagnostics v_error = message_text;
    v_keys := null;
  end;

  if v_keys is not null then
    select coalesce(array_agg(k order by o), '{}') into v_missing
      from unnest(v_stored.drawn_keys) with ordinality x(k, o) where k <> all (v_keys);
    select coalesce(array_agg(k order by o), '{}') into v_added
      from unnest(v_keys) with ordinality x(k, o) where k <> all (v_stored.drawn_keys);
  end if;
  select coalesce(array_agg(k order by o), '{}') into v_not_in_version
    from unnest(v_stored.drawn_keys) with ordinality x(k, o)
   where not exists (select 1 from public.sample_decisions d where d.version_id = p_version_id and d.sample_key = k);
  v_identical := v_error is null and cardinality(v_changed) = 0 and v_keys = v_stored.drawn_keys;

  v_result := jsonb_build_object(
    'verdict', case when v_identical then 'identical' else 'different' end,
    'method', v_stored.method, 'seed', v_stored.seed, 'generator_version', v_stored.generator_version,
    'population', jsonb_build_object(
      'stored', jsonb_build_object('row_count', v_stored.population_row_count, 'amount_sum', v_stored.population_amount_sum,
                                   'key_hash', v_stored.population_key_hash),
      'current', v_snapshot, 'changed', to_jsonb(v_changed)),
    'samples', jsonb_build_object(
      'stored_count', cardinality(v_stored.drawn_keys), 'redrawn_count', cardinality(v_keys),
      'missing', to_jsonb(v_missing), 'added', to_jsonb(v_added),
      'order_differs', v_keys is not null and cardinality(v_missing) = 0 and cardinality(v_added) = 0 and v_keys <> v_stored.drawn_keys,
      'error', v_error),
    'version_samples', jsonb_build_object('drawn_not_in_version', to_jsonb(v_not_in_version)));
  insert into public.sample_reperformances (version_id, cycle_report_id, performed_by, identical, result)
  values (p_version_id, v_version.cycle_report_id, auth.uid(), v_identical, v_result)
  returning v_result || jsonb_build_object('id', id, 'performed_at', performed_at) into v_result;
  return v_result;
end;
$$;
comment on function public.reperform_sample_selection(uuid) is
  'Re-draws a version''s samples from its recorded population with the stored method, parameters, seed and generator; compares the population''s snapshot (row count, amount sum, key hash; strata for stratified selections) and the drawn keys with the stored ones; records the result in sample_reperformances and returns it: {verdict: identical | different, population {stored, current, changed}, samples {stored_count, redrawn_count, missing, added, order_differs, error}, version_samples {drawn_not_in_version}, …}. Anyone who reads the cycle report, in any state of the version. Errors: PT404 version_not_found; PT409 no_sample_selection.';
revoke execute on function public.reperform_sample_selection(uuid) from public, anon, authenticated, service_role;
grant execute on function public.reperform_sample_selection(uuid) to authenticated;
