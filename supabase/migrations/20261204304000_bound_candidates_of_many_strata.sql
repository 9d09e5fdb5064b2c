-- A stratified draw over more than 64 strata keeps its candidates few (docs/decisions/036-kept-population-statistics.md).
-- Before (20261204301000): with more strata than the scan tests a threshold each for, every row at or below the
-- largest stratum's threshold came back, which for a small stratum (whose threshold is every rank) is every row.
-- Now: over more than 64 strata one threshold serves all, about 4n + 64 per stratum of the whole population, and a
-- stratum short of candidates is drawn by the full sort (the same samples). Restates private.survey_and_draw_kept;
-- only that block is new.

create or replace function private.survey_and_draw_kept(p_selection public.sample_selections)
returns jsonb
language plpgsql
volatile
set search_path = ''
-- The planner takes a third of the rows to pass the rank filter (its default for an inequality on an expression),
-- and would not gather them from parallel workers; about 4n + 64 per stratum do.
set parallel_tuple_cost = 0
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_selection public.sample_selections := p_selection;
  v_population public.sample_selections := p_selection;
  v_one_scan boolean := p_selection.method in ('simple_random', 'stratified');
  v_stratified boolean := p_selection.method = 'stratified';
  v_key text := p_selection.key_column;
  v_seed64 bigint := private.sample_seed64(p_selection.seed);
  v_excluded text[] := coalesce(p_selection.excluded_keys, '{}');
  v_started timestamptz;
  v_stats private.population_statistics;
  v_thresholds jsonb;
  v_max bigint;
  v_rank text;
  v_quals text;
  v_scan jsonb;
  v_less jsonb;
  v_strata jsonb;
  v_candidates jsonb;
  v_draw jsonb;
  v_attempt integer := 0;
