-- Item tables registered after bulk counting arrived (sample_decisions, test cases, …) were counted per row in a
-- bulk decision: registration now attaches the statement-level counting, as it attaches segregation of duties.

create function private.attach_bulk_counting_on_register()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.attach_bulk_counting(new.table_name);
  return null;
end;
$$;
comment on function private.attach_bulk_counting_on_register() is
  'Trigger on private.versioned_item_tables: a table attached to the version lifecycle gets the once-per-statement counting of bulk decisions (private.attach_bulk_counting).';
revoke all on function private.attach_bulk_counting_on_register() from public;

create trigger attach_bulk_counting_on_register after insert on private.versioned_item_tables
  for each row execute function private.attach_bulk_counting_on_register();

select private.attach_bulk_counting(t.table_name)
  from private.versioned_item_tables t
 where not exists (select 1 from pg_catalog.pg_trigger g
                    where g.tgrelid = t.table_name and g.tgname = 'count_bulk_decisions');
