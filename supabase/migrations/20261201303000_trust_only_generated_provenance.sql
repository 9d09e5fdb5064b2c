-- Provenance cannot be forged: llm_metadata is written by the generation function only.
--
-- Before: anyone who could add an item could send llm_metadata, and planning's auto-approval read the
-- mapping's llm_metadata.confidence_score: a tester POSTed a mapping with {"confidence_score": 1} and it came
-- back approved "by rule default". The app also shows llm_metadata as the LLM's proposal.
-- Now llm_metadata of planning attributes, PDE mappings and profiling rules is set only by the service_role
-- (the generation function stores its proposals as the service_role) or a database operator, and carried by
-- create_version's copy; any other insert or change of it is refused with PT403
-- llm_metadata_written_by_generation (removing it is allowed: that claims nothing). So every confidence the
-- auto-approval rules read was written by the generation function.

create function private.guard_llm_provenance()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.is_service() or private.is_operator() then
    return new;
  end if;
  -- create_version's copy (see guard_versioned_item): the parent's provenance, as written.
  if tg_op = 'INSERT' and pg_trigger_depth() > 1
     and coalesce(current_setting('regtest.copying_version_id', true) = new.version_id::text, false) then
    return new;
  end if;
  if new.llm_metadata is not null
     and (tg_op = 'INSERT' or new.llm_metadata is distinct from old.llm_metadata) then
    raise exception using errcode = 'PT403', detail = 'llm_metadata_written_by_generation',
      message = 'llm_metadata records what the LLM proposed and is written by the generation function only.',
      hint = 'Leave llm_metadata out; items added by hand have none.';
  end if;
  return new;
end;
$$;
comment on function private.guard_llm_provenance() is
  'Trigger on items with llm_metadata: only the service_role (the generation function), a database operator or create_version''s copy write it; anyone else gets PT403 llm_metadata_written_by_generation (clearing it is allowed). Auto-approval therefore reads only confidences the generation function wrote.';

create trigger guard_llm_provenance
  before insert or update on public.planning_attributes
  for each row execute function private.guard_llm_provenance();
create trigger guard_llm_provenance
  before insert or update on public.planning_pde_mappings
  for each row execute function private.guard_llm_provenance();
create trigger guard_llm_provenance
  before insert or update on public.profiling_rules
  for each row execute function private.guard_llm_provenance();

revoke execute on function private.guard_llm_provenance() from public;
