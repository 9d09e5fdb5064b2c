-- Generator version 2 of sample selection (docs/decisions/030-sampling-in-one-scan.md): a row's rank is one
-- hashtextextended(key, seed64) per row, PostgreSQL's built-in 64-bit hash of the key's bytes, instead of an md5 in
-- hex; the population's snapshot (row count, amount sum, key hash = the sum of the ranks) and the candidates of a
-- simple random or stratified draw come out of one (parallel) scan. Version 1 stays as it is, so the selections it
-- drew re-perform identically; this migration adds the pieces, the next one makes run_sample_selection and
-- reperform_sample_selection use them.

create function private.sample_generator_v2()
returns text
language sql
immutable
set search_path = ''
as $$ select 'regtest-sampling/2 hashtextextended' $$;
comment on function private.sample_generator_v2() is
  'The name of generator version 2, the one new selections use: a row''s rank is hashtextextended(key::text collate "C", seed64) (a signed 64-bit integer; ties by the key in byte order), seed64 = the first 16 hex digits of md5(seed) as a signed 64-bit integer; the key hash is the exact sum of the ranks. private.sample_generator_version() keeps naming version 1. See docs/decisions/030-sampling-in-one-scan.md.';

comment on function private.sample_generator_version() is
  'The name of generator version 1 (regtest-sampling/1 md5-keyed), kept so the selections it drew re-perform identically: it ranks a row by md5(seed || '':'' || key) (hex, byte order), breaking ties by the key; uniform numbers are the first 13 hex digits of md5(seed || '':'' || label) over 16^13; orders by key are byte orders (collation "C"). New selections use private.sample_generator_v2(). See docs/decisions/022-sample-selection.md and 030-sampling-in-one-scan.md.';

create function private.sample_seed64(p_seed text)
returns bigint
language sql
immutable
parallel safe
set search_path = ''
as $$ select ('x' || substr(md5(p_seed), 1, 16))::bit(64)::bigint $$;
comment on function private.sample_seed64(text) is
  'Generator version 2: the 64-bit seed of hashtextextended, the first 16 hex digits of md5(seed) read as a signed 64-bit integer (big-endian hex, so the same everywhere).';

