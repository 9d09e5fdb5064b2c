-- A sample added by key (by hand, or asked for by the owner) has its values read from the version's population in
-- this database (private.shape_sample_decision). A database population is not here (decision 037): such an insert
-- is refused with a code of its own, instead of the missing table's error. Draws and carried samples pass.

create function private.refuse_sample_by_key_from_database()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('regtest.sampling_version_id', true) = new.version_id::text, false)
     or (new.parent_item_id is not null and private.is_copying_version(new.version_id)) then
    return new;
  end if;
  if exists (select 1 from public.sample_selections s join public.planning_data_sources d on d.id = s.data_source_id
              where s.version_id = new.version_id and d.source_type = 'database') then
    raise exception using errcode = 'PT409', detail = 'database_population_sample_by_key_not_supported',
      message = 'This version''s population is a database table: samples are drawn from it in the background, not added by key.',
      hint = 'Draw again with a larger size, or upload an extract of the table in planning to pick samples by key.';
  end if;
  return new;
end;
$$;

comment on function private.refuse_sample_by_key_from_database() is
  'Trigger on sample_decisions: a sample added by key to a version whose population is a database table is refused (PT409 database_population_sample_by_key_not_supported), since its values cannot be read here; draws (the transaction-local marker) and create_version''s copies pass.';

revoke all on function private.refuse_sample_by_key_from_database() from public;

-- Named to run before shape_sample_decision (same timing, triggers fire in name order), which would read the table.
create trigger refuse_sample_by_key_from_database
  before insert on public.sample_decisions
  for each row execute function private.refuse_sample_by_key_from_database();
