-- private.accept_database_draw counted the samples per stratum with a full join on "is not distinct from", which
-- PostgreSQL does not run (FULL JOIN is only supported with merge-joinable or hash-joinable join conditions): each
-- allocated stratum is counted on its own, and a sample of a stratum not allocated refused.

create or replace function private.accept_database_draw(p_selection public.sample_selections, p_draw jsonb)
returns table (sample_key text, stratum text, selection_order integer, selection_reason text, sample_data jsonb)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_seed64 bigint := private.sample_seed64(p_selection.seed);
  v_columns text[] := private.sample_columns(p_selection);
  v_masked text[] := private.profiling_masked_source_columns(p_selection.data_source_id);
  v_allocation jsonb := case when p_selection.method = 'stratified' then p_selection.strata
                             else jsonb_build_array(jsonb_build_object('stratum', null, 'allocated', p_selection.sample_size)) end;
  v_bad text;
begin
  if jsonb_typeof(p_draw) is distinct from 'array'
     or exists (select 1 from jsonb_array_elements(p_draw) e
                 where jsonb_typeof(e) <> 'object' or jsonb_typeof(e -> 'sample_key') is distinct from 'string'
                    or coalesce(jsonb_typeof(e -> 'stratum'), 'null') not in ('string', 'null')
                    or jsonb_typeof(e -> 'rank') is distinct from 'string' or (e ->> 'rank') !~ '^-?\d{1,19}$'
                    or jsonb_typeof(e -> 'sample_data') is distinct from 'object') then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = 'The draw is [{sample_key, stratum, rank, sample_data}] in draw order.';
  end if;
  select d.k into v_bad from (select e ->> 'sample_key' as k from jsonb_array_elements(p_draw) e) d group by d.k having count(*) > 1 limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT409', detail = 'population_key_not_unique',
      message = format('Key %s identifies more than one row of the population; choose a key column whose values are unique.', v_bad);
  end if;
  -- Every rank is the generator's for its key and seed, recomputed here.
  select e ->> 'sample_key' into v_bad from jsonb_array_elements(p_draw) e
   where (e ->> 'rank')::numeric is distinct from hashtextextended((e ->> 'sample_key') collate "C", v_seed64)
      or (e ->> 'sample_key') = any (p_selection.excluded_keys)
   limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = format('Key %s: its rank is not the generator''s for this seed, or it is a key the draw leaves out.', v_bad);
  end if;
  -- As many per stratum as allocated, in draw order: stratum (byte order, null last), rank, key.
  if exists (select 1 from jsonb_array_elements(v_allocation) a
             where (a ->> 'allocated')::bigint <> (select count(*) from jsonb_array_elements(p_draw) e
                                                    where (e ->> 'stratum') is not distinct from (a ->> 'stratum')))
     or exists (select 1 from jsonb_array_elements(p_draw) e
                 where not exists (select 1 from jsonb_array_elements(v_allocation) a
                                    where (a ->> 'stratum') is not distinct from (e ->> 'stratum')))
     or exists (select 1 from jsonb_array_elements(p_draw) with ordinality x(e, o)
                  join jsonb_array_elements(p_draw) with ordinality y(f, q) on q = o + 1
                 where (e ->> 'stratum' is not null and f ->> 'stratum' is not null
                        and (e ->> 'stratum') collate "C" > (f ->> 'stratum') collate "C")
                    or (e ->> 'stratum' is null and f ->> 'stratum' is not null)
                    or ((e ->> 'stratum') is not distinct from (f ->> 'stratum')
                        and ((e ->> 'rank')::bigint, (e ->> 'sample_key') collate "C") >= ((f ->> 'rank')::bigint, (f ->> 'sample_key') collate "C"))) then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = 'The draw does not have the allocated number of samples per stratum in draw order.';
  end if;
  -- The sample's columns exactly, the key among them; masked columns are masked here whatever came.
  select e ->> 'sample_key' into v_bad from jsonb_array_elements(p_draw) e
   where (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(e -> 'sample_data') k)
         is distinct from (select array_agg(c order by c) from unnest(v_columns) c)
      or (e -> 'sample_data' ->> p_selection.key_column) is distinct from (e ->> 'sample_key')
   limit 1;
  if v_bad is not null then
    raise exception using errcode = 'PT400', detail = 'invalid_database_draw',
      message = format('Key %s: its values are not those of the sample''s columns (%s).', v_bad, array_to_string(v_columns, ', '));
  end if;
  return query
    select e ->> 'sample_key', e ->> 'stratum', o::integer,
           case when p_selection.method = 'stratified'
                then format('stratified: rank %s in stratum %s', row_number() over (partition by e ->> 'stratum' order by o), coalesce(e ->> 'stratum', '(none)'))
                else format('simple random: rank %s of %s', o, p_selection.population_row_count) end,
           (e -> 'sample_data') || coalesce((select jsonb_object_agg(c, '***') from unnest(v_masked) c where c = any (v_columns)), '{}')
      from jsonb_array_elements(p_draw) with ordinality x(e, o)
     order by o;
end;
$$;

comment on function private.accept_database_draw(public.sample_selections, jsonb) is
  'The samples of a draw of a database population, checked against its surveyed and allocated selection: keys unique (PT409 population_key_not_unique), each rank the generator''s for its key and seed, no excluded key, the allocated number per stratum in draw order, the values exactly the sample''s columns with its key (PT400 invalid_database_draw); masked columns set to ***. Returns the rows to record with their order and reason.';

