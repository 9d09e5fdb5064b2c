-- The report owner adds samples: while reviewing a version (pending approval) the owner searches the population
-- by key and asks for samples; the items of that version cannot change any more, so the request is recorded with
-- it, and the tester's next draft takes the requested samples in as `manual` samples recommended by the owner.

create table public.sample_requests (
  id bigint generated always as identity primary key,
  version_id uuid not null references public.artifact_versions (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id),
  sample_key text not null check (char_length(sample_key) between 1 and 1000),
  reason text not null check (char_length(btrim(reason)) between 1 and 2000),
  requested_by uuid references public.profiles (id),
  requested_at timestamptz not null default now(),
  fulfilled_decision_id uuid references public.sample_decisions (id) on delete set null,
  unique (version_id, sample_key)
);
comment on table public.sample_requests is
  'Samples the report owner asked for while reviewing a sample-selection version (request_samples), with the reason; the next draft takes them in as manual samples recommended by the owner (add_requested_samples), and fulfilled_decision_id names the sample that answered the request.';
comment on column public.sample_requests.version_id is 'The version the owner was reviewing when asking.';
comment on column public.sample_requests.fulfilled_decision_id is 'The sample of a later draft added for this request (null while open, or when that draft was deleted).';

create index sample_requests_cycle_report_id_idx on public.sample_requests (cycle_report_id);
create index sample_requests_requested_by_idx on public.sample_requests (requested_by);
create index sample_requests_fulfilled_decision_id_idx on public.sample_requests (fulfilled_decision_id);

alter table public.sample_requests enable row level security;
revoke all on table public.sample_requests from anon, authenticated;
grant select on table public.sample_requests to authenticated;
grant all on table public.sample_requests to service_role;
create policy "Assigned testers, owners and admins can read sample requests" on public.sample_requests
  for select to authenticated using (cycle_report_id in (select private.readable_cycle_report_ids()));
select private.attach_audit('public.sample_requests');
create trigger refuse_truncate before truncate on public.sample_requests
  for each statement execute function private.refuse_truncate();

