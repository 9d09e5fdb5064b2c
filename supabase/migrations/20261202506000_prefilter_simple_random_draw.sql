-- The simple random draw sorts only the rows whose rank is below a threshold, as the stratified draw does: when
-- at least n rows are below it, the n smallest ranks of all rows are among them, so the samples are the same as
-- those of a sort of every row (the generator does not change); with fewer, it sorts every row. On 10,000,000 rows
-- the sort of every row's rank was most of the draw's time (bench/sampling).

create function private.draw_simple_random(p_selection public.sample_selections)
returns table (row_id tid, sample_key text, stratum text, selection_order integer, selection_reason text)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_rank text := format('md5(%L || p.%I::text)', p_selection.seed || ':', p_selection.key_column);
  v_query text;
  v_threshold text;
  v_rows jsonb;
begin
  -- Rows of rank below the threshold: about 4n + 64 of the population's N (none left out when that is all of them).
  v_threshold := lpad(to_hex(least(4294967295, ceil(4294967296 * least(1,
    (p_selection.sample_size * 4 + 64)::numeric / greatest(p_selection.population_row_count, 1))))::bigint), 8, '0');
  v_query := format(
    'select s.row_id, s.k, s.r from (select p.ctid as row_id, p.%1$I::text as k, %2$s as r from %3$s p where %4$s /* prefilter */) s
      order by s.r collate "C", s.k collate "C" limit %5$s',
    p_selection.key_column, v_rank, v_table, private.population_conditions(p_selection), p_selection.sample_size);
  execute format('select coalesce(jsonb_agg(jsonb_build_object(''row_id'', d.row_id::text, ''k'', d.k, ''r'', d.r)), ''[]'') from (%s) d',
                 replace(v_query, '/* prefilter */', format(' and %s collate "C" < %L', v_rank, v_threshold)))
    into v_rows;
  if jsonb_array_length(v_rows) < p_selection.sample_size then
    execute format('select coalesce(jsonb_agg(jsonb_build_object(''row_id'', d.row_id::text, ''k'', d.k, ''r'', d.r)), ''[]'') from (%s) d',
                   replace(v_query, '/* prefilter */', ''))
      into v_rows;
  end if;
  return query
    select (d ->> 'row_id')::tid, d ->> 'k', null::text, o::integer,
           'simple random: rank ' || o || ' of ' || p_selection.population_row_count
      from jsonb_array_elements(v_rows) with ordinality as x(d, o)
     order by o;
end;
$$;
comment on function private.draw_simple_random(public.sample_selections) is
  'Simple random draw of generator regtest-sampling/1: the n rows of smallest rank md5(seed:key) (byte order, ties by key), in rank order. Sorts only the rows below a rank threshold (about 4n + 64 of the population''s rows) when at least n are below it, else every row; the samples are the same either way.';
revoke execute on function private.draw_simple_random(public.sample_selections) from public;

create or replace function private.draw_samples(p_selection public.sample_selections)
returns table (row_id tid, sample_key text, stratum text, selection_order integer, selection_reason text)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_key text := p_selection.key_column;
  v_where text := private.population_conditions(p_selection);
  v_seed text := p_selection.seed;
  v_n integer := p_selection.sample_size;
  v_rank text := format('md5(%L || p.%I::text)', p_selection.seed || ':', p_selection.key_column);
  v_total bigint := p_selection.population_row_count;
  v_step numeric;
  v_start numeric;
  v_amount text;
  v_threshold text;
  v_profiling uuid;
  v_query text;
  v_rule record;
  v_missing text;
  v_rows jsonb;