create function private.check_sample_generator(p_generator_version text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_generator_version = private.sample_generator_version() then
    return;
  end if;
  if p_generator_version = private.sample_generator_v2() then
    -- hashtextextended reads the key in 4-byte words in the machine's byte order: the known answer of a little-endian
    -- server (x86-64, ARM64) proves this server computes the documented ranks. A server that does not refuses.
    if hashtextextended('regtest-sampling/2' collate "C", 1) <> -2327681769591252302
       or hashtextextended('K01' collate "C", private.sample_seed64('kat')) <> 1209192892653304119 then
      raise exception using errcode = 'PT409', detail = 'generator_version_unavailable',
        message = format('This server''s hashtextextended does not give the known answers of %s (a big-endian machine?); the selection cannot be drawn or re-performed here.', p_generator_version),
        hint = 'Re-perform on a little-endian PostgreSQL server (x86-64, ARM64).';
    end if;
    return;
  end if;
  raise exception using errcode = 'PT409', detail = 'generator_version_unavailable',
    message = format('The selection was drawn by %s; this database has %s and %s.', p_generator_version,
                     private.sample_generator_version(), private.sample_generator_v2());
end;
$$;
comment on function private.check_sample_generator(text) is
  'Refuses (PT409 generator_version_unavailable) a generator version this database does not have, and version 2 on a server whose hashtextextended does not give the known answers (a big-endian machine).';

create function private.sample_rank_expression(p_selection public.sample_selections)
returns text
language sql
stable
set search_path = ''
as $$
  select case when p_selection.generator_version = private.sample_generator_v2()
    -- The signed 64-bit rank as 16 hex digits with the sign bit flipped: byte order of the text = order of the rank.
    then format('lpad(to_hex(hashtextextended(p.%I::text collate "C", %s) # (-9223372036854775808)::bigint), 16, ''0'')',
                p_selection.key_column, private.sample_seed64(p_selection.seed))
    else format('md5(%L || p.%I::text)', p_selection.seed || ':', p_selection.key_column) end
$$;
comment on function private.sample_rank_expression(public.sample_selections) is
  'The SQL expression (on alias p) of a row''s rank as text, ordered with collate "C": version 1 md5(seed:key) in hex; version 2 hashtextextended(key, seed64) as 16 hex digits with the sign bit flipped, so that its byte order is the order of the signed rank.';

-- The candidates of a draw, collected in a parallel scan: only the rows below a rank threshold reach it (FILTER), and
-- partial states are concatenated.
create aggregate private.sample_candidates(jsonb) (
  sfunc = pg_catalog.array_append,
  stype = jsonb[],
  combinefunc = pg_catalog.array_cat,
  initcond = '{}',
  parallel = safe
);
comment on aggregate private.sample_candidates(jsonb) is
  'Collects the candidate rows of a draw ([row id, key, rank] each) into an array; parallel-safe (partial arrays are concatenated).';

-- Stratum allocation from the strata's row counts, on its own, so that the one scan of version 2 and the scan of
-- version 1 share it.
create function private.allocate_strata(p_selection public.sample_selections, p_strata jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_allocation text := coalesce(p_selection.parameters ->> 'allocation', 'proportional');
  v_strata jsonb := p_strata;
  v_total bigint;
  v_short text;
begin
  select coalesce(sum((e ->> 'population')::bigint), 0) into v_total from jsonb_array_elements(v_strata) e;
  if v_allocation = 'proportional' then
    if p_selection.sample_size > v_total then
      raise exception using errcode = 'PT409', detail = 'population_too_small',
        message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_total, p_selection.sample_size);
    end if;
    -- Largest remainder: floor(n * N_s / N) each, then one more to the largest remainders (ties: stratum order).
    with s as (
      select e ->> 'stratum' as stratum, (e ->> 'population')::bigint as population, o as ord,
             (p_selection.sample_size::numeric * (e ->> 'population')::bigint / nullif(v_total, 0)) as quota
        from jsonb_array_elements(v_strata) with ordinality as x(e, o)
    ), f as (
      select s.*, floor(s.quota)::bigint as base, s.quota - floor(s.quota) as remainder from s
    ), r as (
      select f.*, row_number() over (order by f.remainder desc, f.ord) as rank from f
    )
    select coalesce(jsonb_agg(jsonb_build_object('stratum', r.stratum, 'population', r.population,
             'allocated', r.base + case when r.rank <= p_selection.sample_size - (select sum(base) from f) then 1 else 0 end)
             order by r.ord), '[]')
      into v_strata from r;
  elsif v_allocation = 'fixed' and jsonb_typeof(p_selection.parameters -> 'sizes') = 'object' then
    if exists (select 1 from jsonb_each(p_selection.parameters -> 'sizes') z
                where jsonb_typeof(z.value) <> 'number' or (z.value)::text !~ '^\d+$') then
      raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
        message = 'Fixed allocation: sizes maps each stratum to a whole number of samples.';
    end if;
    select string_agg(format('%s (%s of %s)', z.key, z.value, coalesce((e ->> 'population')::bigint, 0)), ', ')
      into v_short
      from jsonb_each(p_selection.parameters -> 'sizes') z
      left join jsonb_array_elements(v_strata) e on e ->> 'stratum' = z.key
     where (z.value)::text::bigint > coalesce((e ->> 'population')::bigint, 0);
    if v_short is not null then
      raise exception using errcode = 'PT409', detail = 'population_too_small',
        message = format('These strata have fewer rows than their sample: %s.', v_short);
    end if;
    select coalesce(jsonb_agg(e || jsonb_build_object('allocated', coalesce((p_selection.parameters -> 'sizes' ->> (e ->> 'stratum'))::bigint, 0))
             order by o), '[]')
      into v_strata from jsonb_array_elements(v_strata) with ordinality as x(e, o);
  else
    raise exception using errcode = 'PT400', detail = 'invalid_sampling_parameters',
      message = 'Stratified selection: allocation is proportional, or fixed with sizes {stratum: n}.';
  end if;
  return v_strata;
end;
$$;
comment on function private.allocate_strata(public.sample_selections, jsonb) is
  'Allocates a stratified selection''s size to its strata ([{stratum, population}] in stratum order): proportional (largest remainder, so they sum to the size exactly; ties in stratum order) or fixed (parameters.sizes). Errors: PT409 population_too_small; PT400 invalid_sampling_parameters.';

create or replace function private.stratum_allocation(p_selection public.sample_selections)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_column text := private.population_column(v_table, p_selection.parameters ->> 'stratum_column', 'stratum column');
  v_strata jsonb;
begin
  execute format('select coalesce(jsonb_agg(jsonb_build_object(''stratum'', s, ''population'', n) order by s collate "C" nulls last), ''[]'')
                    from (select p.%I::text as s, count(*) as n from %s p where %s group by 1) g',
                 v_column, v_table, private.population_conditions(p_selection))
    into v_strata;
  return private.allocate_strata(p_selection, v_strata);
end;
$$;
comment on function private.stratum_allocation(public.sample_selections) is
  'Stratified selection (generator version 1): the strata of the population (by parameters.stratum_column, in byte order, null last) with their row counts, counted in a scan of their own, and their allocated sample sizes (private.allocate_strata). Errors: PT409 population_too_small; PT400 invalid_sampling_parameters.';

-- The one scan ------------------------------------------------------------------------------------------------------
create function private.survey_population(p_selection public.sample_selections, p_threshold bigint default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_stratified boolean := p_selection.method = 'stratified';
  v_stratum text;
  v_result jsonb;
begin
  if v_stratified then
    v_stratum := format('p.%I::text', private.population_column(v_table, p_selection.parameters ->> 'stratum_column', 'stratum column'));
  end if;
  -- The rank is computed once per row: the lateral subquery on the nullable side of a left join becomes a
  -- placeholder the scan evaluates, which the sum and the filter both read.
  execute format(
    'select jsonb_build_object(
              ''row_count'', coalesce(sum(g.n), 0),
              ''amount_sum'', sum(g.a),
              ''key_hash'', coalesce(sum(g.h), 0)::text,
              ''strata'', coalesce(jsonb_agg(jsonb_build_object(''stratum'', g.s, ''population'', g.n) order by g.s collate "C" nulls last)
                                  filter (where %1$s), ''[]''),
              ''candidates'', coalesce(jsonb_agg(jsonb_build_object(''stratum'', g.s, ''rows'', to_jsonb(g.c)) order by g.s collate "C" nulls last)
                                      filter (where %2$s), ''[]''))
       from (select %3$s as s, count(*) as n, %4$s as a, sum(x.r) as h, %5$s as c
               from %6$s p left join lateral (select hashtextextended(p.%7$I::text collate "C", %8$s) as r) x on true
              where %9$s %10$s) g',
    case when v_stratified then 'true' else 'false' end, case when p_threshold is not null then 'true' else 'false' end,
    coalesce(v_stratum, 'null::text'),
    case when p_selection.amount_column is null then 'null::numeric'
         else format('sum(p.%I::numeric)', private.population_column(v_table, p_selection.amount_column, 'amount column')) end,
    case when p_threshold is null then 'null::jsonb[]'
         else format('private.sample_candidates(jsonb_build_array(p.ctid::text, p.%I::text, x.r)) filter (where x.r <= %s)',
                     p_selection.key_column, p_threshold) end,
    v_table, p_selection.key_column, private.sample_seed64(p_selection.seed), private.population_conditions(p_selection),
    case when v_stratified then 'group by 1' else '' end)
    into v_result;
  return v_result;
end;
$$;
comment on function private.survey_population(public.sample_selections, bigint) is
  'Generator version 2: one scan of the population (in parallel where the server can) giving its snapshot {row_count, amount_sum, key_hash (the exact sum over rows of the rank hashtextextended(key, seed64), as text)}, its strata [{stratum, population}] (stratified selections, byte order, null last), and with p_threshold the candidates, per stratum, [{stratum, rows: [[row id, key, rank], …]}] of the rows whose rank is at most it.';

create function private.candidate_threshold(p_selection public.sample_selections)
returns bigint
language plpgsql
volatile -- EXPLAIN runs only in volatile functions; this one reads and writes nothing
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_plan json;
  v_rows numeric;
  v_groups numeric := 1;
  v_size numeric := coalesce(p_selection.sample_size, 0);
  v_fraction numeric;
begin
  -- The planner's estimate of the population's rows (and strata): a guess is enough, because a draw short of
  -- candidates is made again from every row, and a generous one costs only a few more candidates.
  execute format('explain (format json) select 1 from %s p where %s', v_table, private.population_conditions(p_selection))
    into v_plan;
  v_rows := greatest((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric, 1);
  if p_selection.method = 'stratified' then
    execute format('explain (format json) select 1 from %s p where %s group by p.%I', v_table,
                   private.population_conditions(p_selection),
                   private.population_column(v_table, p_selection.parameters ->> 'stratum_column', 'stratum column'))
      into v_plan;
    v_groups := least(greatest((v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric, 1), 10000);
    if p_selection.parameters ->> 'allocation' = 'fixed' and jsonb_typeof(p_selection.parameters -> 'sizes') = 'object' then
      v_size := (select coalesce(sum(case when jsonb_typeof(z.value) = 'number' then (z.value)::text::numeric else 0 end), 0)
                   from jsonb_each(p_selection.parameters -> 'sizes') z);
    end if;
  end if;
  -- About 4n + 64 per stratum of the estimated rows; ranks are uniform over the signed 64-bit integers.
  v_fraction := (4 * v_size + 64 * v_groups) / v_rows;
  if v_fraction >= 1 then
    return 9223372036854775807;
  end if;
  return floor(-9223372036854775808 + v_fraction * 18446744073709551616)::bigint;
end;
$$;
comment on function private.candidate_threshold(public.sample_selections) is
  'Generator version 2: the rank at or below which a row is a candidate of a simple random or stratified draw, so that about 4n + 64 rows per stratum of the planner''s estimated population are (all rows when that is all of them).';

create function private.draw_from_candidates(p_selection public.sample_selections, p_survey jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_rank text := format('hashtextextended(p.%I::text collate "C", %s)', p_selection.key_column, private.sample_seed64(p_selection.seed));
  v_allocation jsonb := case when p_selection.method = 'stratified' then p_selection.strata
                             else jsonb_build_array(jsonb_build_object('stratum', null, 'allocated', p_selection.sample_size)) end;
  v_rows jsonb;
begin
  -- The allocated smallest ranks (ties by key in byte order) of each stratum among its candidates.
  with a as (
    select e ->> 'stratum' as s, (e ->> 'allocated')::bigint as n from jsonb_array_elements(v_allocation) e
  ), c as (
    select g ->> 'stratum' as s, r ->> 0 as row_id, r ->> 1 as k, (r ->> 2)::bigint as r
      from jsonb_array_elements(p_survey -> 'candidates') g, jsonb_array_elements(g -> 'rows') r
  ), ranked as (
    select c.*, row_number() over (partition by c.s order by c.r, c.k collate "C") as rn from c
  ), short as (
    select a.s from a where a.n > (select count(*) from c where c.s is not distinct from a.s)
  )
  select case when exists (select 1 from short) then null else
           coalesce(jsonb_agg(jsonb_build_object('row_id', ranked.row_id, 'sample_key', ranked.k, 'stratum', ranked.s, 'rn', ranked.rn)
                              order by ranked.s collate "C" nulls last, ranked.rn), '[]') end
    into v_rows
    from ranked join a on a.s is not distinct from ranked.s
   where ranked.rn <= a.n;
  if v_rows is null then
    -- Too few candidates in some stratum (the estimate was far off): the smallest ranks of every row.
    execute format(
      'select coalesce(jsonb_agg(jsonb_build_object(''row_id'', d.row_id, ''sample_key'', d.k, ''stratum'', d.s, ''rn'', d.rn)
                                 order by d.s collate "C" nulls last, d.rn), ''[]'')
         from (select t.*, row_number() over (partition by t.s order by t.r, t.k collate "C") as rn
                 from (select p.ctid::text as row_id, p.%1$I::text as k, %2$s as s, %3$s as r from %4$s p where %5$s) t) d
         join jsonb_array_elements(%6$L::jsonb) a on (a ->> ''stratum'') is not distinct from d.s
        where d.rn <= (a ->> ''allocated'')::bigint',
      p_selection.key_column,
      case when p_selection.method = 'stratified'
           then format('p.%I::text', p_selection.parameters ->> 'stratum_column') else 'null::text' end,
      v_rank, v_table, private.population_conditions(p_selection), v_allocation)
      into v_rows;
  end if;
  return (select coalesce(jsonb_agg(d || jsonb_build_object(
                   'selection_order', o,
                   'selection_reason', case when p_selection.method = 'stratified'
                     then format('stratified: rank %s in stratum %s', d ->> 'rn', coalesce(d ->> 'stratum', '(none)'))
                     else format('simple random: rank %s of %s', d ->> 'rn', p_selection.population_row_count) end) - 'rn'
                 order by o), '[]')
            from jsonb_array_elements(v_rows) with ordinality as x(d, o));
end;
$$;
comment on function private.draw_from_candidates(public.sample_selections, jsonb) is
  'Generator version 2, simple random and stratified: the n (per stratum: the allocated) smallest ranks, ties by key in byte order, taken from the candidates of private.survey_population; when a stratum has too few candidates, from a sort of every row (the same samples). Returns [{row_id, sample_key, stratum, selection_order, selection_reason}] in draw order.';

create function private.survey_and_draw(p_selection public.sample_selections)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_selection public.sample_selections := p_selection;
  v_one_scan boolean := p_selection.method in ('simple_random', 'stratified');
  v_survey jsonb;
  v_draw jsonb;
begin
  perform private.check_sample_generator(p_selection.generator_version);
  if p_selection.generator_version <> private.sample_generator_v2() then
    raise exception using errcode = 'PT409', detail = 'generator_version_unavailable',
      message = format('The one-scan draw is generator %s''s; this selection was drawn by %s.', private.sample_generator_v2(), p_selection.generator_version);
  end if;
  v_survey := private.survey_population(v_selection, case when v_one_scan then private.candidate_threshold(v_selection) end);
  v_selection.population_row_count := (v_survey ->> 'row_count')::bigint;
  v_selection.population_amount_sum := (v_survey ->> 'amount_sum')::numeric;
  v_selection.population_key_hash := v_survey ->> 'key_hash';
  if p_selection.method = 'stratified' then
    v_selection.strata := private.allocate_strata(v_selection, v_survey -> 'strata');
    v_selection.sample_size := (select sum((e ->> 'allocated')::integer) from jsonb_array_elements(v_selection.strata) e);
  elsif p_selection.method in ('simple_random', 'systematic') and v_selection.sample_size > v_selection.population_row_count then
    raise exception using errcode = 'PT409', detail = 'population_too_small',
      message = format('The population has %s rows; a sample of %s cannot be drawn from it.', v_selection.population_row_count, v_selection.sample_size);
  end if;
  if v_one_scan then
    v_draw := private.draw_from_candidates(v_selection, v_survey);
  else
    select coalesce(jsonb_agg(to_jsonb(d) order by d.selection_order), '[]') into v_draw
      from private.draw_samples(v_selection) d;
  end if;
  return jsonb_build_object('row_count', v_selection.population_row_count, 'amount_sum', v_selection.population_amount_sum,
                            'key_hash', v_selection.population_key_hash, 'strata', to_jsonb(v_selection.strata),
                            'sample_size', v_selection.sample_size, 'draw', v_draw);
end;
$$;
comment on function private.survey_and_draw(public.sample_selections) is
  'Generator version 2: the population''s snapshot, its strata with their allocation, and the draw of a selection: {row_count, amount_sum, key_hash, strata, sample_size, draw: [{row_id, sample_key, stratum, selection_order, selection_reason}]}. Simple random and stratified draws come out of the snapshot''s own scan (private.survey_population with a candidate threshold); the other methods scan again (private.draw_samples). Errors: those of the draw; PT409 generator_version_unavailable.';

-- The snapshot and the draw on their own, for either version ----------------------------------------------------
create or replace function private.population_snapshot(p_selection public.sample_selections)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_result jsonb;
begin
  if p_selection.generator_version = private.sample_generator_v2() then
    return (select jsonb_build_object('row_count', s -> 'row_count', 'amount_sum', s -> 'amount_sum', 'key_hash', s -> 'key_hash')
              from private.survey_population(p_selection) s);
  end if;
  execute format(
    'select jsonb_build_object(''row_count'', count(*), ''amount_sum'', %s,
            ''key_hash'', coalesce(sum((''x'' || substr(md5(p.%I::text), 1, 15))::bit(60)::bigint::numeric), 0)::text)
       from %s p where %s',
    case when p_selection.amount_column is null then 'null'
         else format('sum(p.%I::numeric)', private.population_column(v_table, p_selection.amount_column, 'amount column')) end,
    p_selection.key_column, v_table, private.population_conditions(p_selection))
    into v_result;
  return v_result;
end;
$$;
comment on function private.population_snapshot(public.sample_selections) is
  'The population''s snapshot now: {row_count, amount_sum (null without an amount column), key_hash (order-independent, as text: version 1 the sum over rows of the first 15 hex digits of md5(key); version 2 the sum of the ranks hashtextextended(key, seed64), private.survey_population)}.';

-- The draw of either version (restated from 20261202506000: the generator check and the rank expression of the
-- selection's version; version 2's simple random and stratified draws come from the one scan).
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
  v_rank text := private.sample_rank_expression(p_selection);
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
  perform private.check_sample_generator(p_selection.generator_version);
  if p_selection.generator_version = private.sample_generator_v2() and p_selection.method in ('simple_random', 'stratified') then
    -- Version 2 draws these from the candidates of the snapshot's scan.
    return query select (d ->> 'row_id')::tid, d ->> 'sample_key', d ->> 'stratum', (d ->> 'selection_order')::integer, d ->> 'selection_reason'
                   from jsonb_array_elements(private.survey_and_draw(p_selection) -> 'draw') d
                  order by (d ->> 'selection_order')::integer;
    return;
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
  'The deterministic draw of a selection (generator regtest-sampling/1 or /2; docs/decisions/022-sample-selection.md and 030-sampling-in-one-scan.md), as rows (row id, key, stratum, position in the draw, reason): simple_random (the n smallest ranks: version 1 private.draw_simple_random, version 2 private.survey_and_draw); systematic (key order, every N/n-th row from a start u*N/n, u from the seed); stratified (per stratum, the allocated smallest ranks: version 1 of parameters.strata, version 2 private.survey_and_draw); monetary_unit (key order, cumulative positive amounts, every total/n-th unit from a seeded start); targeted (rows failing parameters.rule_ids in the approved profiling version''s latest results, the n smallest ranks, private.sample_rank_expression, if a size is set); judgmental (parameters.picks with their reasons). Errors: PT409 population_too_small | approved_profiling_run_required | rule_not_in_approved_run | rule_not_on_population | sample_not_in_population | generator_version_unavailable; PT400 invalid_sampling_parameters.';

revoke execute on function private.sample_generator_v2() from public;
revoke execute on function private.sample_seed64(text) from public;
revoke execute on function private.check_sample_generator(text) from public;
revoke execute on function private.sample_rank_expression(public.sample_selections) from public;
revoke execute on function private.sample_candidates(jsonb) from public;
revoke execute on function private.allocate_strata(public.sample_selections, jsonb) from public;
revoke execute on function private.survey_population(public.sample_selections, bigint) from public;
revoke execute on function private.candidate_threshold(public.sample_selections) from public;
revoke execute on function private.draw_from_candidates(public.sample_selections, jsonb) from public;
revoke execute on function private.survey_and_draw(public.sample_selections) from public;
