-- The data-quality rule language, validated in the database exactly as in TypeScript
-- (supabase/functions/_shared/rules/definition.ts and expression-ast.ts): profiling rules can be
-- written by admins in Studio and by external tools through the REST API, so a check constraint on
-- private.is_valid_rule_definition must refuse what the app would refuse. Column checks need the table's
-- columns and live in a separate function that takes them.

create schema if not exists private;
comment on schema private is 'Internal helpers, not exposed by the REST API.';

create or replace function private.rule_identifier_errors(p_value jsonb, p_path text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case
    when p_value is null or jsonb_typeof(p_value) <> 'string' then array[p_path || ': expected a column name (string)']
    when char_length(p_value #>> '{}') not between 1 and 63 then array[p_path || ': column names have 1 to 63 characters']
    else '{}'::text[]
  end
$$;
comment on function private.rule_identifier_errors(jsonb, text) is
  'Why a JSON value is not a column name of the rule language (1 to 63 characters); empty when it is.';

create or replace function private.rule_expression_errors(p_node jsonb, p_path text default 'expression', p_depth integer default 1)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_keys text[];
  v_kind text;
  v_name text;
  v_arity int4range;
  v_errors text[] := '{}';
  v_count integer;
  v_operators constant jsonb := '{
    "and": [2, 100], "or": [2, 100], "not": [1, 1],
    "=": [2, 2], "<>": [2, 2], "<": [2, 2], "<=": [2, 2], ">": [2, 2], ">=": [2, 2],
    "+": [2, 2], "-": [2, 2], "*": [2, 2], "/": [2, 2], "%": [2, 2], "||": [2, 2], "neg": [1, 1],
    "~": [2, 2], "~*": [2, 2], "!~": [2, 2], "!~*": [2, 2],
    "like": [2, 2], "not_like": [2, 2], "ilike": [2, 2], "not_ilike": [2, 2],
    "is_distinct_from": [2, 2], "is_not_distinct_from": [2, 2],
    "is_null": [1, 1], "is_not_null": [1, 1], "is_true": [1, 1], "is_not_true": [1, 1],
    "is_false": [1, 1], "is_not_false": [1, 1],
    "between": [3, 3], "not_between": [3, 3], "in": [2, 1001], "not_in": [2, 1001]
  }';
  v_functions constant jsonb := '{
    "lower": [1, 1], "upper": [1, 1], "length": [1, 1], "char_length": [1, 1],
    "btrim": [1, 2], "ltrim": [1, 2], "rtrim": [1, 2], "left": [2, 2], "right": [2, 2],
    "substr": [2, 3], "substring": [2, 3], "abs": [1, 1], "round": [1, 2], "floor": [1, 1], "ceil": [1, 1],
    "date_trunc": [2, 2], "date_part": [2, 2], "extract": [2, 2], "coalesce": [1, 10], "nullif": [2, 2],
    "greatest": [1, 10], "least": [1, 10], "now": [0, 0], "current_date": [0, 0]
  }';
  v_casts constant text[] := array['text', 'varchar', 'numeric', 'smallint', 'integer', 'bigint', 'real',
    'double', 'date', 'timestamp', 'timestamptz', 'boolean'];
