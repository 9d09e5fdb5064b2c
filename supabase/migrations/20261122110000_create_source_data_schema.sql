-- Source data: tables loaded from uploaded files (one table per file data source). The schema is not
-- exposed by the REST API; only the edge functions (as postgres/service connections) write it, and data
-- quality rules read it as rule_executor, a role that can read this schema and nothing else.

create schema if not exists source_data;
comment on schema source_data is 'Tables loaded from uploaded source files; read by data-quality rules, never exposed through the REST API.';

revoke all on schema source_data from public;

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'rule_executor') then
    create role rule_executor nologin noinherit;
  end if;
end
$$;
comment on role rule_executor is 'Runs compiled data-quality rules: read-only access to source_data, nothing else.';

grant usage on schema source_data to rule_executor;
alter default privileges for role postgres in schema source_data grant select on tables to rule_executor;
-- Functions run rule queries by switching to this role inside their transaction.
grant rule_executor to postgres;
