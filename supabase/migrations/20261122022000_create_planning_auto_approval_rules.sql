-- Auto-approval rules for PDE mappings, as data an admin edits in Studio. A new mapping whose LLM confidence
-- reaches a rule's minimum and that is public, belongs to a primary-key attribute, or has a risk score at or
-- below the rule's maximum gets an approving tester decision marked auto_approved (see planning_pde_mappings).

create table public.planning_auto_approval_rules (
  id bigint generated always as identity primary key,
  name text not null unique check (char_length(btrim(name)) between 1 and 100),
  description text,
  is_enabled boolean not null default true,
  priority integer not null default 100,
  min_llm_confidence numeric(4, 3) not null default 0.85 check (min_llm_confidence between 0 and 1),
  approve_public_classification boolean not null default true,
  approve_primary_keys boolean not null default true,
  max_risk_score integer check (max_risk_score between 0 and 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.planning_auto_approval_rules is
  'Rules that approve new PDE mappings automatically (admins edit them). A rule fires when the mapping''s llm_metadata.confidence_score reaches min_llm_confidence and at least one enabled criterion holds: public classification, an attribute that is a primary key, or a risk score at most max_risk_score. Enabled rules are tried by priority (lowest first); the first that fires is recorded on the mapping.';
comment on column public.planning_auto_approval_rules.priority is 'Rules are tried in ascending priority, then id.';
comment on column public.planning_auto_approval_rules.min_llm_confidence is 'Minimum llm_metadata.confidence_score (0–1); mappings without one never fire.';
comment on column public.planning_auto_approval_rules.approve_public_classification is 'Fire for mappings whose classification.information_security is public.';
comment on column public.planning_auto_approval_rules.approve_primary_keys is 'Fire for mappings of attributes that are primary keys.';
comment on column public.planning_auto_approval_rules.max_risk_score is 'Fire for mappings whose risk score (0–10) is at most this; null turns the criterion off.';

insert into public.planning_auto_approval_rules (name, description, min_llm_confidence, approve_public_classification,
  approve_primary_keys, max_risk_score)
values ('default', 'The planning defaults: confident LLM proposals that are public, primary keys or of low risk.',
  0.85, true, true, 5);

create trigger touch_updated_at before update on public.planning_auto_approval_rules
  for each row execute function private.touch_updated_at();

alter table public.planning_auto_approval_rules enable row level security;
revoke all on table public.planning_auto_approval_rules from anon, authenticated;
grant select, insert, update, delete on table public.planning_auto_approval_rules to authenticated;

create policy "Signed-in users can read the auto-approval rules"
  on public.planning_auto_approval_rules for select to authenticated using (true);
create policy "Admins can add auto-approval rules"
  on public.planning_auto_approval_rules for insert to authenticated with check ((select private.is_admin()));
create policy "Admins can update auto-approval rules"
  on public.planning_auto_approval_rules for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "Admins can delete auto-approval rules"
  on public.planning_auto_approval_rules for delete to authenticated using ((select private.is_admin()));

select private.attach_audit('public.planning_auto_approval_rules');
