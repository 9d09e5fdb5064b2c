-- The selection recorded with a sample-selection version: the population it was drawn from (an approved upload
-- data source of the approved planning version, a filter, the key column), a snapshot of that population when
-- the selection ran (row count, sum of an amount column, an order-independent hash of the keys), the method with
-- its parameters, the seed, the size and its reasoning, and the generator's version; and the deterministic draw
-- itself, run in the database (docs/decisions/022-sample-selection.md), so an examiner can re-perform it.

create table public.sample_selections (
  version_id uuid primary key references public.artifact_versions (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id),
  data_source_id uuid not null references public.planning_data_sources (id),
  population_table text not null,
  key_column text not null,
  amount_column text,
  filter jsonb not null default '[]' check (jsonb_typeof(filter) = 'array'),
  method text not null check (method in ('simple_random', 'systematic', 'stratified', 'monetary_unit', 'targeted', 'judgmental')),
  parameters jsonb not null default '{}' check (jsonb_typeof(parameters) = 'object'),
  sample_size integer not null check (sample_size >= 0),
  size_basis text not null check (size_basis in ('calculator', 'tester_set', 'method')),
  size_inputs jsonb not null default '{}' check (jsonb_typeof(size_inputs) = 'object'),
  seed text not null check (char_length(seed) between 1 and 200),
  generator_version text not null,
  excluded_keys text[] not null default '{}',
  population_row_count bigint not null,
  population_amount_sum numeric,
  population_key_hash text not null,
  strata jsonb not null default '[]' check (jsonb_typeof(strata) = 'array'),
  drawn_keys text[] not null,
  run_by uuid references public.profiles (id),
  run_at timestamptz not null default now()
);
comment on table public.sample_selections is
  'How the samples of a sample-selection version were drawn, one row per version: the population (data source, its table in source_data, filter, key column, amount column), the snapshot taken when the selection ran, the method and parameters, the seed, the size and its reasoning, the generator''s version, the keys left out (already in the version) and the keys drawn, in draw order. Written by run_sample_selection only; frozen once the version leaves draft. public.reperform_sample_selection re-draws from it.';
comment on column public.sample_selections.population_table is 'The upload''s table in source_data (planning_data_sources.table_name).';
comment on column public.sample_selections.key_column is 'The column identifying a population row; rows with a null key are not part of the population.';
comment on column public.sample_selections.amount_column is 'The column summed in the snapshot; the amounts of monetary-unit sampling.';
comment on column public.sample_selections.filter is 'Conditions every population row meets: [{column, op (eq | neq | lt | lte | gt | gte | in | is_null | not_null), value | values}], all of them.';
comment on column public.sample_selections.method is 'simple_random | systematic | stratified | monetary_unit | targeted | judgmental (docs/decisions/022-sample-selection.md).';
comment on column public.sample_selections.parameters is 'The method''s parameters: stratified {stratum_column, allocation: proportional | fixed, sizes: {stratum: n}}; targeted {rule_ids: [...]}; judgmental {picks: [{key, reason}]}.';
comment on column public.sample_selections.size_basis is 'calculator (size_inputs: confidence, tolerable_rate, expected_deviations; public.attribute_sample_size) | tester_set (size_inputs: size, reason) | method (targeted and judgmental: the rows the method names).';
comment on column public.sample_selections.seed is 'The seed of the draw (given, or generated and recorded).';
comment on column public.sample_selections.generator_version is 'The version of the generator that drew the samples; re-performance uses the same one.';
comment on column public.sample_selections.excluded_keys is 'Keys already in the version when the selection ran (carried forward or added by hand), not drawn again.';
comment on column public.sample_selections.population_key_hash is 'Order-independent hash of the population''s keys: the sum over rows of the first 15 hex digits of md5(key), as a number.';
comment on column public.sample_selections.strata is 'Stratified selection: [{stratum, population, allocated}] in stratum order; else [].';
comment on column public.sample_selections.drawn_keys is 'The keys the draw selected, in draw order.';

create index sample_selections_cycle_report_id_idx on public.sample_selections (cycle_report_id);
create index sample_selections_data_source_id_idx on public.sample_selections (data_source_id);
create index sample_selections_run_by_idx on public.sample_selections (run_by);

