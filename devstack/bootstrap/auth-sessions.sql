-- What GoTrue's own migrations add to auth.sessions for session limits, and its audit log. Applied on
-- every start (idempotent), so a cluster bootstrapped before these existed gains them too.
set role supabase_auth_admin;

alter table auth.sessions add column if not exists refreshed_at timestamp without time zone;
alter table auth.sessions add column if not exists user_agent text;
alter table auth.sessions add column if not exists ip inet;

create table if not exists auth.audit_log_entries (
  instance_id uuid,
  id uuid primary key,
  payload json,
  created_at timestamptz,
  ip_address varchar(64) not null default ''
);
create index if not exists audit_logs_instance_id_idx on auth.audit_log_entries (instance_id);
comment on table auth.audit_log_entries is 'Auth: Audit trail for user actions.';

reset role;
grant all on auth.audit_log_entries to postgres, service_role;
