-- The scoping policy as data, and the refusals of scoping decisions: role, state, policy, missing rationale.
begin;
select plan(17);

select tests.create_scoping_fixture('upload_pgtapscopingpolicy');

\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

insert into tests.fixture_ids
select 'sv1', tests.run_as(:t1, format('select (public.create_version(%s)).id', tests.phase('scoping1'))) -> 0 ->> 'id';
create temporary view decision as
  select d.*, a.name from public.scoping_decisions d join public.planning_attributes a on a.id = d.attribute_id
   where d.version_id = tests.id('sv1')::uuid;
grant select on decision to authenticated;
create function pg_temp.out_of_scope(p_name text, p_rationale text default null) returns text language sql as $$
  select format($q$update public.scoping_decisions set in_scope = false, rationale = %L where id = '%s'$q$,
    p_rationale, (select id from decision where name = p_name))
$$;

-- the policy ----------------------------------------------------------------------------------------------------
select results_eq('select cde_always_in_scope, primary_keys_always_in_scope, regulatory_always_in_scope, in_scope_risk_score::int from public.scoping_policy',
  $$values (true, true, true, 7)$$, 'one policy: CDEs, primary keys, regulatory attributes and risk scores of 7 or more stay in scope');
select tests.run_as(:t1, 'update public.scoping_policy set cde_always_in_scope = false');
select is((select cde_always_in_scope from public.scoping_policy), true, 'a tester cannot change the policy');
select is(tests.try_as(:admin, 'insert into public.scoping_policy (id) values (true)'), '42501', 'there is one policy, edited in place');

-- the policy keeps attributes in scope ------------------------------------------------------------------------------
select is(tests.try_as(:t1, pg_temp.out_of_scope('Amount', 'too much work')), 'PT409 scoping_policy_requires_in_scope',
  'a critical data element stays in scope');
select is(tests.try_as(:t1, pg_temp.out_of_scope('Loan id', 'too much work')), 'PT409 scoping_policy_requires_in_scope',
  'a primary key stays in scope');
select is(tests.try_as(:t1, pg_temp.out_of_scope('Region', 'too much work')), 'PT409 scoping_policy_requires_in_scope',
  'an attribute with a regulatory mapping stays in scope');
select is(tests.try_as(:t1, pg_temp.out_of_scope('Rating', 'too much work')), 'PT409 scoping_policy_requires_in_scope',
  'an attribute whose mapping risk score reaches the threshold stays in scope');
select is(tests.try_as(:t1, pg_temp.out_of_scope('Branch')), 'PT400 scoping_rationale_required',
  'out of scope needs a rationale');
select is(tests.try_as(:t1, pg_temp.out_of_scope('Branch', '   ')), 'PT400 scoping_rationale_required',
  'a blank one is none');
select tests.run_as(:t1, pg_temp.out_of_scope('Branch', 'Reference data, tested by the branch register''s own controls'));
select is((select in_scope from decision where name = 'Branch'), false, 'with a rationale, an attribute the policy allows is left out');

-- the admin's policy decides -------------------------------------------------------------------------------------------
select tests.run_as(:admin, 'update public.scoping_policy set cde_always_in_scope = false');
select tests.run_as(:t1, pg_temp.out_of_scope('Amount', 'Derived from the ledger, tested there'));
select is((select in_scope from decision where name = 'Amount'), false, 'once the admin lets CDEs out, a CDE can be left out');
select tests.run_as(:admin, 'update public.scoping_policy set in_scope_risk_score = 0');
select is(tests.try_as(:t1, format($$update public.scoping_decisions set tester_decision = 'approved' where id = '%s'$$,
    (select id from decision where name = 'Branch'))),
  'PT409 scoping_policy_requires_in_scope', 'a decision the policy no longer allows cannot be approved');
select tests.run_as(:admin, 'update public.scoping_policy set in_scope_risk_score = 7, cde_always_in_scope = true');

-- departing from the recommendation needs a rationale of its own ------------------------------------------------------
update public.scoping_decisions set recommended_in_scope = false, recommendation_reason = 'Not a CDE, key or regulatory attribute.',
  recommendation_provider = 'heuristic', rationale = 'Not a CDE, key or regulatory attribute.'
 where id = (select id from decision where name = 'Branch');
select is(tests.try_as(:t1, format($$update public.scoping_decisions set in_scope = true where id = '%s'$$, (select id from decision where name = 'Branch'))),
  'PT400 scoping_override_rationale_required', 'bringing in an attribute recommended out needs a rationale');
select tests.run_as(:t1, format($$update public.scoping_decisions set in_scope = true, rationale = 'The branch drives the regional split of the report' where id = '%s'$$,
  (select id from decision where name = 'Branch')));
select is((select in_scope from decision where name = 'Branch'), true, 'with one it is in scope');
select is(tests.try_as(:t1, format($$update public.scoping_decisions set recommended_in_scope = true where id = '%s'$$, (select id from decision where name = 'Branch'))),
  '42501', 'the recommendation is not the tester''s to write');

-- roles and states ----------------------------------------------------------------------------------------------------
select is(tests.try_as(:o1, format($$update public.scoping_decisions set risk_rating = 'high' where id = '%s'$$, (select id from decision where name = 'Branch'))),
  'PT403 item_edit_requires_tester', 'the report owner does not edit a draft''s decisions');
select tests.run_as(:t1, format($$update public.scoping_decisions set in_scope = true, rationale = null where id = '%s'$$, (select id from decision where name = 'Amount')));
select tests.run_as(:t1, format($$select public.decide_items('%1$s', 'public.scoping_decisions', array(select id::text from public.scoping_decisions where version_id = '%1$s'), 'tester', 'approved')$$, tests.id('sv1')));
select tests.run_as(:t1, format('select public.submit_version(%L)', tests.id('sv1')));
select is(tests.try_as(:t1, format($$update public.scoping_decisions set in_scope = false, rationale = 'late' where id = '%s'$$, (select id from decision where name = 'Branch'))),
  'PT409 version_not_draft', 'a submitted version''s decisions do not change');

select * from finish();
rollback;
