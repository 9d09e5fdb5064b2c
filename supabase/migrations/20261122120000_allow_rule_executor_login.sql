-- Rules run on a connection that logs in as rule_executor itself. A role switched to with `set role` from a
-- more powerful session can be switched back by the SQL it runs; a session that starts as rule_executor
-- cannot become anyone else. The password is set per deployment, never in a migration:
--   alter role rule_executor with password '…';  then give the functions RULE_EXECUTOR_DB_URL.

alter role rule_executor with login noinherit nocreatedb nocreaterole nobypassrls connection limit 10;
alter role rule_executor set statement_timeout = '5min';
alter role rule_executor set default_transaction_read_only = on;
