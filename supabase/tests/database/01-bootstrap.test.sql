-- The devstack's Supabase bootstrap behaves as a Supabase database does: API roles, auth helpers,
-- default grants on public, extensions schema. These facts hold on a real Supabase project too.
begin;
select plan(26);

-- roles ---------------------------------------------------------------------------------------------
select has_role('anon');
select has_role('authenticated');
select has_role('service_role');
select has_role('authenticator');
select ok(not rolcanlogin, 'anon cannot log in') from pg_roles where rolname = 'anon';
select ok(not rolcanlogin, 'authenticated cannot log in') from pg_roles where rolname = 'authenticated';
select ok(rolbypassrls, 'service_role bypasses RLS') from pg_roles where rolname = 'service_role';
select ok(rolcanlogin and not rolinherit, 'authenticator logs in and does not inherit')
  from pg_roles where rolname = 'authenticator';
select ok(pg_has_role('authenticator', r, 'member'), 'authenticator can switch to ' || r)
  from unnest(array['anon', 'authenticated', 'service_role']) as r;
select ok(not has_table_privilege('authenticator', 'auth.users', 'select'),
  'authenticator itself reads nothing in auth');

-- auth helpers read the request's JWT claims -----------------------------------------------------------
select is(auth.uid(), null, 'auth.uid() is null without claims');
select set_config('request.jwt.claims',
  '{"sub":"6f1c1a4e-0000-4000-8000-000000000001","role":"authenticated","email":"a@example.com","aal":"aal1"}', true);
select is(auth.uid(), '6f1c1a4e-0000-4000-8000-000000000001'::uuid, 'auth.uid() is the sub claim');
select is(auth.role(), 'authenticated', 'auth.role() is the role claim');
select is(auth.email(), 'a@example.com', 'auth.email() is the email claim');
select is(auth.jwt() ->> 'aal', 'aal1', 'auth.jwt() returns every claim');
select ok(has_function_privilege('anon', 'auth.uid()', 'execute'), 'anon may call auth.uid()');
select ok(has_function_privilege('authenticated', 'auth.jwt()', 'execute'), 'authenticated may call auth.jwt()');

-- default privileges on public, as Supabase grants them ----------------------------------------------
create table public.bootstrap_probe (id int primary key);
create function public.bootstrap_probe_fn() returns int language sql as 'select 1';
select ok(has_table_privilege('anon', 'public.bootstrap_probe', 'select,insert,update,delete'),
  'anon gets table privileges by default (RLS decides)');
select ok(has_table_privilege('authenticated', 'public.bootstrap_probe', 'select,insert,update,delete'),
  'authenticated gets table privileges by default');
select ok(has_table_privilege('service_role', 'public.bootstrap_probe', 'select,insert,update,delete'),
  'service_role gets table privileges by default');
select ok(has_function_privilege('authenticated', 'public.bootstrap_probe_fn()', 'execute'),
  'new functions are executable by the API roles by default');

-- extensions --------------------------------------------------------------------------------------------
select is((select extnamespace::regnamespace::text from pg_extension where extname = 'pgcrypto'), 'extensions',
  'pgcrypto lives in schema extensions');
select ok(extensions.crypt('secret', extensions.gen_salt('bf', 10)) like '$2a$10$%', 'bcrypt hashes like GoTrue''s');

-- role switching applies RLS ---------------------------------------------------------------------------
alter table public.bootstrap_probe enable row level security;
insert into public.bootstrap_probe values (1);
set local role authenticated;
select is((select count(*)::int from public.bootstrap_probe), 0, 'RLS without a policy hides every row');
reset role;

select * from finish();
rollback;