begin
  perform private.check_sample_generator(p_selection.generator_version);
  if p_selection.generator_version <> private.sample_generator_v2() then
    raise exception using errcode = 'PT409', detail = 'generator_version_unavailable',
      message = format('Snapshot version 2 is drawn by generator %s; this selection was drawn by %s.', private.sample_generator_v2(), p_selection.generator_version);
  end if;
  v_population.excluded_keys := '{}';
  loop
    v_attempt := v_attempt + 1;
    v_started := clock_timestamp();
    v_stats := private.population_statistics_of(p_selection);
    v_scan := null;
    if v_one_scan then
      -- The threshold of each stratum, from its exact row count and its share of the sample (allocated on the counts
      -- before the version's keys are taken out, which can only be larger): about 4n + 64 of its rows.
      if v_stratified then
        v_selection.strata := private.allocate_strata(v_selection, v_stats.strata);
        select jsonb_agg(jsonb_build_object('stratum', e ->> 'stratum', 'threshold',
                 private.rank_threshold((4 * (e ->> 'allocated')::numeric + 64) / nullif((e ->> 'population')::numeric, 0)))
                 order by o)
          into v_thresholds from jsonb_array_elements(v_selection.strata) with ordinality x(e, o);
        if jsonb_array_length(v_thresholds) > 64 then
          -- Too many strata for a threshold each: one for all, about 4n + 64 per stratum of the whole population (a
          -- small stratum short of candidates is drawn by the full sort), so that the candidates stay few.
          select jsonb_agg(jsonb_build_object('stratum', e ->> 'stratum', 'threshold',
                   private.rank_threshold((4 * (select sum((a ->> 'allocated')::numeric) from jsonb_array_elements(v_selection.strata) a)
                                           + 64 * jsonb_array_length(v_thresholds))
                                          / nullif(v_stats.row_count, 0))))
            into v_thresholds from jsonb_array_elements(v_thresholds) e;
        end if;
      else
        if p_selection.sample_size > v_stats.row_count then
          raise exception using errcode = 'PT409', detail = 'population_too_small',
            message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_stats.row_count, p_selection.sample_size);
        end if;
        v_thresholds := jsonb_build_array(jsonb_build_object('stratum', null, 'threshold',
          private.rank_threshold((4 * p_selection.sample_size::numeric + 64) / nullif(v_stats.row_count, 0))));
      end if;
      select coalesce(max((e ->> 'threshold')::bigint), -9223372036854775808) into v_max from jsonb_array_elements(v_thresholds) e;
      -- The rank, once per row: in the filter itself, or (when the version's keys are looked for too, which reads it
      -- twice) in a lateral placeholder the scan evaluates once.
      v_rank := case when cardinality(v_excluded) = 0
                     then format('hashtextextended(p.%I::text collate "C", %s)', v_key, v_seed64) else 'x.r' end;
      v_quals := v_rank || ' <= ' || v_max;
      -- A stratum's own threshold is tested only on the rows below the largest (the cheaper test comes first).
      if v_stratified and jsonb_array_length(v_thresholds) between 2 and 64
         and exists (select 1 from jsonb_array_elements(v_thresholds) e where (e ->> 'threshold')::bigint < v_max) then
        select v_quals || ' and ' || v_rank || ' <= case '
               || string_agg(case when e ->> 'stratum' is null
                                  then format('when p.%I is null then %s', p_selection.parameters ->> 'stratum_column', (e ->> 'threshold')::bigint)
                                  else format('when p.%I::text collate "C" = %L then %s', p_selection.parameters ->> 'stratum_column',
                                              e ->> 'stratum', (e ->> 'threshold')::bigint) end, ' ' order by o)
               || ' else ' || v_max || ' end'
          into v_quals from jsonb_array_elements(v_thresholds) with ordinality x(e, o);
      end if;
      -- The one scan: one rank per row; the rows at or below their threshold, and those of the version's keys (found
      -- by their ranks), come back. The generation is read under the scan's snapshot.
      v_quals := format(
        'select p.ctid::text as row_id, p.%1$I::text as k, %2$s as s, %3$s as r, %4$s as a from %5$s p %6$s where %7$s and (%8$s%9$s)',
        v_key, case when v_stratified then format('p.%I::text', p_selection.parameters ->> 'stratum_column') else 'null::text' end,
        v_rank, case when p_selection.amount_column is null then 'null::numeric' else format('p.%I::numeric', p_selection.amount_column) end,
        v_table,
        case when cardinality(v_excluded) = 0 then ''
             else format('left join lateral (select hashtextextended(p.%I::text collate "C", %s) as r) x on true', v_key, v_seed64) end,
        private.population_conditions(v_population), v_quals,
        case when cardinality(v_excluded) = 0 then ''
             else format(' or x.r = any (%L::bigint[])', (select array_agg(hashtextextended(k collate "C", v_seed64)) from unnest(v_excluded) k)) end);
      execute format('select jsonb_build_object(''generation'', (select g.generation from private.population_generations g where g.table_oid = %s),
                              ''rows'', coalesce(jsonb_agg(jsonb_build_array(c.row_id, c.k, c.s, c.r, c.a)), ''[]''))
                        from (%s) c', v_table::oid, v_quals)
        into v_scan;
    elsif cardinality(v_excluded) > 0 then
      -- The version's keys, to take out of the snapshot.
      execute format('select jsonb_build_object(''rows'', coalesce(jsonb_agg(jsonb_build_array(null, p.%1$I::text, null, null, %2$s)), ''[]''))
                        from %3$s p where %4$s and p.%1$I::text = any (%5$L::text[])',
                     v_key, case when p_selection.amount_column is null then 'null::numeric' else format('p.%I::numeric', p_selection.amount_column) end,
                     v_table, private.population_conditions(v_population), v_excluded)
        into v_scan;
    end if;
    if v_one_scan and v_stats.id is not null
       and coalesce((v_scan ->> 'generation')::bigint, 0) is distinct from v_stats.generation then
      -- The table changed between its statistics and the scan (a transaction committed in between): again.
      if v_attempt >= 3 then
        raise exception using errcode = 'PT409', detail = 'population_changing',
          message = 'The population changed while its samples were being drawn; try again.';
      end if;
      continue;
    end if;

    -- The snapshot: the statistics, less the rows of the version's keys.
    with x as (
      select e ->> 1 as k, e ->> 2 as s, (e ->> 4)::numeric as a from jsonb_array_elements(coalesce(v_scan -> 'rows', '[]')) e
       where e ->> 1 = any (v_excluded)
    ), per_stratum as (
      select x.s, count(*) as n from x group by x.s
    )
    select jsonb_build_object(
             'row_count', v_stats.row_count - (select count(*) from x),
             'amount_sum', case when v_stats.amount_count - (select count(x.a) from x) > 0
                                then v_stats.amount_sum - coalesce((select sum(x.a) from x), 0) end,
             'key_hash', (v_stats.key_fingerprint - coalesce((select sum(hashtextextended(x.k collate "C", 0)) from x), 0))::text,
             'strata', coalesce((select jsonb_agg(jsonb_build_object('stratum', e ->> 'stratum', 'population', (e ->> 'population')::bigint - coalesce(ps.n, 0)) order by o)
                                   from jsonb_array_elements(v_stats.strata) with ordinality y(e, o)
                                   left join per_stratum ps on ps.s is not distinct from e ->> 'stratum'
                                  where (e ->> 'population')::bigint - coalesce(ps.n, 0) > 0), '[]'))
      into v_less;
    v_selection.population_row_count := (v_less ->> 'row_count')::bigint;
    v_selection.population_amount_sum := (v_less ->> 'amount_sum')::numeric;
    v_selection.population_key_hash := v_less ->> 'key_hash';
    v_selection.strata := '[]';
    if v_stratified then
      v_selection.strata := private.allocate_strata(v_selection, v_less -> 'strata');
      v_selection.sample_size := (select sum((e ->> 'allocated')::integer) from jsonb_array_elements(v_selection.strata) e);
    elsif p_selection.method in ('simple_random', 'systematic') and v_selection.sample_size > v_selection.population_row_count then
      raise exception using errcode = 'PT409', detail = 'population_too_small',
        message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_selection.population_row_count, v_selection.sample_size);
    end if;

    if v_one_scan then
      -- The candidates: every row of a stratum ranked at or below its threshold, the version's keys left out; the
      -- allocated smallest ranks among them are the draw (or, short of candidates, a sort of every row).
      with c as (
        select e ->> 0 as row_id, e ->> 1 as k, e ->> 2 as s, (e ->> 3)::bigint as r
          from jsonb_array_elements(v_scan -> 'rows') e
         where not (e ->> 1 = any (v_excluded))
      ), t as (
        select e ->> 'stratum' as s, (e ->> 'threshold')::bigint as threshold from jsonb_array_elements(v_thresholds) e
      ), g as (
        select c.s, jsonb_agg(jsonb_build_array(c.row_id, c.k, c.r)) as rows
          from c left join t on t.s is not distinct from c.s
         where c.r <= coalesce(t.threshold, v_max)
         group by c.s
      )
      select jsonb_build_object('candidates', coalesce(jsonb_agg(jsonb_build_object('stratum', g.s, 'rows', g.rows)), '[]'))
        into v_candidates from g;
      v_draw := private.draw_from_candidates(v_selection, v_candidates);
    else
      select coalesce(jsonb_agg(to_jsonb(d) order by d.selection_order), '[]') into v_draw
        from private.draw_samples(v_selection) d;
      -- Drawn in statements of their own: the table must still be at the statistics' generation.
      if v_stats.id is not null and coalesce((select g.generation from private.population_generations g where g.table_oid = v_table), 0)
                                    is distinct from v_stats.generation then
        if v_attempt >= 3 then
          raise exception using errcode = 'PT409', detail = 'population_changing',
            message = 'The population changed while its samples were being drawn; try again.';
        end if;
        continue;
      end if;
    end if;
    return jsonb_build_object('row_count', v_selection.population_row_count, 'amount_sum', v_selection.population_amount_sum,
                              'key_hash', v_selection.population_key_hash, 'strata', to_jsonb(v_selection.strata),
                              'sample_size', v_selection.sample_size, 'draw', v_draw,
                              'snapshot_version', private.sample_snapshot_v2(),
                              'snapshot_computed_at', v_stats.computed_at,
                              'statistics', case when v_stats.id is null then 'counted, not kept'
                                                 when v_stats.computed_at >= v_started then 'counted' else 'kept' end,
                              'statistics_ms', v_stats.duration_ms);
  end loop;
end;
$$;
comment on function private.survey_and_draw_kept(public.sample_selections) is
  'Generator version 2 with snapshot version 2: the snapshot from the population''s kept statistics (counted first if need be) less the rows of the version''s keys, the strata with their allocation, and the draw: {row_count, amount_sum, key_hash (sum of hashtextextended(key, 0)), strata, sample_size, draw: [{row_id, sample_key, stratum, selection_order, selection_reason}], snapshot_version, snapshot_computed_at (when the statistics were counted), statistics (kept | counted | counted, not kept), statistics_ms}. Simple random and stratified draws are one scan (one rank per row, the rows at or below per-stratum thresholds from the exact counts; the full sort when a stratum is short of candidates: the same samples); the other methods draw as version 2 does (private.draw_samples). Errors: those of the draw; PT409 generator_version_unavailable | population_changing (the table kept changing during three attempts).';

