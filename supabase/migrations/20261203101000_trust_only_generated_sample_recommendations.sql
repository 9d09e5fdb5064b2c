-- Provenance cannot be forged on samples (issue 10, item 8, for the sample_decisions table added after it).
--
-- Before: sample_decisions.recommendation_source took any of its values from the client, so a tester could add
-- the samples they chose as 'llm' and the workspace and the samples CSV then showed them as the LLM's
-- recommendation: a hand-picked sample passed for one the tester did not choose.
-- Now 'llm' is written only by the service_role (the generation function) or a database operator; anyone else
-- gets PT403 llm_recommendation_by_generation. create_version's copy is untouched (shape_sample_decision, which
-- fires first, has already made a carried sample 'carried_forward'), and the source of a sample never changes
-- after insert (shape_sample_decision's sample_column_immutable).

create function private.shape_sample_recommendation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.recommendation_source = 'llm' and not (private.is_service() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'llm_recommendation_by_generation',
      message = 'A sample is recorded as recommended by an LLM only by the generation function.',
      hint = 'Add the samples you choose as tester (or manual, for one added at someone''s request).';
  end if;
  return new;
end;
$$;
comment on function private.shape_sample_recommendation() is
  'Trigger on sample_decisions (before insert, after shape_sample_decision): recommendation_source ''llm'' is written only by the service_role or a database operator; anyone else gets PT403 llm_recommendation_by_generation.';
revoke execute on function private.shape_sample_recommendation() from public;

-- Named to fire after shape_sample_decision, which turns create_version's copies into carried_forward samples.
create trigger shape_sample_recommendation
  before insert on public.sample_decisions
  for each row execute function private.shape_sample_recommendation();
