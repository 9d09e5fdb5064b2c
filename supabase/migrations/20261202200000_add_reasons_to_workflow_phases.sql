-- Skipping a phase and reopening a completed one are an admin's decisions, each with a reason: the reason is
-- kept on the phase (so the cycle report page shows it) and, like every change of a phase, in the audit log.
-- The guard (next migration) requires them and keeps them otherwise unchanged.

alter table public.workflow_phases
  add column skip_reason text,
  add column reopen_reason text;

comment on column public.workflow_phases.skip_reason is
  'Why an admin skipped the phase (required when it is skipped; set through skip_phase or Studio, never changed afterwards).';
comment on column public.workflow_phases.reopen_reason is
  'Why an admin last reopened the phase (required when it is reopened; cleared when the phase completes again; every earlier reason is in the audit log).';
