-- The registry of approved artifacts: one row per approval of any phase's version, written by trigger.

create table public.approved_artifacts (
  id bigint generated always as identity primary key,
  cycle_report_id bigint not null references public.cycle_reports (id),
  phase_id bigint not null references public.workflow_phases (id),
  phase_name text not null references public.phase_definitions (name),
  version_id uuid not null unique references public.artifact_versions (id),
  version_number integer not null,
  item_tables text[] not null default '{}',
  item_count integer not null,
  approved_count integer not null,
  rejected_count integer not null,
  summary jsonb not null default '{}',
  approved_by uuid references public.profiles (id),
  approved_at timestamptz not null,
  is_current boolean not null default true,
  superseded_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.approved_artifacts is
  'Registry of every approved artifact version (written by trigger on approval): which cycle report, phase and version, its item tables and counts, who approved it and whether it is still the current approval.';
comment on column public.approved_artifacts.item_tables is 'The item tables that hold the version''s items.';
comment on column public.approved_artifacts.is_current is 'False once a newer version of the phase is approved (the version is superseded).';
create unique index approved_artifacts_one_current_per_phase on public.approved_artifacts (phase_id) where is_current;
create index approved_artifacts_cycle_report_id_idx on public.approved_artifacts (cycle_report_id);

create function private.register_approved_artifact()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.version_status = 'superseded' and old.version_status = 'approved' then
    update public.approved_artifacts a set is_current = false, superseded_at = new.superseded_at
     where a.version_id = new.id;
  elsif new.version_status = 'approved' and old.version_status <> 'approved' then
    insert into public.approved_artifacts
      (cycle_report_id, phase_id, phase_name, version_id, version_number, item_tables, item_count, approved_count,
       rejected_count, summary, approved_by, approved_at)
    values
      (new.cycle_report_id, new.phase_id, new.phase_name, new.id, new.version_number,
       coalesce((select array_agg(t.table_name::text order by t.copy_order, t.table_name::text)
                   from private.versioned_item_tables t where t.phase_name = new.phase_name), '{}'),
       new.item_count, new.approved_count, new.rejected_count, new.summary, new.approved_by, new.approved_at);
  end if;
  return null;
end;
$$;
comment on function private.register_approved_artifact() is
  'Trigger on artifact_versions: registers each approval in approved_artifacts and marks it no longer current when superseded.';

create trigger register_approved_artifact
  after update of version_status on public.artifact_versions
  for each row execute function private.register_approved_artifact();

create function private.guard_approved_artifact()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if pg_trigger_depth() > 1 then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  raise exception using errcode = 'PT403', detail = 'approved_artifacts_derived',
    message = 'approved_artifacts is written by the database when a version is approved; it cannot be edited.';
end;
$$;
comment on function private.guard_approved_artifact() is
  'Trigger: approved_artifacts rows are written only by the approval trigger, never directly.';

create trigger guard_approved_artifact
  before insert or update or delete on public.approved_artifacts
  for each row execute function private.guard_approved_artifact();
create trigger refuse_truncate
  before truncate on public.approved_artifacts
  for each statement execute function private.refuse_truncate();

alter table public.approved_artifacts enable row level security;
revoke all on table public.approved_artifacts from anon, authenticated;
grant select on table public.approved_artifacts to authenticated;

create policy "Assigned testers, owners and admins can read approved artifacts"
  on public.approved_artifacts for select to authenticated
  using (cycle_report_id in (select private.readable_cycle_report_ids()));

select private.attach_audit('public.approved_artifacts');
