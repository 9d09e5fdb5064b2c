-- Local demo data (never for production). Every account's password is demo-password.
--   admin@example.com    admin
--   tester@example.com   tester, assigned to FR Y-9C in 2026 Q4
--   tester2@example.com  tester, assigned to FFIEC 031 in 2026 Q4
--   owner@example.com    report owner of FR Y-9C
--   owner2@example.com   report owner of FFIEC 031
--   provider@example.com   data provider (answers the requests assigned to them)
--   provider2@example.com  data provider

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select
  '00000000-0000-0000-0000-000000000000'::uuid,
  u.id,
  'authenticated',
  'authenticated',
  u.email,
  extensions.crypt('demo-password', extensions.gen_salt('bf', 10)),
  now(),
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('full_name', u.full_name),
  now(),
  now(),
  -- GoTrue reads the token columns as strings and refuses to sign in a user holding NULL in one.
  '',
  '',
  '',
  ''
from (values
  ('00000000-0000-4000-a000-000000000001'::uuid, 'admin@example.com', 'Ada Admin'),
  ('00000000-0000-4000-a000-000000000002'::uuid, 'tester@example.com', 'Theo Tester'),
  ('00000000-0000-4000-a000-000000000003'::uuid, 'tester2@example.com', 'Tess Tester'),
  ('00000000-0000-4000-a000-000000000004'::uuid, 'owner@example.com', 'Olive Owner'),
  ('00000000-0000-4000-a000-000000000005'::uuid, 'owner2@example.com', 'Oscar Owner'),
  ('00000000-0000-4000-a000-000000000006'::uuid, 'provider@example.com', 'Pia Provider'),
  ('00000000-0000-4000-a000-000000000007'::uuid, 'provider2@example.com', 'Paul Provider')
) as u (id, email, full_name);

-- GoTrue signs in with a password through the user's email identity.
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), 'email',
  now(), now(), now()
from auth.users u
where u.id between '00000000-0000-4000-a000-000000000001' and '00000000-0000-4000-a000-000000000007';

-- Profiles were created by the trigger as testers; set the other roles.
update public.profiles set app_role = 'admin' where id = '00000000-0000-4000-a000-000000000001';
update public.profiles set app_role = 'report_owner'
 where id in ('00000000-0000-4000-a000-000000000004', '00000000-0000-4000-a000-000000000005');
update public.profiles set app_role = 'data_provider'
 where id in ('00000000-0000-4000-a000-000000000006', '00000000-0000-4000-a000-000000000007');

insert into public.reports (name, regulation, description, owner_id) values
  ('FR Y-9C', 'Federal Reserve FR Y-9C',
   'Consolidated Financial Statements for Holding Companies.', '00000000-0000-4000-a000-000000000004'),
  ('FFIEC 031', 'FFIEC Call Report 031',
   'Consolidated Reports of Condition and Income for a bank with domestic and foreign offices.',
   '00000000-0000-4000-a000-000000000005');

insert into public.test_cycles (name, period_start, period_end, status, description)
values ('2026 Q4', '2026-10-01', '2026-12-31', 'active', 'Fourth-quarter 2026 testing cycle.');

-- Adding a report to the cycle creates its nine phases and their activities.
insert into public.cycle_reports (cycle_id, report_id)
select c.id, r.id from public.test_cycles c cross join public.reports r where c.name = '2026 Q4';

insert into public.cycle_report_testers (cycle_report_id, tester_id, assigned_by)
select cr.id, a.tester_id, '00000000-0000-4000-a000-000000000001'::uuid
  from (values
    ('FR Y-9C', '00000000-0000-4000-a000-000000000002'::uuid),
    ('FFIEC 031', '00000000-0000-4000-a000-000000000003'::uuid)
  ) as a (report_name, tester_id)
  join public.reports r on r.name = a.report_name
  join public.cycle_reports cr on cr.report_id = r.id
  join public.test_cycles c on c.id = cr.cycle_id and c.name = '2026 Q4';