begin
  if p_selection.generator_version <> private.sample_generator_version() then
    raise exception using errcode = 'PT409', detail = 'generator_version_unavailable',
      message = format('The selection was drawn by %s; this database has %s.', p_selection.generator_version, private.sample_generator_version());
  end if;

  if p_selection.method = 'simple_random' then
    return query select * from private.draw_simple_random(p_selection);

  elsif p_selection.method = 'systematic' then
    -- Rows in key order; every (N / n)th from a random start in the first interval.
    if v_n > v_total then
      raise exception using errcode = 'PT409', detail = 'population_too_small',
        message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_total, v_n);
    end if;
    if v_n = 0 then return; end if;
    v_step := v_total::numeric / v_n;
    v_start := private.sample_uniform(v_seed, 'systematic start') * v_step;
    return query execute format(
      'with o as (select p.ctid as row_id, p.%1$I::text as k, row_number() over (order by p.%1$I::text collate "C") - 1 as pos
                    from %2$s p where %3$s),
            pick as (select i, floor(%4$s + i * %5$s)::bigint as pos from generate_series(0, %6$s - 1) i)
       select o.row_id, o.k, null::text, (pick.i + 1)::integer,
              format(''systematic: position %%s of %%s (start %%s, interval %%s)'', o.pos + 1, %7$s, round(%4$s, 4), round(%5$s, 4))
         from pick join o on o.pos = pick.pos order by pick.i',
      v_key, v_table, v_where, v_start, v_step, v_n, v_total);

  elsif p_selection.method = 'stratified' then
    -- Within each stratum, the rows of smallest rank. Only rows whose rank is below a threshold are sorted: when
    -- every stratum has enough of them, the smallest ranks of all rows are among them, so the draw is the same.
    v_threshold := lpad(to_hex(least(4294967295, ceil(4294967296 * least(1,
      (select coalesce(max(((e ->> 'allocated')::numeric * 4 + 64) / nullif((e ->> 'population')::numeric, 0)), 1)
         from jsonb_array_elements(p_selection.strata) e))))::bigint), 8, '0');
    v_query := format(
      'with a as (select e ->> ''stratum'' as s, (e ->> ''allocated'')::bigint as n from jsonb_array_elements(%1$L::jsonb) e),
            c as (select p.ctid as row_id, p.%2$I::text as k, p.%3$I::text as s, %4$s as r from %5$s p where %6$s and %4$s collate "C" < %7$L),
            ranked as (select c.*, row_number() over (partition by c.s order by c.r collate "C", c.k collate "C") as rn from c)
       select ranked.row_id, ranked.k, ranked.s,
              (row_number() over (order by ranked.s collate "C" nulls last, ranked.rn))::integer,
              format(''stratified: rank %%s in stratum %%s'', ranked.rn, coalesce(ranked.s, ''(none)''))
         from ranked join a on a.s is not distinct from ranked.s
        where ranked.rn <= a.n order by ranked.s collate "C" nulls last, ranked.rn',
      p_selection.strata, v_key, p_selection.parameters ->> 'stratum_column', v_rank, v_table, v_where, v_threshold);
    -- Enough candidates in every stratum? Else the draw is made from every row.
    execute format('select coalesce(jsonb_agg(jsonb_build_object(''row_id'', d.row_id::text, ''k'', d.k, ''s'', d.s, ''o'', d.o, ''why'', d.why) order by d.o), ''[]'')
                      from (%s) d (row_id, k, s, o, why)', v_query)
      into v_rows;
    if exists (select 1 from jsonb_array_elements(p_selection.strata) a
                where (a ->> 'allocated')::bigint > (select count(*) from jsonb_array_elements(v_rows) d
                                                       where d ->> 's' is not distinct from a ->> 'stratum')) then
      execute format('select coalesce(jsonb_agg(jsonb_build_object(''row_id'', d.row_id::text, ''k'', d.k, ''s'', d.s, ''o'', d.o, ''why'', d.why) order by d.o), ''[]'')
                        from (%s) d (row_id, k, s, o, why)', replace(v_query, format(' and %s collate "C" < %L', v_rank, v_threshold), ''))
        into v_rows;
    end if;
    return query select (d ->> 'row_id')::tid, d ->> 'k', d ->> 's', (d ->> 'o')::integer, d ->> 'why'
                   from jsonb_array_elements(v_rows) d order by (d ->> 'o')::integer;

  elsif p_selection.method = 'monetary_unit' then
    -- Rows with a positive amount in key order; cumulative amounts; every (total / n)th monetary unit from a
    -- random start selects the row it falls in (a row larger than the interval once, with the hits counted).
    v_amount := format('p.%I::numeric', private.population_column(v_table, p_selection.amount_column, 'amount column'));
    if v_n = 0 then return; end if;
    execute format('select sum(%s) from %s p where %s and %s > 0', v_amount, v_table, v_where, v_amount) into v_step;
    if v_step is null then
      raise exception using errcode = 'PT409', detail = 'population_too_small',
        message = 'Monetary-unit sampling needs rows with a positive amount; the population has none.';
    end if;
    v_step := v_step / v_n;
    v_start := private.sample_uniform(v_seed, 'monetary unit start') * v_step;
    return query execute format(
      'with o as (select p.ctid as row_id, p.%1$I::text as k, %2$s as amount,
                         sum(%2$s) over (order by p.%1$I::text collate "C" rows unbounded preceding) as cum
                    from %3$s p where %4$s and %2$s > 0),
            h as (select o.*, ceil((o.cum - %5$s) / %6$s) - ceil((o.cum - o.amount - %5$s) / %6$s) as hits from o)
       select h.row_id, h.k, null::text, (row_number() over (order by h.k collate "C"))::integer,
              format(''monetary unit: amount %%s, %%s hit(s) of interval %%s'', h.amount, h.hits, round(%6$s, 2))
         from h where h.hits > 0 order by h.k collate "C"',
      v_key, v_amount, v_table, v_where, v_start, v_step);

  elsif p_selection.method = 'targeted' then
    -- The rows that failed the chosen rules in the approved profiling version's latest run of each.
    select v.id into v_profiling from public.artifact_versions v
     where v.cycle_report_id = p_selection.cycle_report_id and v.phase_name = 'data_profiling' and v.version_status = 'approved';
    if v_profiling is null then
      raise exception using errcode = 'PT409', detail = 'approved_profiling_run_required',
        message = 'Targeted selection picks the rows that failed profiling rules; this cycle report has no approved data-profiling version.';
    end if;
    if jsonb_typeof(p_selection.parameters -> 'rule_ids') <> 'array' or jsonb_array_length(p_selection.parameters -> 'rule_ids') = 0 then
      raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
        message = 'Targeted selection: rule_ids lists the profiling rules whose failed rows are the candidates.';
    end if;
    v_query := '';
    for v_rule in
      select r.id, r.name, res.failed_rows_query
        from jsonb_array_elements_text(p_selection.parameters -> 'rule_ids') x(rule_id)
        left join public.profiling_rules r on r.id::text = x.rule_id and r.version_id = v_profiling
        left join lateral (select q.failed_rows_query from public.profiling_rule_results q
                            where q.rule_id = r.id and q.status = 'completed' order by q.executed_at desc, q.id desc limit 1) res on true
    loop
      if v_rule.id is null or v_rule.failed_rows_query is null then
        raise exception using errcode = 'PT409', detail = 'rule_not_in_approved_run',
          message = 'Every chosen rule is a rule of the approved profiling version with a completed result.';
      end if;
      -- Written by the rule compiler (service_role only): "select * from <the table> where <condition>".
      if position(format('select * from source_data.%I where ', p_selection.population_table) in v_rule.failed_rows_query) <> 1
         and position(format('select * from "source_data".%I where ', p_selection.population_table) in v_rule.failed_rows_query) <> 1
         and position(format('select * from "source_data"."%s" where ', p_selection.population_table) in v_rule.failed_rows_query) <> 1 then
        raise exception using errcode = 'PT409', detail = 'rule_not_on_population',
          message = format('Rule %s checks another table than the population''s.', v_rule.name);
      end if;
      v_query := v_query || case when v_query = '' then '' else ' union all ' end
        || format('select %L::text as rule_name, f.%I::text as k from (%s) f', v_rule.name, v_key, v_rule.failed_rows_query);
    end loop;
    return query execute format(
      'with failed as (select k, string_agg(distinct rule_name, '', '' order by rule_name) as rules from (%1$s) u where k is not null group by k),
            c as (select p.ctid as row_id, p.%2$I::text as k, failed.rules, %3$s as r from %4$s p join failed on failed.k = p.%2$I::text where %5$s)
       select c.row_id, c.k, null::text, (row_number() over (order by c.r collate "C", c.k collate "C"))::integer, ''targeted: failed '' || c.rules
         from c order by c.r collate "C", c.k collate "C" %6$s',
      v_query, v_key, v_rank, v_table, v_where, case when v_n is null or v_n <= 0 then '' else format('limit %s', v_n) end);

  elsif p_selection.method = 'judgmental' then
    if jsonb_typeof(p_selection.parameters -> 'picks') <> 'array' or jsonb_array_length(p_selection.parameters -> 'picks') = 0
       or exists (select 1 from jsonb_array_elements(p_selection.parameters -> 'picks') e
                   where coalesce(e ->> 'key', '') = '' or coalesce(btrim(e ->> 'reason'), '') = '') then
      raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
        message = 'Judgmental selection: picks lists each chosen key with the reason for choosing it.';
    end if;
    execute format(
      'select string_agg(x.k, '', '') from jsonb_array_elements(%1$L::jsonb) e, lateral (select e ->> ''key'' as k) x
        where not exists (select 1 from %2$s p where %3$s and p.%4$I::text = x.k)',
      p_selection.parameters -> 'picks', v_table, v_where, v_key)
      into v_missing;
    if v_missing is not null then
      raise exception using errcode = 'PT409', detail = 'sample_not_in_population',
        message = format('Not in the population: %s.', v_missing);
    end if;
    return query execute format(
      'select p.ctid, p.%1$I::text, null::text, x.o::integer, ''judgmental: '' || (x.e ->> ''reason'')
         from jsonb_array_elements(%2$L::jsonb) with ordinality as x(e, o)
         join %3$s p on p.%1$I::text = x.e ->> ''key'' where %4$s order by x.o',
      v_key, p_selection.parameters -> 'picks', v_table, v_where);
  end if;
end;
$$;
comment on function private.draw_samples(public.sample_selections) is
  'The deterministic draw of a selection (generator regtest-sampling/1; docs/decisions/022-sample-selection.md), as rows (row id, key, stratum, position in the draw, reason): simple_random (the n smallest ranks md5(seed:key), private.draw_simple_random); systematic (key order, every N/n-th row from a start u*N/n, u from the seed); stratified (per stratum of parameters.strata, the allocated smallest ranks); monetary_unit (key order, cumulative positive amounts, every total/n-th unit from a seeded start); targeted (rows failing parameters.rule_ids in the approved profiling version''s latest results, the n smallest ranks if a size is set); judgmental (parameters.picks with their reasons). Errors: PT409 population_too_small | approved_profiling_run_required | rule_not_in_approved_run | rule_not_on_population | sample_not_in_population | generator_version_unavailable; PT400 invalid_sampling_parameters.';
