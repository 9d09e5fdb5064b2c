-- Data providers are people outside the testing team: they answer the requests assigned to them and see nothing
-- else. Until now any signed-in user read the testing methodology: the activities of each phase, the rules that
-- auto-approve planning mappings and the scoping policy. Those are now read by the testing team only (admins,
-- testers, report owners). Phase definitions and the observation lifecycle stay readable by everyone signed in: a
-- provider's requests name their phase, and a remediation owner's observation page offers the moves the
-- lifecycle allows.

create function private.is_testing_team()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.current_app_role() in ('admin', 'tester', 'report_owner'), false)
$$;
comment on function private.is_testing_team() is
  'True when the signed-in user is an admin, a tester or a report owner: the people who may read the testing methodology (activities, auto-approval rules, the scoping policy). Data providers and users without a profile are not.';
revoke all on function private.is_testing_team() from public;
grant execute on function private.is_testing_team() to authenticated;

drop policy "Signed-in users can read the activity definitions" on public.activity_definitions;
create policy "The testing team can read the activity definitions" on public.activity_definitions
  for select to authenticated using ((select private.is_testing_team()));

drop policy "Signed-in users can read the auto-approval rules" on public.planning_auto_approval_rules;
create policy "The testing team can read the auto-approval rules" on public.planning_auto_approval_rules
  for select to authenticated using ((select private.is_testing_team()));

drop policy "Signed-in users can read the scoping policy" on public.scoping_policy;
create policy "The testing team can read the scoping policy" on public.scoping_policy
  for select to authenticated using ((select private.is_testing_team()));
