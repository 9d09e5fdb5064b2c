-- The execution role stays confined as phases add tables and functions: rule_executor reads no table or view
-- outside source_data (where row-level security and its job's token decide), and calls no function but the one
-- its policies use; whatever later migrations grant, these lists must stay empty.
begin;
select plan(3);

select is(
  (select coalesce(array_agg(n.nspname || '.' || c.relname order by 1), '{}')
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'v', 'm', 'p', 'f') and n.nspname not in ('source_data', 'pg_catalog', 'information_schema')
      and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
      and has_schema_privilege('rule_executor', n.oid, 'usage') and has_table_privilege('rule_executor', c.oid, 'select')),
  '{}', 'rule_executor reads no table or view outside source_data');
select is(
  (select coalesce(array_agg(n.nspname || '.' || p.proname order by 1), '{}')
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private', 'auth', 'storage', 'extensions', 'source_data')
      and p.prosecdef and has_schema_privilege('rule_executor', n.oid, 'usage')
      and has_function_privilege('rule_executor', p.oid, 'execute')),
  array['private.rule_execution_may_read'], 'and calls no security-definer function but the one its policies use');
select is(
  (select coalesce(array_agg(c.relname::text order by 1), '{}')
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'source_data' and c.relkind = 'r'
      and (has_table_privilege('rule_executor', c.oid, 'insert') or has_table_privilege('rule_executor', c.oid, 'update')
           or has_table_privilege('rule_executor', c.oid, 'delete'))),
  '{}', 'and writes to no upload');

select * from finish();
rollback;
