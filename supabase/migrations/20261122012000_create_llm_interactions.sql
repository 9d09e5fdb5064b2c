-- LLM interactions: one row per call to a language model, written before the call (pending) and completed
-- after it, so nothing paid for is lost. Written by the edge functions (service_role) only.

create type public.llm_status as enum ('pending', 'completed', 'failed');
comment on type public.llm_status is 'Status of an LLM call.';

create table public.llm_interactions (
  id uuid primary key default extensions.gen_random_uuid(),
  purpose text not null,
  provider text not null,
  model text not null,
  request jsonb not null default '{}',
  response jsonb,
  status public.llm_status not null default 'pending',
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  cost_usd numeric(12, 6) check (cost_usd >= 0),
  duration_ms integer check (duration_ms >= 0),
  error text,
  user_id uuid references public.profiles (id),
  cycle_report_id bigint references public.cycle_reports (id),
  version_id uuid references public.artifact_versions (id),
  job_id uuid references public.background_jobs (id),
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
comment on table public.llm_interactions is
  'One row per LLM call (purpose, provider — or heuristic offline — model, request, response, tokens, cost, duration, error), who it was for and which version and job it served.';
comment on column public.llm_interactions.purpose is 'What the call was for, e.g. planning_attributes or profiling_rules.';
comment on column public.llm_interactions.provider is 'openai, an OpenAI-compatible provider, or heuristic (the offline rules).';
comment on column public.llm_interactions.user_id is 'The user the call was made for.';
comment on column public.llm_interactions.cost_usd is 'Estimated cost in US dollars.';

create index llm_interactions_cycle_report_id_idx on public.llm_interactions (cycle_report_id);
create index llm_interactions_version_id_idx on public.llm_interactions (version_id);
create index llm_interactions_job_id_idx on public.llm_interactions (job_id);
create index llm_interactions_user_id_idx on public.llm_interactions (user_id);

alter table public.llm_interactions enable row level security;
revoke all on table public.llm_interactions from anon, authenticated;
grant select on table public.llm_interactions to authenticated;

create policy "Users can read LLM calls for them or their cycle reports"
  on public.llm_interactions for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select private.is_admin())
    or cycle_report_id in (select private.readable_cycle_report_ids())
  );
