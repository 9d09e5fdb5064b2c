-- Regex patterns are compiled when a rule is saved.
--
-- Before: a rule's regex pattern (and a regex literal in an expression rule) was only checked for its
-- length, so a pattern PostgreSQL cannot compile was accepted and every run of the rule ended in an error.
-- Now private.rule_definition_errors compiles each pattern with PostgreSQL's own regex compiler and reports
-- its message. Embedded options such as (?i) and ***: directors, which switch to other regex dialects, are
-- refused: a rule says case_insensitive instead. The TypeScript validator (regex-syntax.ts) gives the same
-- verdict; tests/rules/regex-syntax.test.ts holds the two together.
--
-- The structural checks keep their function under a new name, private.rule_definition_shape_errors; the
-- check constraint, the rule triggers and the parity test all call private.rule_definition_errors.

create function private.regex_pattern_error(p_pattern text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_pattern ~ '^(\*\*\*|\(\?[^:=!<#])' then
    return 'embedded options (?…) and ***: directors are not supported; ask for a case-insensitive match with case_insensitive, or ~* in an expression';
  end if;
  perform '' ~ p_pattern;
  return null;
exception when invalid_regular_expression then
  return sqlerrm;
end
$$;
comment on function private.regex_pattern_error(text) is
  'Why PostgreSQL cannot use a text as a rule''s regex pattern (its compiler''s message, or that embedded options and directors are not supported), or null when it can.';

alter function private.rule_definition_errors(jsonb) rename to rule_definition_shape_errors;
comment on function private.rule_definition_shape_errors(jsonb) is
  'Why a JSON value is not a well-formed data-quality rule definition, before its regex patterns are compiled (see private.rule_definition_errors); empty when it is.';
revoke execute on function private.rule_definition_shape_errors(jsonb) from authenticated, service_role;

create function private.rule_definition_errors(p_definition jsonb)
returns text[]
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  v_errors text[] := private.rule_definition_shape_errors(p_definition);
  v_pattern text;
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
    -- The literal right operands of the regex operators, anywhere in the tree.
    for v_pattern in
      select node -> 'args' -> 1 ->> 'text'
      from jsonb_path_query(p_definition -> 'expression', 'strict $.**') as node
      where jsonb_typeof(node) = 'object' and node ->> 'op' in ('~', '~*', '!~', '!~*')
        and jsonb_typeof(node -> 'args' -> 1 -> 'text') = 'string'
    loop
      v_error := private.regex_pattern_error(v_pattern);
      if v_error is not null then
        v_errors := v_errors || ('expression: ' || v_error);
      end if;
    end loop;
  end if;
  return v_errors;
end
$$;
comment on function private.rule_definition_errors(jsonb) is
  'Why a JSON value is not a valid data-quality rule definition (structure, and regex patterns PostgreSQL can compile; not column existence); empty when it is. Same rules as the TypeScript validator.';

revoke all on function private.regex_pattern_error(text) from public;
revoke all on function private.rule_definition_errors(jsonb) from public;
grant execute on function private.rule_definition_errors(jsonb) to authenticated, service_role;
