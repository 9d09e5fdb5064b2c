-- Profiles: created for every new user, roles changed only by admins.
begin;
select plan(21);

select tests.create_fixture();
\set t1 '''tester1@test.local'''
\set o1 '''owner1@test.local'''
\set admin '''admin@test.local'''

-- a new user gets a profile ----------------------------------------------------------------------------
insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
values ('11111111-1111-4111-8111-111111111111', 'authenticated', 'authenticated', 'new@test.local',
        '{"full_name":"New Person","app_role":"admin"}', '{"provider":"email"}', now(), now());
select results_eq(
  $$select email, full_name, app_role::text from public.profiles where id = '11111111-1111-4111-8111-111111111111'$$,
  $$values ('new@test.local', 'New Person', 'tester')$$,
  'a new user gets a tester profile with their name (metadata never sets the role)');
update auth.users set email = 'renamed@test.local' where id = '11111111-1111-4111-8111-111111111111';
select is((select email from public.profiles where id = '11111111-1111-4111-8111-111111111111'), 'renamed@test.local',
  'the profile follows an email change');

-- who changes what ------------------------------------------------------------------------------------
select is(tests.try_as(:t1, format($$update public.profiles set full_name = 'T. One' where id = '%s'$$, tests.id('t1'))),
  'rows 1', 'users edit their own name');
select is(tests.try_as(:t1, format($$update public.profiles set app_role = 'admin' where id = '%s'$$, tests.id('t1'))),
  'PT403 role_change_requires_admin', 'users cannot promote themselves');
select is(tests.try_as(:o1, format($$update public.profiles set app_role = 'admin' where id = '%s'$$, tests.id('o1'))),
  'PT403 role_change_requires_admin', 'report owners cannot promote themselves');
select is(tests.try_as(:t1, format($$update public.profiles set email = 'x@test.local' where id = '%s'$$, tests.id('t1'))),
  '42501', 'users cannot change their email here');
select is(tests.try_as(:t1, format($$update public.profiles set full_name = 'x' where id = '%s'$$, tests.id('o1'))),
  'rows 0', 'users cannot edit someone else''s profile');
select is(tests.try_as('service_role', format($$update public.profiles set app_role = 'report_owner' where id = '%s'$$, tests.id('t1'))),
  'rows 1', 'the service_role can change roles');
select is(tests.try_as(:admin, format($$update public.profiles set app_role = 'report_owner' where id = '%s'$$, tests.id('t1'))),
  'rows 1', 'admins change roles');
select is(tests.try_as('postgres', format($$update public.profiles set app_role = 'report_owner' where id = '%s'$$, tests.id('t1'))),
  'rows 1', 'postgres in Studio changes roles');
select is(tests.try_as('postgres', $$update public.profiles set app_role = 'tester' where app_role = 'admin'$$),
  'PT409 last_admin', 'the last admin keeps the admin role');
select is(tests.try_as('postgres', format($$update public.profiles set app_role = 'tester' where id = '%s'$$, tests.id('admin'))),
  'rows 1', 'an admin can be demoted while another admin exists');

-- demotions of admins are serialized: each writes the admin-role lock row, held until its transaction ends
update public.profiles set app_role = 'admin' where id = tests.id('o1')::uuid;
select isnt((select xmin::text from private.admin_role_lock), (txid_current() % 4294967296)::text,
  'a promotion takes no lock');
update public.profiles set app_role = 'report_owner' where id = tests.id('o1')::uuid;
select is((select xmin::text from private.admin_role_lock), (txid_current() % 4294967296)::text,
  'a demotion of an admin locks the admin-role row for the rest of its transaction before counting the admins');
select is(tests.try_as(:admin, 'select count(*) from private.admin_role_lock'),
  '42501', 'the lock row is out of the API''s reach');

-- deleting users: the last admin stays ----------------------------------------------------------------------
select is(tests.try_as('postgres', $$delete from auth.users where id in (select id from public.profiles where app_role = 'admin')$$),
  'PT409 last_admin', 'deleting the login of every admin is refused (the cascade to the profile fails)');
select is(tests.try_as('service_role', $$delete from public.profiles where app_role = 'admin'$$),
  'PT409 last_admin', 'deleting every admin''s profile is refused');
update public.profiles set app_role = 'admin' where id = '11111111-1111-4111-8111-111111111111';
delete from auth.users where id = '11111111-1111-4111-8111-111111111111';
select is((select count(*)::integer from public.profiles where id = '11111111-1111-4111-8111-111111111111'), 0,
  'an admin''s login is deleted, with its profile, while another admin exists');
select is((select xmin::text from private.admin_role_lock), (txid_current() % 4294967296)::text,
  'deleting an admin locks the admin-role row before counting the admins');

-- role checks on the work ----------------------------------------------------------------------------------
select is(tests.try_as('postgres', format($$insert into public.reports (name, regulation, owner_id) values ('x', 'y', '%s')$$, tests.id('t1'))),
  'PT409 owner_not_report_owner', 'a report''s owner must be a report owner');
select is(tests.try_as('postgres', format($$insert into public.cycle_report_testers (cycle_report_id, tester_id) values (%s, '%s')$$, tests.id('cr1'), tests.id('o1'))),
  'PT409 assignee_not_tester', 'only testers are assigned to cycle reports');

select * from finish();
rollback;
