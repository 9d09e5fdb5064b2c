-- Sample decisions: the samples of a sample-selection version, each an item of the version machinery with its
-- own tester and report-owner decision (owner item review and carry-forward of approved items are on for the
-- phase). Lineage: create_version's copy carries only the approved samples of the parent version into the new
-- draft, as recommendation_source = 'carried_forward' with carried_from_version_id / carried_from_decision_id;
-- samples the owner rejected stay behind in the parent version. A carried sample's content never changes.

-- A sample-selection version is drawn from the approved planning version's data sources.
update public.phase_definitions set basis_phase = 'planning' where name = 'sample_selection';

create table public.sample_decisions (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  sample_key text not null check (char_length(sample_key) between 1 and 1000),
  sample_data jsonb not null default '{}' check (jsonb_typeof(sample_data) = 'object'),
  recommendation_source text not null default 'tester'
    check (recommendation_source in ('tester', 'llm', 'manual', 'carried_forward')),
  recommended_by uuid references public.profiles (id),
  stratum text check (char_length(stratum) <= 1000),
  selection_reason text check (char_length(selection_reason) <= 2000),
  selection_order integer check (selection_order > 0),
  carried_from_version_id uuid references public.artifact_versions (id),
  -- Not a foreign key on purpose: the copy re-points foreign keys between a phase's item tables to the copies.
  carried_from_decision_id uuid,
  replaced_by_decision_id uuid references public.sample_decisions (id) on delete set null,
  replacement_reason text check (char_length(replacement_reason) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, sample_key),
  check ((carried_from_version_id is null) = (carried_from_decision_id is null)),
  check ((recommendation_source = 'carried_forward') = (carried_from_version_id is not null)),
  check (replaced_by_decision_id is null or (replacement_reason is not null and replaced_by_decision_id <> id))
);
comment on table public.sample_decisions is
  'The samples of a sample-selection version: the sample''s key in the population and its values (only the columns the test needs, masked by classification), where the recommendation came from and who made it, its stratum and why it was selected, its lineage (carried_from_*: the approved sample of the parent version it was carried forward from) and, when replaced, the replacement and the reason; with the tester''s and report owner''s decisions of the version machinery.';
comment on column public.sample_decisions.sample_key is 'The value of the population''s key column identifying the sample (text); unique per version.';
comment on column public.sample_decisions.sample_data is 'The sample''s values: the key column and the columns the in-scope attributes read, with the values of confidential, restricted or personal columns replaced by ''***''. Filled by the database from the population, never by a client.';
comment on column public.sample_decisions.recommendation_source is 'tester | llm | manual (added by hand, e.g. at the report owner''s request; recommended_by says who) | carried_forward (set by create_version''s copy only).';
comment on column public.sample_decisions.recommended_by is 'Who recommended or added the sample (stamped by the database); carried forward with the sample.';
comment on column public.sample_decisions.stratum is 'The stratum the sample was drawn from (stratified selection), else null.';
comment on column public.sample_decisions.selection_reason is 'Why the sample was selected (the method''s reason, the failed rules of a targeted sample, or the judgment of whoever picked it).';
comment on column public.sample_decisions.selection_order is 'The sample''s position in the draw that selected it (1 = drawn first), null for samples added by hand.';
comment on column public.sample_decisions.carried_from_version_id is 'The version this sample was carried forward from (approved there), set by create_version''s copy.';
comment on column public.sample_decisions.carried_from_decision_id is 'The sample of carried_from_version_id it was carried forward from (equal to parent_item_id).';
comment on column public.sample_decisions.replaced_by_decision_id is 'The sample of the same version that replaces this one; replacement_reason says why.';

create index sample_decisions_replaced_by_decision_id_idx on public.sample_decisions (replaced_by_decision_id);
create index sample_decisions_carried_from_version_id_idx on public.sample_decisions (carried_from_version_id);

select private.attach_versioned_items('public.sample_decisions', 'sample_selection', 0);

create trigger touch_updated_at before update on public.sample_decisions
  for each row execute function private.touch_updated_at();

-- The phase's own rules ------------------------------------------------------------------------------------------
create function private.shape_sample_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_copy boolean;
  v_parent public.sample_decisions;
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
    new.recommended_by := coalesce(auth.uid(), new.recommended_by);
    if new.sample_data <> '{}'::jsonb then
      raise exception using errcode = 'PT409', detail = 'sample_data_from_population',
        message = 'A sample''s values are read from its population by the database; send only its key.';
    end if;
  else
    if (new.sample_key, new.recommendation_source, new.recommended_by, new.carried_from_version_id,
        new.carried_from_decision_id, new.selection_order)
       is distinct from (old.sample_key, old.recommendation_source, old.recommended_by, old.carried_from_version_id,
        old.carried_from_decision_id, old.selection_order)
       or (new.sample_data is distinct from old.sample_data and not private.is_copying_version(new.version_id)) then
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
  'Trigger on sample_decisions (after the item guard): create_version''s copy carries only approved samples, as carried_forward with carried_from_version_id/decision_id (the others stay in the parent version); other inserts cannot claim lineage (PT409 sample_lineage_by_copy_only) and get recommended_by = the caller; sample_data is the database''s (PT409 sample_data_from_population); key, values, source, recommender, lineage and draw position never change (PT409 sample_column_immutable); a carried sample neither changes nor leaves its draft (PT409 carried_sample_immutable); a replacement is a sample of the same version (PT409 replacement_not_in_version).';
revoke execute on function private.shape_sample_decision() from public;

-- Named to run after guard_versioned_item, so state and role are refused first.
create trigger shape_sample_decision
  before insert or update or delete on public.sample_decisions
  for each row execute function private.shape_sample_decision();
