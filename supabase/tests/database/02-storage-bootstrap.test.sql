-- The `storage` schema is there before any migration, shaped as Supabase Storage keeps it: buckets and objects
-- with the columns policies and storage-js rely on, the name helpers, RLS on both tables and no policy of its
-- own. These facts hold on a real Supabase project too (devstack/bootstrap/storage.sql stands in for it).
begin;
select plan(39);

-- tables and columns ----------------------------------------------------------------------------------
select has_schema('storage');
select has_table('storage', 'buckets', 'storage.buckets exists');
select has_table('storage', 'objects', 'storage.objects exists');
select has_column('storage', 'buckets', c, 'storage.buckets.' || c)
  from unnest(array['id', 'name', 'owner', 'owner_id', 'public', 'file_size_limit', 'allowed_mime_types']) as c;
select has_column('storage', 'objects', c, 'storage.objects.' || c)
  from unnest(array['id', 'bucket_id', 'name', 'owner', 'owner_id', 'metadata', 'path_tokens', 'version',
                    'created_at', 'updated_at']) as c;
select col_type_is('storage', 'buckets', 'file_size_limit', 'bigint', 'file_size_limit is in bytes');
select col_type_is('storage', 'buckets', 'allowed_mime_types', 'text[]', 'allowed_mime_types is a list');
select col_type_is('storage', 'objects', 'owner', 'uuid', 'objects.owner is a user id');

-- RLS on, no policy, privileges to the API roles (RLS decides) -----------------------------------------
select ok(relrowsecurity, 'RLS is enabled on storage.' || relname)
  from pg_class where oid in ('storage.buckets'::regclass, 'storage.objects'::regclass);
select ok(has_table_privilege(r, 'storage.objects', 'select,insert,update,delete'),
  r || ' has every privilege on storage.objects')
  from unnest(array['anon', 'authenticated', 'service_role']) as r;

-- the name helpers ------------------------------------------------------------------------------------
select is(storage.foldername('12/7/evidence.pdf'), array['12', '7'], 'foldername: the folders of a name');
select is(storage.filename('12/7/evidence.pdf'), 'evidence.pdf', 'filename: its last part');
select is(storage.extension('12/7/evidence.tar.gz'), 'gz', 'extension: after the last dot');

-- objects: path tokens, one name per bucket --------------------------------------------------------------
insert into storage.buckets (id, name) values ('bootstrap-probe', 'bootstrap-probe');
insert into storage.objects (bucket_id, name) values ('bootstrap-probe', 'a/b/c.txt');
select is((select path_tokens from storage.objects where bucket_id = 'bootstrap-probe'), array['a', 'b', 'c.txt'],
  'path_tokens are generated from the name');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('bootstrap-probe', 'a/b/c.txt')$$,
  '23505', null, 'a name is unique within its bucket');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('no-such-bucket', 'x')$$,
  '23503', null, 'an object belongs to an existing bucket');

-- acting as the API roles, RLS without a policy ------------------------------------------------------------
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"6f1c1a4e-0000-4000-8000-000000000001","role":"authenticated"}', true);
select is((select count(*)::int from storage.objects), 0, 'a signed-in user sees no object without a policy');
select is((select count(*)::int from storage.buckets), 0, 'nor any bucket');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('bootstrap-probe', 'mine.txt')$$,
  '42501', null, 'nor uploads one');
reset role;
set local role service_role;
select is((select count(*)::int from storage.objects where bucket_id = 'bootstrap-probe'), 1,
  'service_role sees every object');
reset role;

-- migrations (as postgres) write policies on storage.objects ---------------------------------------------
create policy "Bootstrap probe readers can read the probe bucket" on storage.objects for select to authenticated
  using (bucket_id = 'bootstrap-probe' and (storage.foldername(name))[1] = 'a');
set local role authenticated;
select is((select count(*)::int from storage.objects), 1, 'a policy on storage.objects opens what it names');
reset role;

select * from finish();
rollback;