alter table public.sample_selections enable row level security;
revoke all on table public.sample_selections from anon, authenticated;
grant select on table public.sample_selections to authenticated;
grant all on table public.sample_selections to service_role;
create policy "Assigned testers, owners and admins can read selections" on public.sample_selections
  for select to authenticated using (cycle_report_id in (select private.readable_cycle_report_ids()));
select private.attach_audit('public.sample_selections');
create trigger refuse_truncate before truncate on public.sample_selections
  for each statement execute function private.refuse_truncate();

create function private.guard_sample_selection()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_version public.artifact_versions;
begin
  select * into v_version from public.artifact_versions v where v.id = coalesce(new.version_id, old.version_id);
  if tg_op = 'DELETE' and v_version.id is null then
    return old; -- the draft itself is being deleted
  end if;
  if tg_op = 'UPDATE' and new.version_id is distinct from old.version_id then
    raise exception using errcode = 'PT409', detail = 'item_version_immutable',
      message = 'A selection cannot move to another version.';
  end if;
  if v_version.phase_name is distinct from 'sample_selection' then
    raise exception using errcode = 'PT409', detail = 'version_wrong_phase',
      message = 'A sample selection belongs to a sample-selection version.';
  end if;
  if v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('A selection is recorded only while its version is a draft; this version is %s.', v_version.version_status);
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  new.cycle_report_id := v_version.cycle_report_id;
  return new;
end;
$$;
comment on function private.guard_sample_selection() is
  'Trigger on sample_selections: a selection belongs to a sample-selection version (PT409 version_wrong_phase) and is written only while that version is a draft (PT409 version_not_draft), by anyone including operators; cycle_report_id follows the version.';
revoke execute on function private.guard_sample_selection() from public;
create trigger guard_sample_selection before insert or update or delete on public.sample_selections
  for each row execute function private.guard_sample_selection();

-- The generator ------------------------------------------------------------------------------------------------
create function private.sample_generator_version()
returns text
language sql
immutable
set search_path = ''
as $$ select 'regtest-sampling/1 md5-keyed' $$;
comment on function private.sample_generator_version() is
  'The version of the sample generator: regtest-sampling/1 ranks a row by md5(seed || '':'' || key) (hex, byte order), breaking ties by the key; uniform numbers are the first 13 hex digits of md5(seed || '':'' || label) over 16^13; orders by key are byte orders (collation "C"). See docs/decisions/022-sample-selection.md.';

create function private.sample_uniform(p_seed text, p_label text)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select (('x' || substr(md5(p_seed || ':' || p_label), 1, 13))::bit(52)::bigint)::numeric / 4503599627370496
$$;
comment on function private.sample_uniform(text, text) is
  'A uniform number in [0, 1) derived from the seed and a label: the first 13 hex digits of md5(seed || '':'' || label) over 16^13. The same on every machine.';

