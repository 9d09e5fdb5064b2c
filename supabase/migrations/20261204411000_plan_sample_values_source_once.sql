-- private.sample_values_source runs once per sample inserted (withhold_sample_values), and as a SQL function with its
-- own search_path it was parsed and planned again on every call: about 0.4 ms a sample, the largest part of writing
-- a draw's samples. As PL/pgSQL its plan is kept for the session. Same answer; restates the function from
-- 20261204100000_keep_sample_values_private.
create or replace function private.sample_values_source(p_version_id uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_source uuid;
begin
  -- The version's own selection; without one (samples an owner asked for, added to a draft that has not drawn),
  -- the newest selection of the same phase, whose population add_requested_samples reads.
  select s.data_source_id into v_source from public.sample_selections s where s.version_id = p_version_id;
  if v_source is null then
    select s.data_source_id into v_source
      from public.sample_selections s
      join public.artifact_versions o on o.id = s.version_id
      join public.artifact_versions v on v.phase_id = o.phase_id
     where v.id = p_version_id
     order by o.version_number desc
     limit 1;
  end if;
  return v_source;
end;
$$;