-- Searching the population ---------------------------------------------------------------------------------------
create function public.search_sample_population(p_version_id uuid, p_key_prefix text default '', p_limit integer default 20)
returns table (sample_key text, sample_data jsonb, in_version boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_selection public.sample_selections;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  select * into v_selection from public.sample_selections s where s.version_id = p_version_id;
  if v_selection.version_id is null then
    raise exception using errcode = 'PT409', detail = 'no_sample_selection',
      message = 'This version has no population to search yet: run a selection first.';
  end if;
  if p_limit is null or p_limit not between 1 and 100 or p_key_prefix is null or char_length(p_key_prefix) > 1000 then
    raise exception using errcode = 'PT400', detail = 'invalid_population_search',
      message = 'Search by a key prefix of at most 1000 characters, for 1 to 100 rows.';
  end if;
  v_selection.excluded_keys := '{}';
  return query execute format(
    'select p.%1$I::text, %2$s, exists (select 1 from public.sample_decisions d where d.version_id = $1 and d.sample_key = p.%1$I::text)
       from source_data.%3$I p where %4$s and starts_with(p.%1$I::text, $2)
      order by p.%1$I::text collate "C" limit $3',
    v_selection.key_column, private.sample_data_expression(v_selection), v_selection.population_table,
    private.population_conditions(v_selection))
    using p_version_id, p_key_prefix, p_limit;
end;
$$;
comment on function public.search_sample_population(uuid, text, integer) is
  'Rows of a version''s population whose key starts with p_key_prefix (in key order, at most p_limit, 1-100): the key, the values a sample would hold (masked as samples are) and whether the version already has it. Anyone who reads the cycle report. Errors: PT404 version_not_found; PT409 no_sample_selection; PT400 invalid_population_search.';
revoke execute on function public.search_sample_population(uuid, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.search_sample_population(uuid, text, integer) to authenticated;

-- The owner asks -------------------------------------------------------------------------------------------------
create function public.request_samples(p_version_id uuid, p_keys text[], p_reason text)
returns setof public.sample_requests
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_selection public.sample_selections;
  v_missing text;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if not private.can_review_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT403', detail = 'sample_request_requires_report_owner',
      message = 'Only the report''s owner (or an admin) asks for samples while reviewing.';
  end if;
  if v_version.phase_name <> 'sample_selection' then
    raise exception using errcode = 'PT409', detail = 'version_wrong_phase',
      message = format('Samples are asked for in sample-selection versions; this is a %s version.', v_version.phase_name);
  end if;
  if v_version.version_status <> 'pending_approval' then
    raise exception using errcode = 'PT409', detail = 'version_not_pending',
      message = format('Samples are asked for while the version awaits approval; this version is %s.', v_version.version_status);
  end if;
  if p_keys is null or cardinality(p_keys) not between 1 and 1000 or coalesce(btrim(p_reason), '') = '' then
    raise exception using errcode = 'PT400', detail = 'invalid_sample_request',
      message = 'Name 1 to 1000 keys and the reason for asking.';
  end if;
  select * into v_selection from public.sample_selections s where s.version_id = p_version_id;
  if v_selection.version_id is null then
    raise exception using errcode = 'PT409', detail = 'no_sample_selection',
      message = 'This version has no population to ask samples from.';
  end if;
  v_selection.excluded_keys := '{}';
  execute format('select string_agg(k, '', '') from unnest($1) k
                   where not exists (select 1 from source_data.%I p where %s and p.%I::text = k)',
                 v_selection.population_table, private.population_conditions(v_selection), v_selection.key_column)
    into v_missing using p_keys;
  if v_missing is not null then
    raise exception using errcode = 'PT409', detail = 'sample_not_in_population',
      message = format('Not in the population: %s.', v_missing);
  end if;
  select string_agg(d.sample_key, ', ') into v_missing
    from public.sample_decisions d where d.version_id = p_version_id and d.sample_key = any (p_keys);
  if v_missing is not null then
    raise exception using errcode = 'PT409', detail = 'sample_already_in_version',
      message = format('Already samples of this version: %s.', v_missing);
  end if;
  return query
  insert into public.sample_requests (version_id, cycle_report_id, sample_key, reason, requested_by)
  select p_version_id, v_version.cycle_report_id, k, btrim(p_reason), auth.uid() from (select distinct unnest(p_keys) as k) x
  on conflict (version_id, sample_key) do update set reason = excluded.reason
  returning *;
end;
$$;
comment on function public.request_samples(uuid, text[], text) is
  'The report owner (or an admin) asks for samples by key while reviewing a sample-selection version, with a reason; returns the requests. Keys must be rows of the version''s population and not samples of it already. Errors: PT404 version_not_found; PT403 sample_request_requires_report_owner; PT409 version_wrong_phase | version_not_pending | no_sample_selection | sample_not_in_population | sample_already_in_version; PT400 invalid_sample_request.';
revoke execute on function public.request_samples(uuid, text[], text) from public, anon, authenticated, service_role;
grant execute on function public.request_samples(uuid, text[], text) to authenticated;

-- The tester takes them in ---------------------------------------------------------------------------------------
create function public.add_requested_samples(p_version_id uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
  v_selection public.sample_selections;
  v_marker text;
  v_count integer;
begin
  select * into v_version from public.artifact_versions v where v.id = p_version_id;
  if not found or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'version_not_found',
      message = 'This version does not exist or is not visible to you.';
  end if;
  if not private.can_work_on_cycle_report(v_version.cycle_report_id) or private.is_service() then
    raise exception using errcode = 'PT403', detail = 'sample_selection_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) adds samples.';
  end if;
  if v_version.phase_name <> 'sample_selection' or v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = 'Requested samples are added to a sample-selection draft.';
  end if;
  select * into v_selection from public.sample_selections s where s.version_id = p_version_id;
  if v_selection.version_id is null then
    -- Without a draw of its own, the draft reads the population of the version the requests were made in.
    select s.* into v_selection from public.sample_selections s
      join public.sample_requests r on r.version_id = s.version_id
     where r.cycle_report_id = v_version.cycle_report_id and r.fulfilled_decision_id is null
     order by r.requested_at desc limit 1;
  end if;
  if v_selection.version_id is null then
    return 0;
  end if;
  v_selection.excluded_keys := '{}';

  -- Open requests of earlier versions of this cycle report, for keys the draft does not have yet.
  create temporary table if not exists pg_temp.requested_samples (request_id bigint, sample_key text, reason text, requested_by uuid) on commit drop;
  truncate pg_temp.requested_samples;
  insert into pg_temp.requested_samples
  select distinct on (r.sample_key) r.id, r.sample_key, r.reason, r.requested_by
    from public.sample_requests r
    join public.artifact_versions v on v.id = r.version_id
   where r.cycle_report_id = v_version.cycle_report_id and r.fulfilled_decision_id is null
     and v.version_number < v_version.version_number
     and not exists (select 1 from public.sample_decisions d where d.version_id = p_version_id and d.sample_key = r.sample_key)
   order by r.sample_key, r.requested_at desc;

  v_marker := current_setting('regtest.sampling_version_id', true);
  perform set_config('regtest.sampling_version_id', p_version_id::text, true);
  execute format(
    'insert into public.sample_decisions (version_id, sample_key, sample_data, recommendation_source, recommended_by, selection_reason)
     select $1, q.sample_key, %s, ''manual'', q.requested_by, ''requested by the report owner: '' || q.reason
       from pg_temp.requested_samples q join source_data.%I p on p.%I::text = q.sample_key where %s
      order by q.sample_key collate "C"',
    private.sample_data_expression(v_selection), v_selection.population_table, v_selection.key_column,
    private.population_conditions(v_selection))
    using p_version_id;
  get diagnostics v_count = row_count;
  perform set_config('regtest.sampling_version_id', coalesce(v_marker, ''), true);
  update public.sample_requests r set fulfilled_decision_id = d.id
    from pg_temp.requested_samples q, public.sample_decisions d
   where r.id = q.request_id and d.version_id = p_version_id and d.sample_key = q.sample_key;
  drop table pg_temp.requested_samples;
  return v_count;
end;
$$;
comment on function public.add_requested_samples(uuid) is
  'Adds to a sample-selection draft the samples the report owner asked for in earlier versions (sample_requests still open, keys the draft lacks), as manual samples recommended by the owner, with the values of the population; marks the requests fulfilled; returns how many were added. Assigned testers and admins. Errors: PT404 version_not_found; PT403 sample_selection_requires_tester; PT409 version_not_draft.';
revoke execute on function public.add_requested_samples(uuid) from public, anon, authenticated, service_role;
grant execute on function public.add_requested_samples(uuid) to authenticated;

-- Samples written by the database's own functions keep the recommender they name -----------------------------------
create or replace function private.shape_sample_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_copy boolean;
  v_parent public.sample_decisions;
  v_selection public.sample_selections;
  v_data jsonb;
begin
  if tg_op = 'DELETE' then
    -- A draft being deleted takes its samples with it (its row is already gone).
    if old.recommendation_source = 'carried_forward'
       and exists (select 1 from public.artifact_versions v where v.id = old.version_id) then
      raise exception using errcode = 'PT409', detail = 'carried_sample_immutable',
        message = 'A sample carried forward from an approved version cannot be removed from the new version.',
        hint = 'The report owner can reject it when reviewing the version.';
    end if;
    return old;
  end if;

  v_copy := tg_op = 'INSERT' and new.parent_item_id is not null and private.is_copying_version(new.version_id);
  if v_copy then
    -- create_version's copy: only approved samples go forward, as carried_forward with their lineage.
    select * into v_parent from public.sample_decisions p where p.id = new.parent_item_id;
    if v_parent.item_status is distinct from 'approved' then
      return null;
    end if;
    new.recommendation_source := 'carried_forward';
    new.carried_from_version_id := v_parent.version_id;
    new.carried_from_decision_id := v_parent.id;
    new.replaced_by_decision_id := null;
    new.replacement_reason := null;
    return new;
  end if;

  if tg_op = 'INSERT' then
    if new.recommendation_source = 'carried_forward' or new.carried_from_version_id is not null
       or new.carried_from_decision_id is not null then
      raise exception using errcode = 'PT409', detail = 'sample_lineage_by_copy_only',
        message = 'Only create_version carries samples forward; a sample added to a version is tester, llm or manual.';
    end if;
    -- run_sample_selection and add_requested_samples fill the values (and, for requests, the owner as
    -- recommender) in one pass: a transaction-local marker they set around their own insert only, which the
    -- REST API cannot set. Any other insert is looked up in the population and recommended by the caller.
    if coalesce(current_setting('regtest.sampling_version_id', true) = new.version_id::text, false) then
      new.recommended_by := coalesce(new.recommended_by, auth.uid());
      return new;
    end if;
    new.recommended_by := coalesce(auth.uid(), new.recommended_by);
    if new.sample_data <> '{}'::jsonb then
      raise exception using errcode = 'PT409', detail = 'sample_data_from_population',
        message = 'A sample''s values are read from its population by the database; send only its key.';
    end if;
    select * into v_selection from public.sample_selections s where s.version_id = new.version_id;
    if v_selection.version_id is not null then
      v_selection.excluded_keys := '{}';
      execute format('select %s from source_data.%I p where %s and p.%I::text = $1 limit 1',
                     private.sample_data_expression(v_selection), v_selection.population_table,
                     private.population_conditions(v_selection), v_selection.key_column)
        into v_data using new.sample_key;
      if v_data is null then
        raise exception using errcode = 'PT409', detail = 'sample_not_in_population',
          message = format('%s is not a key of the version''s population.', new.sample_key);
      end if;
      new.sample_data := v_data;
    end if;
  else
    if (new.sample_key, new.recommendation_source, new.recommended_by, new.carried_from_version_id,
        new.carried_from_decision_id, new.selection_order, new.sample_data)
       is distinct from (old.sample_key, old.recommendation_source, old.recommended_by, old.carried_from_version_id,
        old.carried_from_decision_id, old.selection_order, old.sample_data) then
      raise exception using errcode = 'PT409', detail = 'sample_column_immutable',
        message = 'A sample''s key, values, source, recommender, lineage and draw position cannot change.';
    end if;
    if old.recommendation_source = 'carried_forward'
       and (new.stratum, new.selection_reason, new.replaced_by_decision_id, new.replacement_reason)
           is distinct from (old.stratum, old.selection_reason, old.replaced_by_decision_id, old.replacement_reason) then
      raise exception using errcode = 'PT409', detail = 'carried_sample_immutable',
        message = 'A sample carried forward from an approved version cannot change.';
    end if;
  end if;

  if new.replaced_by_decision_id is not null
     and (tg_op = 'INSERT' or new.replaced_by_decision_id is distinct from old.replaced_by_decision_id)
     and not exists (select 1 from public.sample_decisions r
                      where r.id = new.replaced_by_decision_id and r.version_id = new.version_id) then
    raise exception using errcode = 'PT409', detail = 'replacement_not_in_version',
      message = 'A sample is replaced by another sample of the same version.';
  end if;
  return new;
end;
$$;
comment on function private.shape_sample_decision() is
  'Trigger on sample_decisions (after the item guard): create_version''s copy carries only approved samples, as carried_forward with carried_from_version_id/decision_id (the others stay in the parent version); other inserts cannot claim lineage (PT409 sample_lineage_by_copy_only) and get recommended_by = the caller; sample_data is the database''s (PT409 sample_data_from_population): read from the version''s population by key (PT409 sample_not_in_population), or filled by run_sample_selection and add_requested_samples (which also name the owner who asked as recommender); key, values, source, recommender, lineage and draw position never change (PT409 sample_column_immutable); a carried sample neither changes nor leaves its draft (PT409 carried_sample_immutable); a replacement is a sample of the same version (PT409 replacement_not_in_version).';
