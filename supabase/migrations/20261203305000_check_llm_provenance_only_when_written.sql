-- The provenance guard asks who the caller is only when llm_metadata is written.
--
-- Before: private.guard_llm_provenance asked is_service() and is_operator() for every inserted or updated row, first;
-- a bulk decision over 2,000 attributes asked 4,000 times although no decision writes llm_metadata. Now it first
-- looks at the row (llm_metadata set, and new or changed) and only then at the caller and the copy. The same rows are
-- refused (PT403 llm_metadata_written_by_generation) and let through; only the order of the tests changed.
--
-- Redefines private.guard_llm_provenance (20261201303000_trust_only_generated_provenance).

create or replace function private.guard_llm_provenance()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.llm_metadata is null
     or (tg_op = 'UPDATE' and new.llm_metadata is not distinct from old.llm_metadata) then
    return new;
  end if;
  if private.is_service() or private.is_operator() then
    return new;
  end if;
  -- create_version's copy (see guard_versioned_item): the parent's provenance, as written.
  if tg_op = 'INSERT' and pg_trigger_depth() > 1
     and coalesce(current_setting('regtest.copying_version_id', true) = new.version_id::text, false) then
    return new;
  end if;
  raise exception using errcode = 'PT403', detail = 'llm_metadata_written_by_generation',
    message = 'llm_metadata records what the LLM proposed and is written by the generation function only.',
    hint = 'Leave llm_metadata out; items added by hand have none.';
end;
$$;
comment on function private.guard_llm_provenance() is
  'Trigger on items with llm_metadata: only the service_role (the generation function), a database operator or create_version''s copy write it; anyone else gets PT403 llm_metadata_written_by_generation (clearing it is allowed). Auto-approval therefore reads only confidences the generation function wrote. The caller is asked only when a row writes llm_metadata.';
