-- The scoping policy, as data an admin edits in Studio (like the auto-approval rules): which attributes are always
-- in scope, and the risk-score thresholds that rate an attribute's risk. The database refuses an out-of-scope
-- decision that breaks it, and an out-of-scope or overriding decision without a rationale.

create table public.scoping_policy (
  id boolean primary key default true check (id),
  cde_always_in_scope boolean not null default true,
  primary_keys_always_in_scope boolean not null default true,
  regulatory_always_in_scope boolean not null default true,
  in_scope_risk_score smallint default 7 check (in_scope_risk_score between 0 and 10),
  high_risk_score smallint not null default 7 check (high_risk_score between 0 and 10),
  medium_risk_score smallint not null default 4 check (medium_risk_score between 0 and 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (medium_risk_score <= high_risk_score)
);
comment on table public.scoping_policy is
  'The scoping policy (one row; admins edit it in Studio): critical data elements, primary keys, attributes with a PDE mapping flagged regulatory, and attributes whose highest mapping risk score reaches in_scope_risk_score are always in scope. The risk thresholds rate an attribute low, medium or high from that score. Checked by private.check_scoping_decision.';
comment on column public.scoping_policy.cde_always_in_scope is 'Critical data elements (planning_attributes.is_cde) are always in scope.';
comment on column public.scoping_policy.primary_keys_always_in_scope is 'Primary keys (planning_attributes.is_primary_key) are always in scope.';
comment on column public.scoping_policy.regulatory_always_in_scope is 'Attributes with a PDE mapping whose classification carries regulatory_flag true are always in scope.';
comment on column public.scoping_policy.in_scope_risk_score is 'Attributes whose highest PDE mapping risk score (0–10) reaches this are always in scope; null turns the criterion off.';
comment on column public.scoping_policy.high_risk_score is 'An attribute whose highest PDE mapping risk score reaches this is rated high risk.';
comment on column public.scoping_policy.medium_risk_score is 'An attribute whose highest PDE mapping risk score reaches this (and not high_risk_score) is rated medium risk; below it, low.';

insert into public.scoping_policy default values;

create trigger touch_updated_at before update on public.scoping_policy
  for each row execute function private.touch_updated_at();

alter table public.scoping_policy enable row level security;
revoke all on table public.scoping_policy from anon, authenticated;
grant select, update on table public.scoping_policy to authenticated;
grant select on table public.scoping_policy to service_role;

create policy "Signed-in users can read the scoping policy"
  on public.scoping_policy for select to authenticated using (true);
create policy "Admins can update the scoping policy"
  on public.scoping_policy for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));

select private.attach_audit('public.scoping_policy');

-- What the policy says of one attribute --------------------------------------------------------------------------
create function private.attribute_risk_score(p_attribute_id uuid)
returns smallint
language sql
stable
set search_path = ''
as $$
  select coalesce(max(m.risk_score), 0)::smallint from public.planning_pde_mappings m where m.attribute_id = p_attribute_id
$$;
comment on function private.attribute_risk_score(uuid) is
  'The highest risk score (0–10) of a planning attribute''s PDE mappings; 0 without mappings.';
revoke all on function private.attribute_risk_score(uuid) from public;
grant execute on function private.attribute_risk_score(uuid) to service_role;

create function private.is_regulatory_attribute(p_attribute_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.planning_pde_mappings m
                  where m.attribute_id = p_attribute_id and coalesce((m.classification ->> 'regulatory_flag')::boolean, false))
$$;
comment on function private.is_regulatory_attribute(uuid) is
  'Whether one of a planning attribute''s PDE mappings carries the regulatory flag.';
revoke all on function private.is_regulatory_attribute(uuid) from public;
grant execute on function private.is_regulatory_attribute(uuid) to service_role;

