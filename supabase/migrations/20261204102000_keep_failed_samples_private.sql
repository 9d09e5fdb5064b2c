-- The failed-row samples of rule results stay out of the REST API and the audit log; read masked when read.
--
-- Before: profiling_rule_results.failed_sample held up to 20 failing rows, masked by the classification of the
-- moment the rule ran, readable over REST and copied into audit_log whatever planning classified later.
-- Now the rows live in private.failed_samples (no API role but the service_role reads it): the last before
-- trigger of every insert (withhold_failed_sample) takes them out of the result, whose failed_sample is [].
-- People read them through the computed field public.masked_failed_sample(profiling_rule_results) (REST:
-- select=masked_failed_sample), which masks the columns of the rule's data source masked at the time of the
-- read (private.profiling_masked_columns). The worker's write and its check (sample_not_masked) are unchanged.

create table private.failed_samples (
  execution_id uuid not null references public.background_jobs (id) on delete cascade,
  rule_id uuid not null,
  rows jsonb not null check (jsonb_typeof(rows) = 'array'),
  primary key (execution_id, rule_id)
);
comment on table private.failed_samples is
  'The failing rows sampled by a rule result (profiling_rule_results, by execution and rule), as the worker wrote them (columns masked when the rule ran already hold ''***''). Kept out of profiling_rule_results.failed_sample so that neither REST nor the audit log shows them; read through public.masked_failed_sample, which masks per current classification. Keyed like the result (execution, rule) rather than by its id, because the row is written by the result''s before trigger, before the worker''s on conflict may skip the result.';
alter table private.failed_samples enable row level security;
revoke all on table private.failed_samples from public, anon, authenticated, service_role;
grant select on table private.failed_samples to service_role;

create function private.withhold_failed_sample()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows integer;
begin
  -- The row's own check (an array of at most 20 rows) would only see the [] left behind: it is made here.
  if jsonb_typeof(new.failed_sample) = 'array' then
    v_rows := jsonb_array_length(new.failed_sample);
  end if;
  if new.failed_sample is not null and (v_rows is null or v_rows > 20) then
    raise exception using errcode = '23514', detail = 'failed_sample_too_large',
      message = 'new row for relation "profiling_rule_results" violates check constraint "profiling_rule_results_failed_sample_check"',
      hint = 'A failed-row sample is an array of at most 20 rows.';
  end if;
  if new.failed_sample <> '[]'::jsonb then
    -- A result skipped by the worker's on conflict (stored already) leaves the stored rows as they were.
    insert into private.failed_samples (execution_id, rule_id, rows)
    values (new.execution_id, new.rule_id, new.failed_sample)
    on conflict (execution_id, rule_id) do nothing;
    new.failed_sample := '[]'::jsonb;
  end if;
  return new;
end;
$$;
comment on function private.withhold_failed_sample() is
  'Trigger on profiling_rule_results, the last before insert (after the result''s guards): moves the failed-row sample into private.failed_samples, so the row, its REST answers and its audit rows hold none. Read it with public.masked_failed_sample.';

-- Named to run after guard_profiling_rule_result (which checks the sample is masked), guard_results_final and
-- record_profiling_result_source: before triggers run in name order.
create trigger withhold_failed_sample
  before insert on public.profiling_rule_results
  for each row execute function private.withhold_failed_sample();

create function public.masked_failed_sample(p_result public.profiling_rule_results)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with result as (
    select r.execution_id, r.rule_id, private.profiling_masked_columns(r.rule_id) as masked
      from public.profiling_rule_results r
     where r.id = p_result.id
       and (private.is_privileged() or private.can_read_cycle_report(r.cycle_report_id))
  )
  select coalesce((
    select jsonb_agg((select coalesce(jsonb_object_agg(e.key, case when e.key = any (res.masked) then '"***"'::jsonb else e.value end), '{}'::jsonb)
                        from jsonb_each(x.failed_row) e) order by x.o)
      from result res
      join private.failed_samples f on (f.execution_id, f.rule_id) = (res.execution_id, res.rule_id)
      cross join lateral jsonb_array_elements(f.rows) with ordinality x (failed_row, o)), '[]'::jsonb)
$$;
comment on function public.masked_failed_sample(public.profiling_rule_results) is
  'A rule result''s failed-row sample (at most 20 rows), with the columns of the rule''s data source classified confidential or restricted, or flagged as personal data, by any planning version at the time of the read replaced by ''***'' (private.profiling_masked_columns): a later classification masks rows sampled earlier. A computed field: REST select=masked_failed_sample on profiling_rule_results. [] for a result the caller cannot read.';

revoke all on function private.withhold_failed_sample() from public;
revoke all on function public.masked_failed_sample(public.profiling_rule_results) from public, anon, authenticated, service_role;
grant execute on function public.masked_failed_sample(public.profiling_rule_results) to authenticated;

comment on column public.profiling_rule_results.failed_sample is
  'Always [] since 20261204102000: the failing rows sampled (at most 20) are kept privately (private.failed_samples) and read masked by the current classification through the computed field masked_failed_sample (REST select=masked_failed_sample).';

-- Rows already stored: moved. A one-off correction by the migration, not a change of content (the audit rows that
-- copied them are scrubbed by 20261204103000).
insert into private.failed_samples (execution_id, rule_id, rows)
select r.execution_id, r.rule_id, r.failed_sample
  from public.profiling_rule_results r where r.failed_sample <> '[]'::jsonb
on conflict (execution_id, rule_id) do nothing;

alter table public.profiling_rule_results disable trigger user;
update public.profiling_rule_results set failed_sample = '[]'::jsonb where failed_sample <> '[]'::jsonb;
alter table public.profiling_rule_results enable trigger user;
