-- Failed-row samples also mask the columns whose PDE mappings say they hold confidential, restricted or
-- personal data: a mapping's classification (information_security, pii_flag) is as binding as its attribute's.
-- One definition serves the worker (which masks) and the results guard (which refuses unmasked samples).

create function private.profiling_masked_source_columns(p_data_source_id uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct a.source_column order by a.source_column), '{}')
    from public.planning_attributes a
   where a.data_source_id = p_data_source_id and a.source_column is not null
     and (a.information_security_classification in ('confidential', 'restricted')
          or exists (select 1 from public.planning_pde_mappings m
                      where m.attribute_id = a.id
                        and (m.classification ->> 'information_security' in ('confidential', 'restricted')
                             or m.classification -> 'pii_flag' = 'true'::jsonb)))
$$;
comment on function private.profiling_masked_source_columns(uuid) is
  'Columns of a data source shown as ''***'' in failed-row samples: those read by a planning attribute classified confidential or restricted, or by one with a PDE mapping classified confidential or restricted or flagged as personal data (pii_flag).';

create or replace function private.profiling_masked_columns(p_rule_id uuid)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select private.profiling_masked_source_columns(a.data_source_id)
                     from public.profiling_rules r join public.planning_attributes a on a.id = r.attribute_id
                    where r.id = p_rule_id), '{}')
$$;
comment on function private.profiling_masked_columns(uuid) is
  'The masked columns (private.profiling_masked_source_columns) of a rule''s data source; their values never appear in failed-row samples.';

revoke execute on function private.profiling_masked_source_columns(uuid) from public;
grant execute on function private.profiling_masked_source_columns(uuid) to service_role;
