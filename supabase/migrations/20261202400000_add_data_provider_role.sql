-- Data providers: the owners of the data and evidence that testers ask for (issue 14). A new value of app_role
-- on its own, since a new enum value is usable only once the migration that adds it has committed.

alter type public.app_role add value if not exists 'data_provider';

comment on type public.app_role is
  'Application role: admin (everything), tester (works on assigned cycle reports), report_owner (reviews and approves the work on their reports), data_provider (answers the data requests and requests for information assigned to them, and sees nothing else).';
comment on column public.profiles.app_role is
  'admin | tester | report_owner | data_provider. New users are testers; only admins (or a database operator) change roles.';