create function private.scoping_policy_reasons(p_attribute_id uuid)
returns text[]
language sql
stable
set search_path = ''
as $$
  select array_remove(array[
      case when p.cde_always_in_scope and a.is_cde then 'critical data element' end,
      case when p.primary_keys_always_in_scope and a.is_primary_key then 'primary key' end,
      case when p.regulatory_always_in_scope and private.is_regulatory_attribute(a.id) then 'regulatory PDE mapping' end,
      case when p.in_scope_risk_score is not null and private.attribute_risk_score(a.id) >= p.in_scope_risk_score
           then format('risk score %s of at least %s', private.attribute_risk_score(a.id), p.in_scope_risk_score) end
    ], null)
    from public.planning_attributes a
    cross join public.scoping_policy p
   where a.id = p_attribute_id
$$;
comment on function private.scoping_policy_reasons(uuid) is
  'Why the scoping policy keeps a planning attribute in scope (critical data element, primary key, regulatory PDE mapping, risk score at the threshold); empty when it may be left out. Called by the scoping decision check and, as service_role, by the recommendations.';
revoke all on function private.scoping_policy_reasons(uuid) from public;
grant execute on function private.scoping_policy_reasons(uuid) to service_role;

create function private.policy_risk_rating(p_attribute_id uuid)
returns public.risk_level
language sql
stable
set search_path = ''
as $$
  select case when s.score >= p.high_risk_score then 'high'::public.risk_level
              when s.score >= p.medium_risk_score then 'medium'::public.risk_level
              else 'low'::public.risk_level end
    from (select private.attribute_risk_score(p_attribute_id) as score) s
    cross join public.scoping_policy p
$$;
comment on function private.policy_risk_rating(uuid) is
  'The risk rating the policy''s thresholds give a planning attribute from its highest PDE mapping risk score.';
revoke all on function private.policy_risk_rating(uuid) from public;
grant execute on function private.policy_risk_rating(uuid) to service_role;

-- The check ---------------------------------------------------------------------------------------------------------
create function private.check_scoping_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_reasons text[];
  v_rationale text := nullif(btrim(coalesce(new.rationale, '')), '');
begin
  -- The version's build and create_version's copy bring decisions as they were; they are checked when decided.
  if tg_op = 'INSERT' then
    return new;
  end if;
  if (new.in_scope, new.rationale) is not distinct from (old.in_scope, old.rationale)
     and not (new.tester_decision = 'approved' and new.tester_decision is distinct from old.tester_decision) then
    return new;
  end if;
  if not new.in_scope then
    v_reasons := private.scoping_policy_reasons(new.attribute_id);
    if cardinality(v_reasons) > 0 then
      raise exception using errcode = 'PT409', detail = 'scoping_policy_requires_in_scope',
        message = format('The scoping policy keeps this attribute in scope: %s.', array_to_string(v_reasons, ', ')),
        hint = 'Keep it in scope; an admin can change the scoping policy.';
    end if;
    if v_rationale is null then
      raise exception using errcode = 'PT400', detail = 'scoping_rationale_required',
        message = 'An attribute left out of scope needs a rationale.',
        hint = 'Say why the attribute is not tested.';
    end if;
  end if;
  if new.recommended_in_scope is not null and new.in_scope <> new.recommended_in_scope
     and (v_rationale is null or v_rationale = btrim(coalesce(new.recommendation_reason, ''))) then
    raise exception using errcode = 'PT400', detail = 'scoping_override_rationale_required',
      message = format('The recommendation was %s; a decision that departs from it needs a rationale of its own.',
        case when new.recommended_in_scope then 'in scope' else 'out of scope' end),
      hint = 'Say why you decided otherwise.';
  end if;
  return new;
end;
$$;
comment on function private.check_scoping_decision() is
  'Trigger on scoping_decisions: when in_scope or the rationale changes, or the tester approves, an out-of-scope decision must be allowed by the scoping policy (PT409 scoping_policy_requires_in_scope, naming why) and carry a rationale (PT400 scoping_rationale_required), and a decision that departs from the recommendation needs a rationale other than the recommendation''s reason (PT400 scoping_override_rationale_required). Decisions made with the version or copied into it are checked when next changed or approved.';
revoke all on function private.check_scoping_decision() from public;

-- "check" sorts after "align" and before "guard_versioned_item".
create trigger check_scoping_decision before insert or update on public.scoping_decisions
  for each row execute function private.check_scoping_decision();
