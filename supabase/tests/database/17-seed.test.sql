-- The local demo accounts can sign in on a real Supabase stack as well: GoTrue reads the token columns
-- of auth.users as strings (NULL fails the sign-in) and finds password users through an email identity.
begin;
select plan(3);

create temporary table demo (email text) on commit drop;
insert into demo values ('admin@example.com'), ('tester@example.com'), ('tester2@example.com'),
  ('owner@example.com'), ('owner2@example.com'), ('provider@example.com'), ('provider2@example.com');

select is(
  (select count(*)::int from auth.users where email in (select email from demo)
    and confirmation_token = '' and recovery_token = '' and email_change_token_new = '' and email_change = ''),
  7, 'every demo user has empty, not NULL, token columns');

select is(
  (select count(*)::int from auth.users u join auth.identities i on i.user_id = u.id and i.provider = 'email'
    where u.email in (select email from demo) and i.provider_id = u.id::text and i.email = u.email
      and i.identity_data ->> 'sub' = u.id::text),
  7, 'every demo user has an email identity');

select is(
  (select count(*)::int from auth.users where email in (select email from demo) and email_confirmed_at is not null),
  7, 'every demo user has a confirmed email');

select * from finish();
rollback;
