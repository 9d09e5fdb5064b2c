-- Generator version 2 run where a database population lives. A sample selection drawn from a database data source
-- (an external PostgreSQL) cannot be surveyed from here; the worker runs these statements in the source database
-- instead. They are built here, by the project's SQL, with the semantics of private.survey_population and
-- private.draw_from_candidates: the rank hashtextextended(key::text collate "C", seed64), ties by the key in byte
-- order, the key hash the exact sum of the ranks, strata in byte order with null last. Identifiers are quoted
-- (format %I); every value (the seed, filter values, excluded keys, strata, thresholds, drawn keys) is a bound
-- parameter $n: a statement is {sql, params}, params the values of $1, $2, … as text.

create function private.database_population_column(p_source public.planning_data_sources, p_column text, p_what text)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_column is null or not exists (select 1 from jsonb_array_elements(coalesce(p_source.schema -> 'columns', '[]')) c
                                      where c ->> 'name' = p_column) then
    raise exception using errcode = 'PT400', detail = 'unknown_population_column',
      message = format('The population has no column %s (the %s).', coalesce(p_column, '(none)'), p_what),
      hint = 'The columns are those the data source''s last connection test found.';
  end if;
  if p_column = any (private.profiling_masked_source_columns(p_source.id)) then
    raise exception using errcode = 'PT403', detail = 'masked_population_column',
      message = format('Column %s is classified confidential, restricted or personal data: it cannot be the %s of a population, which would show its values.',
                       p_column, p_what),
      hint = 'Choose a column planning does not mask; samples show masked columns as ***.';
  end if;
  return p_column;
end;
$$;

comment on function private.database_population_column(public.planning_data_sources, text, text) is
  'A column of a database population, by name, among the columns its data source''s connection test found (PT400 unknown_population_column naming what it was for); never a masked one (PT403 masked_population_column).';

revoke all on function private.database_population_column(public.planning_data_sources, text, text) from public;

