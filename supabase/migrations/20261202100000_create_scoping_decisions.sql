-- Scoping: which attributes of the report are tested, decided per attribute by the tester and the report owner.
--
-- A scoping version holds one decision per approved attribute of the approved planning version it is based on
-- (artifact_versions.based_on_version_id records which one), made with the version, so a scoping draft is never
-- empty. A new version copied from an earlier one (create_version's copy) follows each decision to the attribute
-- of the same name in its planning version: unchanged attributes keep their decisions (scoping carries approved
-- decisions forward), changed attributes lose them and are marked for a fresh decision, attributes planning
-- dropped are left out, and attributes planning added get a decision of their own. See decision 018.

update public.phase_definitions
   set basis_phase = 'planning', owner_item_review = true, carry_forward_approved = true
 where name = 'scoping';

create table public.scoping_decisions (
  id uuid primary key default extensions.gen_random_uuid(),
  version_id uuid not null,
  attribute_id uuid not null references public.planning_attributes (id),
  in_scope boolean not null default true,
  risk_rating public.risk_level,
  testing_approach text check (testing_approach in ('sample_testing', 'data_quality_rules', 'both')),
  rationale text check (char_length(rationale) <= 4000),
  recommended_in_scope boolean,
  recommended_risk_rating public.risk_level,
  recommended_testing_approach text check (recommended_testing_approach in ('sample_testing', 'data_quality_rules', 'both')),
  recommendation_reason text,
  recommendation_provider text,
  recommendation_confidence numeric(3, 2) check (recommendation_confidence between 0 and 1),
  attribute_change text check (attribute_change in ('unchanged', 'changed', 'added')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (version_id, attribute_id)
);
comment on table public.scoping_decisions is
  'Scoping decisions: one per approved attribute of the planning version a scoping version is based on, made with the version. Whether the attribute is tested (in_scope), its risk, the testing approach and the rationale, the recommendation the generation made, and the tester''s and report owner''s decisions. In-scope attributes of the approved scoping version are what later phases may use (private.in_scope_attribute_ids).';
comment on column public.scoping_decisions.attribute_id is 'The attribute (planning_attributes.id) of the planning version the scoping version is based on.';
comment on column public.scoping_decisions.in_scope is 'Whether the attribute is tested. Out of scope needs a rationale, and the scoping policy keeps some attributes in scope (public.scoping_policies).';
comment on column public.scoping_decisions.risk_rating is 'low | medium | high.';
comment on column public.scoping_decisions.testing_approach is 'sample_testing | data_quality_rules | both.';
comment on column public.scoping_decisions.rationale is 'Why the attribute is in or out of scope; required out of scope and when the decision departs from the recommendation.';
comment on column public.scoping_decisions.recommended_in_scope is 'The recommendation (written by the generation function only): in scope or not.';
comment on column public.scoping_decisions.recommendation_reason is 'Why the recommendation was made (the rules that applied, or the LLM''s rationale).';
comment on column public.scoping_decisions.recommendation_provider is 'The provider that made the recommendation (heuristic, openai, …).';
comment on column public.scoping_decisions.recommendation_confidence is 'The provider''s confidence in the recommendation, 0–1.';
comment on column public.scoping_decisions.attribute_change is 'In a version copied from another: whether the attribute''s planning definition is unchanged, changed (the decision was cleared for a fresh one) or added since the parent version; null in a first version.';

create index scoping_decisions_attribute_id_idx on public.scoping_decisions (attribute_id);

create trigger touch_updated_at before update on public.scoping_decisions
  for each row execute function private.touch_updated_at();

select private.attach_versioned_items('public.scoping_decisions', 'scoping', 0);

-- What people write through the API: the attribute, the recommendation and the change marker are the database's
-- (the recommendation is written by the generation function as service_role).
revoke insert, update on table public.scoping_decisions from authenticated;
grant update (in_scope, risk_rating, testing_approach, rationale, tester_decision, tester_notes, report_owner_decision,
  report_owner_notes) on table public.scoping_decisions to authenticated;
grant all on table public.scoping_decisions to service_role;

-- The definition of a planning attribute, as scoping sees it ------------------------------------------------
create function private.planning_attribute_definition(p_attribute_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'name', a.name, 'data_type', a.data_type, 'description', a.description,
    'business_definition', a.business_definition, 'is_mandatory', a.is_mandatory, 'is_cde', a.is_cde,
    'is_primary_key', a.is_primary_key, 'max_length', a.max_length,
    'information_security_classification', a.information_security_classification,
    'data_source', s.name, 'source_column', a.source_column, 'transformation_rule', a.transformation_rule,
    'mappings', (select coalesce(jsonb_agg(jsonb_build_object('pde_code', m.pde_code, 'classification', m.classification,
                   'risk_score', m.risk_score) order by m.pde_code), '[]'::jsonb)
                   from public.planning_pde_mappings m where m.attribute_id = a.id))
    from public.planning_attributes a
    left join public.planning_data_sources s on s.id = a.data_source_id
   where a.id = p_attribute_id
$$;
comment on function private.planning_attribute_definition(uuid) is
  'What a planning attribute is, independent of its version: its columns (with the data source by name) and its PDE mappings'' codes, classifications and risk scores. Two attributes of different planning versions with the same definition are the same for scoping''s carry-forward.';
revoke all on function private.planning_attribute_definition(uuid) from public;

-- Decisions are made with the version, follow the planning version in copies -----------------------------------
create function private.align_scoping_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_basis uuid;
  v_attribute_id uuid;
begin
  if tg_op = 'DELETE' then
    -- Only with their draft version (the version row is gone by the time its items are deleted).
    if exists (select 1 from public.artifact_versions v where v.id = old.version_id) then
      raise exception using errcode = 'PT409', detail = 'scoping_decisions_built',
        message = 'A scoping version holds a decision for every attribute of its planning version; decisions are not removed.',
        hint = 'Mark the attribute out of scope, with a rationale.';
    end if;
    return old;
  end if;

  if tg_op = 'UPDATE' then
    if new.attribute_id is distinct from old.attribute_id then
      raise exception using errcode = 'PT409', detail = 'scoping_attribute_immutable',
        message = 'A scoping decision is about one attribute and cannot move to another.';
    end if;
    return new;
  end if;

  -- Inserts: only the version's own build (rebuild_scoping_decisions) and create_version's copy.
  if not (private.is_copying_version(new.version_id)
          or (pg_catalog.pg_trigger_depth() > 1
              and coalesce(pg_catalog.current_setting('regtest.building_scoping_version_id', true) = new.version_id::text, false))) then
    raise exception using errcode = 'PT409', detail = 'scoping_decisions_built',
      message = 'A scoping version''s decisions are made with the version, one per attribute of its planning version; they are not added by hand.',
      hint = 'Create a new scoping version to pick up attributes planning added.';
  end if;
  if new.parent_item_id is null then
    return new;
  end if;

  -- A copy: follow the decision to the attribute of the same name in this version's planning version.
  select v.based_on_version_id into v_basis from public.artifact_versions v where v.id = new.version_id;
  select coalesce(
    (select a.id from public.planning_attributes a
      where a.id = new.attribute_id and a.version_id = v_basis and a.item_status = 'approved'),
    (select n.id from public.planning_attributes o
       join public.planning_attributes n on n.version_id = v_basis and n.name = o.name and n.item_status = 'approved'
      where o.id = new.attribute_id))
    into v_attribute_id;
  if v_attribute_id is null then
    return null; -- planning dropped the attribute: its decision stays with the parent version
  end if;
  if v_attribute_id = new.attribute_id
     or private.planning_attribute_definition(v_attribute_id) = private.planning_attribute_definition(new.attribute_id) then
    new.attribute_change := 'unchanged';
  else
    -- Changed in planning: a fresh decision, from the same scoping values; the old recommendation no longer applies.
    new.attribute_change := 'changed';
    new.tester_decision := null; new.tester_notes := null;
    new.report_owner_decision := null; new.report_owner_notes := null;
    new.recommended_in_scope := null; new.recommended_risk_rating := null; new.recommended_testing_approach := null;
    new.recommendation_reason := null; new.recommendation_provider := null; new.recommendation_confidence := null;
  end if;
  new.attribute_id := v_attribute_id;
  return new;
end;
$$;
comment on function private.align_scoping_decision() is
  'Trigger on scoping_decisions (before the item guard): decisions are made only by the version''s build and create_version''s copy (PT409 scoping_decisions_built, also for deletes while the version exists); the attribute never changes (PT409 scoping_attribute_immutable). A copied decision follows its attribute to the attribute of the same name in the new version''s planning version: left out when planning dropped it, kept (attribute_change unchanged) when its definition is the same (private.planning_attribute_definition), otherwise cleared of decisions and recommendation for a fresh decision (attribute_change changed).';
revoke all on function private.align_scoping_decision() from public;

-- "align" sorts before "guard_versioned_item": the guard sees the aligned row.
create trigger align_scoping_decision before insert or update or delete on public.scoping_decisions
  for each row execute function private.align_scoping_decision();

create function private.rebuild_scoping_decisions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_marker text := pg_catalog.current_setting('regtest.building_scoping_version_id', true);
begin
  perform pg_catalog.set_config('regtest.building_scoping_version_id', new.id::text, true);
  insert into public.scoping_decisions (version_id, attribute_id, attribute_change)
  select new.id, a.id, case when new.parent_version_id is not null then 'added' end
    from public.planning_attributes a
   where a.version_id = new.based_on_version_id and a.item_status = 'approved'
     and not exists (select 1 from public.scoping_decisions d where d.version_id = new.id and d.attribute_id = a.id)
   order by a.name;
  perform pg_catalog.set_config('regtest.building_scoping_version_id', coalesce(v_marker, ''), true);
  return null;
end;
$$;
comment on function private.rebuild_scoping_decisions() is
  'Trigger on artifact_versions insert of a scoping version, after create_version''s copy: adds a decision (in scope, undecided) for every approved attribute of the version''s planning version that has none yet, so a scoping draft is never empty. In a copy these are the attributes planning added (attribute_change added). The transaction-local marker regtest.building_scoping_version_id lets its inserts past align_scoping_decision.';
revoke all on function private.rebuild_scoping_decisions() from public;

-- "rebuild" sorts after "copy_version_items": the copy's decisions exist when it runs.
create trigger rebuild_scoping_decisions after insert on public.artifact_versions
  for each row when (new.phase_name = 'scoping') execute function private.rebuild_scoping_decisions();