begin
  if p_depth > 32 then
    return array[p_path || ': expression is nested more than 32 levels deep'];
  end if;
  if p_node is null or jsonb_typeof(p_node) <> 'object' then
    return array[p_path || ': expected an expression node (object)'];
  end if;
  select coalesce(array_agg(k order by k collate "C"), '{}') into v_keys from jsonb_object_keys(p_node) as k;

  if v_keys = array['column'] then
    return private.rule_identifier_errors(p_node -> 'column', p_path || '.column');
  elsif v_keys = array['text'] then
    if jsonb_typeof(p_node -> 'text') = 'string' and char_length(p_node ->> 'text') <= 1000 then return '{}'; end if;
    return array[p_path || '.text: expected a string of at most 1000 characters'];
  elsif v_keys = array['number'] then
    if jsonb_typeof(p_node -> 'number') = 'string' and char_length(p_node ->> 'number') <= 40
       and (p_node ->> 'number') ~ '^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$' then
      return '{}';
    end if;
    return array[p_path || '.number: expected an unsigned decimal number written as a string'];
  elsif v_keys = array['boolean'] then
    if jsonb_typeof(p_node -> 'boolean') = 'boolean' then return '{}'; end if;
    return array[p_path || '.boolean: expected true or false'];
  elsif v_keys = array['null'] then
    if p_node -> 'null' = 'true'::jsonb then return '{}'; end if;
    return array[p_path || '.null: expected true'];
  end if;

  foreach v_kind in array array['op', 'fn', 'cast'] loop
    continue when v_keys <> array['args', v_kind];
    v_name := case when jsonb_typeof(p_node -> v_kind) = 'string' then p_node ->> v_kind end;
    if v_kind = 'op' and v_operators ? v_name then
      v_arity := int4range((v_operators -> v_name ->> 0)::integer, (v_operators -> v_name ->> 1)::integer, '[]');
    elsif v_kind = 'fn' and v_functions ? v_name then
      v_arity := int4range((v_functions -> v_name ->> 0)::integer, (v_functions -> v_name ->> 1)::integer, '[]');
    elsif v_kind = 'cast' and v_name = any(v_casts) then
      v_arity := int4range(1, 1, '[]');
    else
      return array[format('%s.%s: %s %s is not allowed', p_path, v_kind,
        case v_kind when 'op' then 'operator' when 'fn' then 'function' else 'cast target' end,
        coalesce((p_node -> v_kind)::text, 'null'))];
    end if;
    if jsonb_typeof(p_node -> 'args') <> 'array' then
      return array[p_path || '.args: expected an array'];
    end if;
    v_count := jsonb_array_length(p_node -> 'args');
    if not v_arity @> v_count then
      return array[format('%s.args: %s takes %s to %s argument(s)', p_path, v_name, lower(v_arity), upper(v_arity) - 1)];
    end if;
    for i in 0 .. v_count - 1 loop
      v_errors := v_errors || private.rule_expression_errors(p_node -> 'args' -> i, format('%s.args[%s]', p_path, i), p_depth + 1);
    end loop;
    return v_errors;
  end loop;

  return array[format('%s: unknown expression node with keys %s', p_path, to_jsonb(v_keys))];
end
$$;
comment on function private.rule_expression_errors(jsonb, text, integer) is
  'Why a JSON value is not a valid restricted expression AST (allow-listed operators, functions, casts; columns; literals); empty when it is.';

create or replace function private.rule_definition_errors(p_definition jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_kind text := case when jsonb_typeof(p_definition) = 'object' and jsonb_typeof(p_definition -> 'kind') = 'string'
    then p_definition ->> 'kind' end;
  v_allowed jsonb := '{
    "not_null": ["column"], "not_blank": ["column"],
    "regex": ["column", "pattern", "case_insensitive"],
    "length": ["column", "min", "max"],
    "range": ["column", "min", "max", "min_inclusive", "max_inclusive"],
    "date_range": ["column", "min", "max"],
    "allowed_values": ["column", "values"],
    "unique": ["columns"],
    "not_future_date": ["column"],
    "compare_columns": ["left", "operator", "right"],
    "expression": ["expression"]
  }';
  v_required jsonb := '{
    "regex": ["column", "pattern"], "length": ["column"], "range": ["column"], "date_range": ["column"],
    "allowed_values": ["column", "values"], "unique": ["columns"],
    "compare_columns": ["left", "operator", "right"], "expression": ["expression"]
  }';
  v_errors text[] := '{}';
  v_key text;
  v_min jsonb := p_definition -> 'min';
  v_max jsonb := p_definition -> 'max';
  v_value jsonb;
