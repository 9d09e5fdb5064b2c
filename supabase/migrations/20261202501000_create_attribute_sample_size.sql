-- The sample-size calculator of attribute sampling: the smallest sample in which finding no more than the
-- expected number of deviations gives the stated confidence that the population's deviation rate is below the
-- tolerable rate (binomial distribution). 95% confidence, 5% tolerable, 0 expected: 59; 90%, 10%, 0: 22.

create function public.attribute_sample_size(p_confidence numeric, p_tolerable_rate numeric, p_expected_deviations integer default 0)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_p double precision := p_tolerable_rate::double precision;
  v_risk double precision := 1 - p_confidence::double precision;
  v_term double precision;
  v_cdf double precision;
  v_n integer;
begin
  if p_confidence is null or p_confidence <= 0 or p_confidence >= 1
     or p_tolerable_rate is null or p_tolerable_rate <= 0 or p_tolerable_rate >= 1
     or p_expected_deviations is null or p_expected_deviations < 0 or p_expected_deviations > 1000 then
    raise exception using errcode = 'PT400', detail = 'invalid_sample_size_inputs',
      message = 'The confidence level and the tolerable deviation rate are fractions between 0 and 1 (e.g. 0.95 and 0.05); expected deviations is a count from 0 to 1000.';
  end if;
  -- P(X <= k) for X ~ Binomial(n, p), with the terms built one from the other: C(n,0) q^n, then
  -- term(i+1) = term(i) * (n - i) / (i + 1) * p / q.
  v_n := p_expected_deviations + 1;
  loop
    v_term := power(1 - v_p, v_n);
    v_cdf := v_term;
    for i in 0 .. p_expected_deviations - 1 loop
      v_term := v_term * (v_n - i) / (i + 1) * v_p / (1 - v_p);
      v_cdf := v_cdf + v_term;
    end loop;
    -- A relative tolerance keeps exact boundaries (0.9 ^ 22 vs 0.1) from tipping on rounding.
    exit when v_cdf <= v_risk * (1 + 1e-12);
    v_n := v_n + 1;
    if v_n > 100000 then
      raise exception using errcode = 'PT400', detail = 'sample_size_too_large',
        message = 'These inputs need a sample of more than 100,000 items; raise the tolerable rate or lower the confidence.';
    end if;
  end loop;
  return v_n;
end;
$$;
comment on function public.attribute_sample_size(numeric, numeric, integer) is
  'Attribute-sampling size: the smallest n with P(X <= expected deviations) <= 1 - confidence for X ~ Binomial(n, tolerable rate). Inputs as fractions (0.95, 0.05). 0.95/0.05/0 -> 59, 0.90/0.10/0 -> 22, 0.95/0.05/1 -> 93. Errors: PT400 invalid_sample_size_inputs | sample_size_too_large.';
revoke execute on function public.attribute_sample_size(numeric, numeric, integer) from public, anon, authenticated, service_role;
grant execute on function public.attribute_sample_size(numeric, numeric, integer) to authenticated;