create function private.population_column(p_table regclass, p_column text, p_what text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_column is null or not exists (select 1 from pg_catalog.pg_attribute a
                  where a.attrelid = p_table and a.attname = p_column and a.attnum > 0 and not a.attisdropped) then
    raise exception using errcode = 'PT400', detail = 'unknown_population_column',
      message = format('The population has no column %s (the %s).', coalesce(p_column, '(none)'), p_what);
  end if;
  return p_column;
end;
$$;
comment on function private.population_column(regclass, text, text) is
  'A column of the population table, by name (PT400 unknown_population_column naming what it was for).';

create function private.population_conditions(p_selection public.sample_selections)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_sql text := format('p.%I is not null', private.population_column(v_table, p_selection.key_column, 'key column'));
  v_condition jsonb;
  v_column text;
  v_op text;
begin
  for v_condition in select c from jsonb_array_elements(p_selection.filter) c loop
    if jsonb_typeof(v_condition) <> 'object' then
      raise exception using errcode = 'PT400', detail = 'invalid_population_filter',
        message = 'Each filter condition is an object {column, op, value}.';
    end if;
    v_column := private.population_column(v_table, v_condition ->> 'column', 'filter');
    v_op := v_condition ->> 'op';
    if v_op in ('eq', 'neq', 'lt', 'lte', 'gt', 'gte')
       and jsonb_typeof(v_condition -> 'value') in ('string', 'number', 'boolean') then
      v_sql := v_sql || format(' and p.%I %s %L', v_column,
        case v_op when 'eq' then '=' when 'neq' then '<>' when 'lt' then '<' when 'lte' then '<='
                  when 'gt' then '>' else '>=' end, v_condition ->> 'value');
    elsif v_op = 'in' and jsonb_typeof(v_condition -> 'values') = 'array'
          and jsonb_array_length(v_condition -> 'values') between 1 and 1000
          and not exists (select 1 from jsonb_array_elements(v_condition -> 'values') e
                           where jsonb_typeof(e) not in ('string', 'number', 'boolean')) then
      v_sql := v_sql || format(' and p.%I in (%s)', v_column,
        (select string_agg(format('%L', e), ', ') from jsonb_array_elements_text(v_condition -> 'values') e));
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
    v_sql := v_sql || format(' and not (p.%I::text = any (%L::text[]))', p_selection.key_column, p_selection.excluded_keys);
  end if;
  return v_sql;
end;
$$;
comment on function private.population_conditions(public.sample_selections) is
  'The SQL condition (on alias p) a row of the selection''s table meets to be in its population: a key, every filter condition (literals quoted; PT400 invalid_population_filter, unknown_population_column), not an excluded key.';

create function private.population_snapshot(p_selection public.sample_selections)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_result jsonb;
begin
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
  'The population''s snapshot now: {row_count, amount_sum (null without an amount column), key_hash (the sum over rows of the first 15 hex digits of md5(key), order-independent, as text)}.';

create function private.stratum_allocation(p_selection public.sample_selections)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_table regclass := format('source_data.%I', p_selection.population_table)::regclass;
  v_column text := private.population_column(v_table, p_selection.parameters ->> 'stratum_column', 'stratum column');
  v_allocation text := coalesce(p_selection.parameters ->> 'allocation', 'proportional');
  v_strata jsonb;
  v_total bigint;
  v_short text;
begin
  execute format('select coalesce(jsonb_agg(jsonb_build_object(''stratum'', s, ''population'', n) order by s collate "C" nulls last), ''[]'')
                    from (select p.%I::text as s, count(*) as n from %s p where %s group by 1) g',
                 v_column, v_table, private.population_conditions(p_selection))
    into v_strata;
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
comment on function private.stratum_allocation(public.sample_selections) is
  'Stratified selection: the strata of the population (by parameters.stratum_column, in byte order, null last) with their row counts and allocated sample sizes: proportional (largest remainder, so they sum to the sample size exactly) or fixed (parameters.sizes). Errors: PT409 population_too_small; PT400 invalid_sampling_parameters.';

create function private.draw_samples(p_selection public.sample_selections)
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
    -- The n rows of smallest rank: every subset of n rows is equally likely.
    return query execute format(
      'select s.row_id, s.k, null::text, (row_number() over (order by s.r collate "C", s.k collate "C"))::integer,
              ''simple random: rank '' || row_number() over (order by s.r collate "C", s.k collate "C") || '' of '' || %5$s
         from (select p.ctid as row_id, p.%1$I::text as k, %2$s as r from %3$s p where %4$s
                order by %2$s collate "C", p.%1$I::text collate "C" limit %6$s) s
        order by s.r collate "C", s.k collate "C"',
      v_key, v_rank, v_table, v_where, v_total, v_n);

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
  'The deterministic draw of a selection (generator regtest-sampling/1; docs/decisions/022-sample-selection.md), as rows (row id, key, stratum, position in the draw, reason): simple_random (the n smallest ranks md5(seed:key)); systematic (key order, every N/n-th row from a start u*N/n, u from the seed); stratified (per stratum of parameters.strata, the allocated smallest ranks); monetary_unit (key order, cumulative positive amounts, every total/n-th unit from a seeded start); targeted (rows failing parameters.rule_ids in the approved profiling version''s latest results, the n smallest ranks if a size is set); judgmental (parameters.picks with their reasons). Errors: PT409 population_too_small | approved_profiling_run_required | rule_not_in_approved_run | rule_not_on_population | sample_not_in_population | generator_version_unavailable; PT400 invalid_sampling_parameters.';

revoke execute on function private.sample_generator_version() from public;
revoke execute on function private.sample_uniform(text, text) from public;
revoke execute on function private.population_column(regclass, text, text) from public;
revoke execute on function private.population_conditions(public.sample_selections) from public;
revoke execute on function private.population_snapshot(public.sample_selections) from public;
revoke execute on function private.stratum_allocation(public.sample_selections) from public;
revoke execute on function private.draw_samples(public.sample_selections) from public;