create function private.database_population_conditions(p_selection public.sample_selections,
                                                       p_source public.planning_data_sources, p_first integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_sql text := format('p.%I is not null', private.database_population_column(p_source, p_selection.key_column, 'key column'));
  v_params text[] := '{}';
  v_condition jsonb;
  v_column text;
  v_op text;
begin
  for v_condition in select c from jsonb_array_elements(p_selection.filter) c loop
    if jsonb_typeof(v_condition) <> 'object' then
      raise exception using errcode = 'PT400', detail = 'invalid_population_filter',
        message = 'Each filter condition is an object {column, op, value}.';
    end if;
    v_column := private.database_population_column(p_source, v_condition ->> 'column', 'filter');
    v_op := v_condition ->> 'op';
    if v_op in ('eq', 'neq', 'lt', 'lte', 'gt', 'gte')
       and jsonb_typeof(v_condition -> 'value') in ('string', 'number', 'boolean') then
      -- An untyped parameter takes the column's type, as the quoted literal of a local population does.
      v_sql := v_sql || format(' and p.%I %s $%s', v_column,
        case v_op when 'eq' then '=' when 'neq' then '<>' when 'lt' then '<' when 'lte' then '<='
                  when 'gt' then '>' else '>=' end, p_first + cardinality(v_params));
      v_params := v_params || (v_condition ->> 'value');
    elsif v_op = 'in' and jsonb_typeof(v_condition -> 'values') = 'array'
          and jsonb_array_length(v_condition -> 'values') between 1 and 1000
          and not exists (select 1 from jsonb_array_elements(v_condition -> 'values') e
                           where jsonb_typeof(e) not in ('string', 'number', 'boolean')) then
      v_sql := v_sql || format(' and p.%I in (%s)', v_column,
        (select string_agg('$' || (p_first + cardinality(v_params) + o - 1), ', ' order by o)
           from jsonb_array_elements_text(v_condition -> 'values') with ordinality x(e, o)));
      v_params := v_params || (select array_agg(e order by o) from jsonb_array_elements_text(v_condition -> 'values') with ordinality x(e, o));
    elsif v_op = 'is_null' then
      v_sql := v_sql || format(' and p.%I is null', v_column);
    elsif v_op = 'not_null' then
      v_sql := v_sql || format(' and p.%I is not null', v_column);
    else
      raise exception using errcode = 'PT400', detail = 'invalid_population_filter',
        message = format('Filter condition %s: op is eq, neq, lt, lte, gt, gte (with a value), in (with values) or is_null / not_null.', v_condition);
    end if;
  end loop;
  if cardinality(p_selection.excluded_keys) > 0 then
    v_sql := v_sql || format(' and not (p.%I::text = any ($%s::text[]))', p_selection.key_column, p_first + cardinality(v_params));
    v_params := v_params || p_selection.excluded_keys::text;
  end if;
  return jsonb_build_object('sql', v_sql, 'params', to_jsonb(v_params));
end;
$$;

comment on function private.database_population_conditions(public.sample_selections, public.planning_data_sources, integer) is
  'The condition (on alias p) a row of a database population meets, as private.population_conditions writes it for an upload, with every value a bound parameter numbered from p_first: {sql, params}. Errors: PT400 invalid_population_filter | unknown_population_column; PT403 masked_population_column.';

revoke all on function private.database_population_conditions(public.sample_selections, public.planning_data_sources, integer) from public;

create function private.database_stratum_expression(p_selection public.sample_selections, p_source public.planning_data_sources)
returns text
language sql
stable
set search_path = ''
as $$
  select case when p_selection.method = 'stratified'
    then format('p.%I::text', private.database_population_column(p_source, p_selection.parameters ->> 'stratum_column', 'stratum column'))
    else 'null::text' end
$$;

comment on function private.database_stratum_expression(public.sample_selections, public.planning_data_sources) is
  'The stratum of a row of a database population (on alias p): the stratum column as text for a stratified selection, null otherwise.';

revoke all on function private.database_stratum_expression(public.sample_selections, public.planning_data_sources) from public;

create function private.database_generator_check_statement()
returns jsonb
language sql
stable
set search_path = ''
as $$
  -- private.check_sample_generator's two known answers, asked of the source database's server.
  select jsonb_build_object(
    'sql', 'select hashtextextended(''regtest-sampling/2'' collate "C", 1) = -2327681769591252302
               and hashtextextended(''K01'' collate "C", $1::bigint) = 1209192892653304119 as ok',
    'params', jsonb_build_array(private.sample_seed64('kat')::text))
$$;

comment on function private.database_generator_check_statement() is
  'Generator version 2: the statement that checks, in a source database, the two known answers of private.check_sample_generator (hashtextextended on a little-endian server); returns one row {ok}.';

revoke all on function private.database_generator_check_statement() from public;

create function private.database_survey_statement(p_selection public.sample_selections, p_source public.planning_data_sources)
returns jsonb
language plpgsql
stable
set search_path = ''
as $_$
declare
  v_conditions jsonb := private.database_population_conditions(p_selection, p_source, 2);
  v_stratified boolean := p_selection.method = 'stratified';
begin
  return jsonb_build_object('sql', format(
    'select jsonb_build_object(
              ''row_count'', coalesce(sum(g.n), 0),
              ''amount_sum'', sum(g.a),
              ''key_hash'', coalesce(sum(g.h), 0)::text,
              ''strata'', coalesce(jsonb_agg(jsonb_build_object(''stratum'', g.s, ''population'', g.n) order by g.s collate "C" nulls last)
                                  filter (where %1$s), ''[]''::jsonb)) as survey
       from (select %2$s as s, count(*) as n, %3$s as a, sum(x.r) as h
               from %4$I.%5$I p left join lateral (select hashtextextended(p.%6$I::text collate "C", $1::bigint) as r) x on true
              where %7$s %8$s) g',
    case when v_stratified then 'true' else 'false' end,
    private.database_stratum_expression(p_selection, p_source),
    case when p_selection.amount_column is null then 'null::numeric'
         else format('sum(p.%I::numeric)', private.database_population_column(p_source, p_selection.amount_column, 'amount column')) end,
    coalesce(p_source.schema_name, 'public'), p_source.table_name, p_selection.key_column,
    v_conditions ->> 'sql', case when v_stratified then 'group by 1' else '' end),
    'params', jsonb_build_array(private.sample_seed64(p_selection.seed)::text) || (v_conditions -> 'params'));
end;
$_$;

comment on function private.database_survey_statement(public.sample_selections, public.planning_data_sources) is
  'Generator version 2: the statement that surveys a database population in its own database, as private.survey_population does an upload: one row {survey: {row_count, amount_sum, key_hash, strata: [{stratum, population}]}}.';

revoke all on function private.database_survey_statement(public.sample_selections, public.planning_data_sources) from public;

create function private.database_draw_statement(p_selection public.sample_selections, p_source public.planning_data_sources,
                                                p_all boolean)
