-- A masked column cannot choose, filter, order or sum a sample's population (issue 10, item 2, for sample
-- selection, built after it).
--
-- Before: run_sample_selection took any column of the population as its key, filter, stratum or amount column.
-- A tester filtering on a column classified confidential (tax_id = 'TAX-7', tax_id >= 'TAX-5') learnt from the
-- recorded population_row_count, or from the refusal "The population has 1 rows", how many rows hold a guessed
-- value, and so the values themselves one guess at a time; a masked key or stratum column showed its values as
-- sample keys and strata, and a masked amount column its sum.
-- Now private.population_column, through which every population column is named (key, filter, stratum, amount,
-- in run_sample_selection and the draws), refuses a column that private.profiling_masked_source_columns masks for
-- the population's table, with PT403 masked_population_column, before anything is counted.
--
-- Redefines private.population_column (from 20261202502000_create_sample_selections).

create function private.population_masked_columns(p_table regclass)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.profiling_masked_source_columns(
    (select s.id from public.planning_data_sources s
      where s.source_type = 'file_upload' and s.table_name = c.relname
      order by s.created_at limit 1)), '{}')
    from pg_catalog.pg_class c
   where c.oid = p_table
$$;
comment on function private.population_masked_columns(regclass) is
  'The columns of a population table (an upload in source_data) that private.profiling_masked_source_columns masks, decided when called; empty for a table no data source reads.';
revoke execute on function private.population_masked_columns(regclass) from public;

create or replace function private.population_column(p_table regclass, p_column text, p_what text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_column is null or not exists (select 1 from pg_catalog.pg_attribute a
                  where a.attrelid = p_table and a.attname = p_column and a.attnum > 0 and not a.attisdropped) then
    raise exception using errcode = 'PT400', detail = 'unknown_population_column',
      message = format('The population has no column %s (the %s).', coalesce(p_column, '(none)'), p_what);
  end if;
  if p_column = any (private.population_masked_columns(p_table)) then
    raise exception using errcode = 'PT403', detail = 'masked_population_column',
      message = format('Column %s is classified confidential, restricted or personal data: it cannot be the %s of a population, which would show its values.',
                       p_column, p_what),
      hint = 'Choose a column planning does not mask; samples show masked columns as ***.';
  end if;
  return p_column;
end;
$$;
comment on function private.population_column(regclass, text, text) is
  'A column of the population table, by name (PT400 unknown_population_column naming what it was for); never a masked one (PT403 masked_population_column), so a key, filter, stratum or amount column cannot show or count masked values.';