begin
  if v_kind is null or not v_allowed ? v_kind then
    return array['kind: expected one of not_null, not_blank, regex, length, range, date_range, allowed_values, unique, not_future_date, compare_columns, expression'];
  end if;
  for v_key in select k from jsonb_object_keys(p_definition) as k where k <> 'kind' loop
    if not (v_allowed -> v_kind) ? v_key then
      v_errors := v_errors || format('Unrecognized key(s) in object: ''%s''', v_key);
    end if;
  end loop;
  for v_key in select jsonb_array_elements_text(coalesce(v_required -> v_kind, '["column"]')) loop
    if not p_definition ? v_key then
      v_errors := v_errors || (v_key || ': Required');
    end if;
  end loop;
  if cardinality(v_errors) > 0 then
    return v_errors;
  end if;

  if p_definition ? 'column' then
    v_errors := v_errors || private.rule_identifier_errors(p_definition -> 'column', 'column');
  end if;

  case v_kind
  when 'regex' then
    if jsonb_typeof(p_definition -> 'pattern') <> 'string' or char_length(p_definition ->> 'pattern') not between 1 and 1000 then
      v_errors := v_errors || 'pattern: expected a string of 1 to 1000 characters'::text;
    end if;
    if p_definition ? 'case_insensitive' and jsonb_typeof(p_definition -> 'case_insensitive') <> 'boolean' then
      v_errors := v_errors || 'case_insensitive: expected true or false'::text;
    end if;
  when 'length', 'range' then
    foreach v_key in array array['min', 'max'] loop
      v_value := p_definition -> v_key;
      continue when v_value is null;
      if jsonb_typeof(v_value) <> 'number' then
        v_errors := v_errors || (v_key || ': expected a number');
      elsif v_kind = 'length' and ((v_value::numeric) <> trunc(v_value::numeric) or (v_value::numeric) not between 0 and 1000000000) then
        v_errors := v_errors || (v_key || ': expected a whole number from 0 to 1000000000');
      end if;
    end loop;
    foreach v_key in array array['min_inclusive', 'max_inclusive'] loop
      if p_definition ? v_key and jsonb_typeof(p_definition -> v_key) <> 'boolean' then
        v_errors := v_errors || (v_key || ': expected true or false');
      end if;
    end loop;
    if cardinality(v_errors) = 0 then
      if v_min is null and v_max is null then
        v_errors := v_errors || 'give min, max or both'::text;
      elsif v_min is not null and v_max is not null and v_min::numeric > v_max::numeric then
        v_errors := v_errors || 'min must not exceed max'::text;
      end if;
    end if;
  when 'date_range' then
    foreach v_key in array array['min', 'max'] loop
      v_value := p_definition -> v_key;
      continue when v_value is null;
      if not private.is_iso_date(v_value) then
        v_errors := v_errors || (v_key || ': expected an existing date written YYYY-MM-DD');
      end if;
    end loop;
    if cardinality(v_errors) = 0 then
      if v_min is null and v_max is null then
        v_errors := v_errors || 'give min, max or both'::text;
      elsif v_min is not null and v_max is not null and (v_min #>> '{}') > (v_max #>> '{}') collate "C" then
        v_errors := v_errors || 'min must not exceed max'::text;
      end if;
    end if;
  when 'allowed_values' then
    if jsonb_typeof(p_definition -> 'values') <> 'array'
       or jsonb_array_length(p_definition -> 'values') not between 1 and 1000 then
      v_errors := v_errors || 'values: expected a list of 1 to 1000 values'::text;
    elsif exists (
      select 1 from jsonb_array_elements(p_definition -> 'values') as v
      where jsonb_typeof(v) not in ('string', 'number', 'boolean')
         or (jsonb_typeof(v) = 'string' and char_length(v #>> '{}') > 1000)
    ) then
      v_errors := v_errors || 'values: each value is a string (at most 1000 characters), a number or a boolean'::text;
    end if;
  when 'unique' then
    if jsonb_typeof(p_definition -> 'columns') <> 'array'
       or jsonb_array_length(p_definition -> 'columns') not between 1 and 10 then
      v_errors := v_errors || 'columns: expected a list of 1 to 10 column names'::text;
    else
      for i in 0 .. jsonb_array_length(p_definition -> 'columns') - 1 loop
        v_errors := v_errors || private.rule_identifier_errors(p_definition -> 'columns' -> i, format('columns.%s', i));
      end loop;
      if (select count(distinct c) <> count(*) from jsonb_array_elements(p_definition -> 'columns') as c) then
        v_errors := v_errors || 'columns: columns must be distinct'::text;
      end if;
    end if;
  when 'compare_columns' then
    v_errors := v_errors || private.rule_identifier_errors(p_definition -> 'left', 'left')
      || private.rule_identifier_errors(p_definition -> 'right', 'right');
    if jsonb_typeof(p_definition -> 'operator') <> 'string'
       or not (p_definition ->> 'operator') = any(array['=', '<>', '<', '<=', '>', '>=']) then
      v_errors := v_errors || 'operator: expected one of =, <>, <, <=, >, >='::text;
    end if;
    if cardinality(v_errors) = 0 and p_definition -> 'left' = p_definition -> 'right' then
      v_errors := v_errors || 'compare two different columns'::text;
    end if;
  when 'expression' then
    v_errors := v_errors || private.rule_expression_errors(p_definition -> 'expression');
    if cardinality(v_errors) = 0 and not coalesce(p_definition -> 'expression' ->> 'op' = any(array[
      'and', 'or', 'not', '=', '<>', '<', '<=', '>', '>=', '~', '~*', '!~', '!~*', 'like', 'not_like', 'ilike',
      'not_ilike', 'is_distinct_from', 'is_not_distinct_from', 'is_null', 'is_not_null', 'is_true', 'is_not_true',
      'is_false', 'is_not_false', 'between', 'not_between', 'in', 'not_in']), false) then
      v_errors := v_errors || 'expression: the expression must be a condition (true for rows that pass)'::text;
    end if;
  else
    null;
  end case;
  return v_errors;
end
$$;
comment on function private.rule_definition_errors(jsonb) is
  'Why a JSON value is not a valid data-quality rule definition (structure only, not column existence); empty when it is. Same rules as the TypeScript validator.';

create or replace function private.is_iso_date(p_value jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := case when jsonb_typeof(p_value) = 'string' then p_value #>> '{}' end;
begin
  if v_text is null or v_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
    return false;
  end if;
  perform make_date(substr(v_text, 1, 4)::integer, substr(v_text, 6, 2)::integer, substr(v_text, 9, 2)::integer);
  return substr(v_text, 1, 4)::integer > 0;
exception when datetime_field_overflow or invalid_datetime_format then
  return false;
end
$$;
comment on function private.is_iso_date(jsonb) is 'Whether a JSON value is a string naming an existing date as YYYY-MM-DD.';

create or replace function private.is_valid_rule_definition(p_definition jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select cardinality(private.rule_definition_errors(p_definition)) = 0
$$;
comment on function private.is_valid_rule_definition(jsonb) is
  'Whether a rule definition is structurally valid; usable in check constraints.';

create or replace function private.rule_type_category(p_type text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case btrim(regexp_replace(regexp_replace(lower(p_type), '\([^)]*\)', '', 'g'), '\s+', ' ', 'g'))
    when 'text' then 'text' when 'character varying' then 'text' when 'varchar' then 'text'
    when 'character' then 'text' when 'char' then 'text' when 'bpchar' then 'text' when 'citext' then 'text'
    when 'smallint' then 'integer' when 'integer' then 'integer' when 'bigint' then 'integer'
    when 'int2' then 'integer' when 'int4' then 'integer' when 'int8' then 'integer'
    when 'numeric' then 'numeric' when 'decimal' then 'numeric' when 'real' then 'numeric'
    when 'double precision' then 'numeric' when 'float4' then 'numeric' when 'float8' then 'numeric'
    when 'date' then 'date'
    when 'timestamp' then 'timestamp' when 'timestamp without time zone' then 'timestamp'
    when 'timestamp with time zone' then 'timestamp' when 'timestamptz' then 'timestamp'
    when 'boolean' then 'boolean' when 'bool' then 'boolean'
    else 'other'
  end
$$;
comment on function private.rule_type_category(text) is
  'The rule language''s category of a column type (text, integer, numeric, date, timestamp, boolean, other).';

create or replace function private.rule_definition_column_errors(p_definition jsonb, p_columns jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_kind text := p_definition ->> 'kind';
  v_categories jsonb;
  v_used text[];
  v_missing text[];
  v_category text;
  v_left text;
  v_right text;
begin
  select coalesce(jsonb_object_agg(c ->> 'name', private.rule_type_category(c ->> 'type')), '{}')
    into v_categories from jsonb_array_elements(p_columns) as c;
  v_used := case v_kind
    when 'unique' then array(select jsonb_array_elements_text(p_definition -> 'columns'))
    when 'compare_columns' then array[p_definition ->> 'left', p_definition ->> 'right']
    when 'expression' then array(select distinct c #>> '{}' from jsonb_path_query(p_definition -> 'expression', 'lax $.**.column') as c)
    else array[p_definition ->> 'column']
  end;
  select array_agg(format('column %s does not exist in the table', to_jsonb(u)))
    into v_missing from unnest(v_used) as u where not v_categories ? u;
  if v_missing is not null then
    return v_missing;
  end if;
  v_category := v_categories ->> (p_definition ->> 'column');
  case
  when v_kind = 'range' and v_category not in ('integer', 'numeric', 'text') then
    return array[format('range needs a numeric column; %s is %s', p_definition ->> 'column', v_category)];
  when v_kind in ('date_range', 'not_future_date') and v_category not in ('date', 'timestamp', 'text') then
    return array[format('%s needs a date column; %s is %s', v_kind, p_definition ->> 'column', v_category)];
  when v_kind = 'allowed_values' and exists (
    select 1 from jsonb_array_elements(p_definition -> 'values') as v
    where not case v_category
      when 'integer' then jsonb_typeof(v) = 'number' and v::numeric = trunc(v::numeric)
      when 'numeric' then jsonb_typeof(v) = 'number'
      when 'boolean' then jsonb_typeof(v) = 'boolean'
      when 'date' then private.is_iso_date(v)
      when 'text' then jsonb_typeof(v) <> 'boolean'
      else jsonb_typeof(v) = 'string'
    end
  ) then
    return array[format('values do not fit %s (%s)', p_definition ->> 'column', v_category)];
  when v_kind = 'compare_columns' then
    v_left := v_categories ->> (p_definition ->> 'left');
    v_right := v_categories ->> (p_definition ->> 'right');
    v_left := case when v_left in ('integer', 'numeric') then 'number' when v_left = 'timestamp' then 'date' else v_left end;
    v_right := case when v_right in ('integer', 'numeric') then 'number' when v_right = 'timestamp' then 'date' else v_right end;
    if v_left <> v_right or v_left = 'other' then
      return array[format('cannot compare %s (%s) with %s (%s)', p_definition ->> 'left', v_left, p_definition ->> 'right', v_right)];
    end if;
    if v_left = 'boolean' and not (p_definition ->> 'operator') in ('=', '<>') then
      return array['booleans compare only with = or <>'];
    end if;
  else
    null;
  end case;
  return '{}';
end
$$;
comment on function private.rule_definition_column_errors(jsonb, jsonb) is
  'Why a structurally valid rule definition does not fit a table, given its columns as [{"name", "type"}]: missing columns, unsuitable types or values. Empty when it fits.';

-- Pure functions (no table access). The entry points run as their owner so that callers, e.g. a check
-- constraint evaluated for an authenticated insert, need no usage right on the private schema.
alter function private.rule_definition_errors(jsonb) security definer;
alter function private.is_valid_rule_definition(jsonb) security definer;
alter function private.rule_definition_column_errors(jsonb, jsonb) security definer;

revoke all on function private.rule_identifier_errors(jsonb, text) from public;
revoke all on function private.rule_expression_errors(jsonb, text, integer) from public;
revoke all on function private.rule_definition_errors(jsonb) from public;
revoke all on function private.is_iso_date(jsonb) from public;
revoke all on function private.is_valid_rule_definition(jsonb) from public;
revoke all on function private.rule_type_category(text) from public;
revoke all on function private.rule_definition_column_errors(jsonb, jsonb) from public;
grant execute on function private.rule_definition_errors(jsonb) to authenticated, service_role;
grant execute on function private.is_valid_rule_definition(jsonb) to authenticated, service_role;
grant execute on function private.rule_definition_column_errors(jsonb, jsonb) to authenticated, service_role;