returns jsonb
language plpgsql
stable
set search_path = ''
as $_$
declare
  v_conditions jsonb := private.database_population_conditions(p_selection, p_source, 2);
  v_next integer := 2 + jsonb_array_length(v_conditions -> 'params');
  v_allocation jsonb := case when p_selection.method = 'stratified' then p_selection.strata
                             else jsonb_build_array(jsonb_build_object('stratum', null, 'population', p_selection.population_row_count,
                                                                       'allocated', p_selection.sample_size)) end;
  v_strata text;
  v_allocated text;
  v_thresholds text;
begin
  -- Per stratum the rank at or below which a row is a candidate, about 4n + 64 of its rows (as
  -- private.candidate_threshold, from the exact counts of the survey); every row when p_all (too few candidates).
  select array_agg(e ->> 'stratum' order by o)::text,
         array_agg((e ->> 'allocated')::bigint order by o)::text,
         array_agg(case when p_all or (4 * (e ->> 'allocated')::numeric + 64) >= (e ->> 'population')::numeric
                        then 9223372036854775807
                        else floor(-9223372036854775808 + (4 * (e ->> 'allocated')::numeric + 64) / (e ->> 'population')::numeric
                                                          * 18446744073709551616)::bigint end order by o)::text
    into v_strata, v_allocated, v_thresholds
    from jsonb_array_elements(v_allocation) with ordinality x(e, o);
  return jsonb_build_object('sql', format(
    'select coalesce(jsonb_agg(jsonb_build_array(d.s, d.k, d.r::text) order by d.s collate "C" nulls last, d.rn), ''[]''::jsonb) as draw
       from (select t.s, t.k, t.r, a.n, row_number() over (partition by t.s order by t.r, t.k collate "C") as rn
               from (select %1$s as s, p.%2$I::text as k, hashtextextended(p.%2$I::text collate "C", $1::bigint) as r
                       from %3$I.%4$I p where %5$s) t
               join unnest($%6$s::text[], $%7$s::bigint[], $%8$s::bigint[]) as a (s, n, th) on a.s is not distinct from t.s
              where t.r <= a.th) d
      where d.rn <= d.n',
    private.database_stratum_expression(p_selection, p_source), p_selection.key_column,
    coalesce(p_source.schema_name, 'public'), p_source.table_name, v_conditions ->> 'sql', v_next, v_next + 1, v_next + 2),
    'params', jsonb_build_array(private.sample_seed64(p_selection.seed)::text) || (v_conditions -> 'params')
              || jsonb_build_array(coalesce(v_strata, '{}'), coalesce(v_allocated, '{}'), coalesce(v_thresholds, '{}')));
end;
$_$;

comment on function private.database_draw_statement(public.sample_selections, public.planning_data_sources, boolean) is
  'Generator version 2: the statement that draws a simple random or stratified selection (its strata allocated) in the population''s own database, as private.draw_from_candidates does from an upload''s candidates: one row {draw: [[stratum, key, rank as text], …]} in draw order (stratum in byte order, null last; rank; key). With p_all false only rows whose rank is at most a per-stratum threshold are ranked; a stratum with fewer than its allocation is drawn again with p_all.';

revoke all on function private.database_draw_statement(public.sample_selections, public.planning_data_sources, boolean) from public;

create function private.database_fetch_statement(p_selection public.sample_selections, p_source public.planning_data_sources)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $_$
declare
  v_conditions jsonb := private.database_population_conditions(p_selection, p_source, 2);
  v_masked text[] := private.profiling_masked_source_columns(p_selection.data_source_id);
begin
  -- Only the sample's columns of the drawn rows; a masked column is never read, its value is *** already there.
  return jsonb_build_object('sql', format(
    'select p.%1$I::text as k, jsonb_build_object(%2$s) as v from %3$I.%4$I p where %5$s and p.%1$I::text = any ($1::text[])',
    p_selection.key_column,
    (select string_agg(case when c = any (v_masked) then format('%L, ''***''::text', c) else format('%L, p.%I', c, c) end, ', ' order by o)
       from unnest(private.sample_columns(p_selection)) with ordinality x(c, o)),
    coalesce(p_source.schema_name, 'public'), p_source.table_name, v_conditions ->> 'sql'),
    'params', v_conditions -> 'params');
end;
$_$;

comment on function private.database_fetch_statement(public.sample_selections, public.planning_data_sources) is
  'The statement that reads, in a database population''s own database, the sample values of the drawn rows ($1: their keys as text[]; the population''s condition''s values follow): rows {k, v} with v the sample''s columns (private.sample_columns), the masked ones (private.profiling_masked_source_columns) as *** without being read.';

revoke all on function private.database_fetch_statement(public.sample_selections, public.planning_data_sources) from public;
