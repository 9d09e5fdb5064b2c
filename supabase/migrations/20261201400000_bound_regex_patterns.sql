-- Regex operands are literals, and expensive patterns are refused when a rule is saved.
--
-- Before: an expression's regex operator whose pattern was built with || or read from a column passed the
-- save-time checks (only literal patterns were compiled) and failed, or ran whatever the data said, when the
-- rule ran. And nested counted repetitions such as ^([a-z0-9]{1,50}){1,50}$ compiled and cost about 2,000
-- times ^[a-z0-9]*$: PostgreSQL's compiler copies a counted part once per count, so nested counts multiply.
-- Now the right operand of ~ ~* !~ !~* must be a text literal, and a pattern whose nested counts repeat one
-- part more than 255 times (the most a single count may) is refused. The TypeScript checker
-- (regex-syntax.ts regexPatternCost, definition.ts) gives the same verdicts with the same messages; the
-- execution's time budget per rule bounds what is left.
--
-- Redefines private.regex_pattern_error and private.rule_definition_errors
-- (20261122162000_check_regex_patterns_when_saved).

create function private.regex_pattern_cost(p_pattern text)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
declare
  c text[] := string_to_array(p_pattern, null);
  n integer := coalesce(cardinality(string_to_array(p_pattern, null)), 0);
  i integer := 1;
  v_stack integer[] := array[1];
  v_value integer;
  v_count integer;
  v_low integer;
  v_high integer;
  v_kind text;
  v_top integer;
begin
  while i <= n loop
    while c[i] = '(' and c[i + 1] = '?' and c[i + 2] = '#' loop
      i := i + 3;
      while i <= n and c[i] <> ')' loop i := i + 1; end loop;
      i := i + 1;
    end loop;
    exit when i > n;
    if c[i] = '(' then
      if c[i + 1] = '?' then
        i := i + 2;
        if c[i] = '<' then i := i + 1; end if;
        i := i + 1;
      else
        i := i + 1;
      end if;
      v_stack := v_stack || 1;
      continue;
    elsif c[i] = ')' then
      if cardinality(v_stack) > 1 then
        v_value := v_stack[cardinality(v_stack)];
        v_stack := v_stack[1:cardinality(v_stack) - 1];
      else
        v_value := 1;
      end if;
      i := i + 1;
    elsif c[i] = '[' then
      i := i + 1;
      if c[i] = '^' then i := i + 1; end if;
      if c[i] = ']' then i := i + 1; end if;
      while i <= n and c[i] <> ']' loop
        if c[i] = '[' and c[i + 1] in (':', '.', '=') then
          v_kind := c[i + 1];
          i := i + 2;
          while i <= n and not (c[i] = v_kind and c[i + 1] is not distinct from ']') loop i := i + 1; end loop;
          i := i + 2;
        elsif c[i] = '\' then
          i := i + 2;
        else
          i := i + 1;
        end if;
      end loop;
      i := i + 1;
      v_value := 1;
    elsif c[i] = '\' then
      i := i + case when c[i + 1] = 'c' then 3 else 2 end;
      v_value := 1;
    elsif c[i] in ('|', '^', '$') then
      i := i + 1;
      continue;
    else
      i := i + 1;
      v_value := 1;
    end if;
    while c[i] = '(' and c[i + 1] = '?' and c[i + 2] = '#' loop
      i := i + 3;
      while i <= n and c[i] <> ')' loop i := i + 1; end loop;
      i := i + 1;
    end loop;
    v_count := 1;
    if c[i] in ('*', '+', '?') then
      i := i + 1;
    elsif c[i] = '{' and c[i + 1] ~ '^[0-9]$' then
      i := i + 1;
      v_low := 0;
      while c[i] ~ '^[0-9]$' loop
        v_low := least(v_low * 10 + c[i]::integer, 1000000);
        i := i + 1;
      end loop;
      v_high := v_low;
      if c[i] = ',' then
        i := i + 1;
        if c[i] ~ '^[0-9]$' then
          v_high := 0;
          while c[i] ~ '^[0-9]$' loop
            v_high := least(v_high * 10 + c[i]::integer, 1000000);
            i := i + 1;
          end loop;
        end if;
      end if;
      i := i + 1;
      v_count := greatest(v_high, 1);
    end if;
    if c[i] = '?' then i := i + 1; end if;
    v_top := cardinality(v_stack);
    v_stack[v_top] := greatest(v_stack[v_top], least(v_value::bigint * v_count, 1000000)::integer);
  end loop;
  return (select max(s) from unnest(v_stack) s);
end
$$;
comment on function private.regex_pattern_cost(text) is
  'How many copies of its most repeated part a pattern that compiles asks for: along every nesting of groups, the product of the counts of {m}, {m,} (m) and {m,n} (n) repetitions; *, + and ? count once. Matching costs about as much as the copies. Mirrors regexPatternCost in regex-syntax.ts.';

create or replace function private.regex_pattern_error(p_pattern text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cost integer;
begin
  if p_pattern ~ '^(\*\*\*|\(\?[^:=!<#])' then
    return 'embedded options (?…) and ***: directors are not supported; ask for a case-insensitive match with case_insensitive, or ~* in an expression';
  end if;
  perform '' ~ p_pattern;
  v_cost := private.regex_pattern_cost(p_pattern);
  if v_cost > 255 then
    return format('nested repetition counts repeat a part of the pattern %s times (at most 255): too expensive to match; use * or + inside a counted group, or one count', v_cost);
  end if;
  return null;
exception when invalid_regular_expression then
  return sqlerrm;
end
$$;
comment on function private.regex_pattern_error(text) is
  'Why a text cannot be a rule''s regex pattern: PostgreSQL''s compiler refuses it (its message), it uses embedded options or directors, or its nested repetition counts repeat a part more than 255 times (private.regex_pattern_cost); null when it can.';

create or replace function private.rule_definition_errors(p_definition jsonb)
returns text[]
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  v_errors text[] := private.rule_definition_shape_errors(p_definition);
  v_node jsonb;
  v_error text;
begin
  if cardinality(v_errors) > 0 then
    return v_errors;
  end if;
  if p_definition ->> 'kind' = 'regex' then
    v_error := private.regex_pattern_error(p_definition ->> 'pattern');
    if v_error is not null then
      v_errors := v_errors || ('pattern: ' || v_error);
    end if;
  elsif p_definition ->> 'kind' = 'expression' then
    -- The regex operators anywhere in the tree, in document order: their right operand is a literal pattern.
    for v_node in
      select node
      from jsonb_path_query(p_definition -> 'expression', 'strict $.**') as node
      where jsonb_typeof(node) = 'object' and node ->> 'op' in ('~', '~*', '!~', '!~*')
    loop
      if jsonb_typeof(v_node -> 'args' -> 1 -> 'text') = 'string' then
        v_error := private.regex_pattern_error(v_node -> 'args' -> 1 ->> 'text');
      else
        v_error := format('the pattern of %s must be a text literal (''…''), not a column or a computed value', v_node ->> 'op');
      end if;
      if v_error is not null then
        v_errors := v_errors || ('expression: ' || v_error);
      end if;
    end loop;
  end if;
  return v_errors;
end
$$;
comment on function private.rule_definition_errors(jsonb) is
  'Why a JSON value is not a valid data-quality rule definition (structure; regex patterns that are literals PostgreSQL can compile and that are not too expensive to match; not column existence); empty when it is. Same rules and messages as the TypeScript validator.';

revoke all on function private.regex_pattern_cost(text) from public;
