-- Regex operands are literals and expensive patterns are bounded when a rule is saved: a pattern built with || or
-- read from a column, and one whose nested counts repeat a part more than 255 times, are refused with the reason.
begin;
select plan(6);

select tests.create_profiling_fixture('upload_pgtapregex');
insert into tests.fixture_ids select 'prof_v', id::text from public.create_version(tests.phase('data_profiling1'));
\set t1 '''tester1@test.local'''

create function pg_temp.save_rule(p_definition text) returns text language sql as $$
  select tests.try_as('tester1@test.local', format(
    $i$insert into public.profiling_rules (version_id, attribute_id, name, rule_type, definition) values (%L, %L, 'x', 'validity', %L)$i$,
    tests.id('prof_v'), tests.id('pv1 Amount'), p_definition))
$$;

select is(pg_temp.save_rule('{"kind": "expression", "expression": {"op": "~", "args": [{"cast": "text", "args": [{"column": "amount"}]}, {"op": "||", "args": [{"text": "^"}, {"text": "[0-9]+"}]}]}}'),
  'PT400 invalid_rule_definition', 'a pattern built with || is refused when the rule is saved');
select is(pg_temp.save_rule('{"kind": "expression", "expression": {"op": "!~*", "args": [{"cast": "text", "args": [{"column": "amount"}]}, {"cast": "text", "args": [{"column": "id"}]}]}}'),
  'PT400 invalid_rule_definition', 'so is a pattern read from a column');
select is(private.rule_definition_errors('{"kind": "expression", "expression": {"op": "~", "args": [{"column": "a"}, {"column": "b"}]}}'),
  array['expression: the pattern of ~ must be a text literal (''…''), not a column or a computed value'],
  'with the reason');
select is(pg_temp.save_rule('{"kind": "regex", "column": "amount", "pattern": "^([a-z0-9]{1,50}){1,50}$"}'),
  'PT400 invalid_rule_definition', 'nested repetition counts that repeat a part 2,500 times are refused');
select is(private.rule_definition_errors('{"kind": "regex", "column": "amount", "pattern": "^([a-z0-9]{1,50}){1,50}$"}'),
  array['pattern: nested repetition counts repeat a part of the pattern 2500 times (at most 255): too expensive to match; use * or + inside a counted group, or one count'],
  'with the count and the limit');
select is(pg_temp.save_rule('{"kind": "regex", "column": "amount", "pattern": "^([0-9]+\\.)*[0-9]{1,255}$"}'),
  'rows 1', 'a pattern with * inside a group and one count of 255 is kept');

select * from finish();
rollback;
