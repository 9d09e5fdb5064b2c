-- Moving an observation through its lifecycle, and drafting observations from failed tests and anomalies.

create function public.move_observation(p_observation_id uuid, p_to_status text, p_comment text)
returns public.observations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.observations;
  v_actor text;
  v_transition public.observation_transitions;
  v_marker text := pg_catalog.current_setting('regtest.recording_observation_move', true);
begin
  select * into v_row from public.observations o
   where o.id = p_observation_id
     and (private.is_privileged() or o.cycle_report_id in (select private.readable_cycle_report_ids())
          or o.remediation_owner_id = auth.uid())
   for update;
  if v_row.id is null then
    raise exception using errcode = 'PT404', detail = 'observation_not_found',
      message = 'The observation does not exist or you cannot see it.';
  end if;
  perform private.refuse_change_of_completed_cycle_report(v_row.cycle_report_id);
  if coalesce(btrim(p_comment), '') = '' then
    raise exception using errcode = 'PT400', detail = 'comment_required',
      message = 'Every move of an observation needs a comment.';
  end if;
  if char_length(p_comment) > 4000 then
    raise exception using errcode = 'PT400', detail = 'comment_too_long',
      message = 'A comment is at most 4000 characters.';
  end if;
  if not exists (select 1 from public.observation_transitions t
                  where t.from_status = v_row.status and t.to_status = p_to_status) then
    raise exception using errcode = 'PT409', detail = 'observation_move_not_allowed',
      message = format('An observation cannot move from %s to %s.', v_row.status, coalesce(p_to_status, 'nothing'));
  end if;

  -- The first role the caller holds that may make this move.
  select t.* into v_transition from public.observation_transitions t
   where t.from_status = v_row.status and t.to_status = p_to_status
     and case t.actor
           when 'tester' then private.can_work_on_cycle_report(v_row.cycle_report_id)
           when 'report_owner' then private.is_report_owner_of(v_row.cycle_report_id)
           when 'remediation_owner' then v_row.remediation_owner_id is not null and v_row.remediation_owner_id = auth.uid()
         end
   order by case t.actor when 'remediation_owner' then 1 when 'report_owner' then 2 else 3 end
   limit 1;
  if v_transition.actor is null then
    raise exception using errcode = 'PT403', detail = 'observation_move_not_yours',
      message = format('Moving an observation from %s to %s is for the %s.', v_row.status, p_to_status,
        (select string_agg(replace(t.actor, '_', ' '), ' or ' order by t.actor) from public.observation_transitions t
          where t.from_status = v_row.status and t.to_status = p_to_status));
  end if;
  if v_transition.requires is not null
     and coalesce(btrim(to_jsonb(v_row) ->> v_transition.requires), '') = '' then
    raise exception using errcode = 'PT409', detail = v_transition.requires || '_required',
      message = format('Write the %s before this move.', replace(v_transition.requires, '_', ' '));
  end if;

  perform pg_catalog.set_config('regtest.recording_observation_move', v_row.id::text, true);
  insert into public.observation_history (observation_id, from_status, to_status, actor, comment, moved_by)
  values (v_row.id, v_row.status, p_to_status, v_transition.actor, btrim(p_comment), auth.uid());
  perform pg_catalog.set_config('regtest.recording_observation_move', coalesce(v_marker, ''), true);

  select * into v_row from public.observations o where o.id = p_observation_id;
  return v_row;
end;
$$;
comment on function public.move_observation(uuid, text, text) is
  'Moves an observation to p_to_status with a comment, when observation_transitions lets one of the caller''s roles (tester, report_owner, remediation_owner) make that move and the field the move needs is filled in; the move is a row of observation_history, from which observations.status derives. Errors: PT404 observation_not_found, PT400 comment_required | comment_too_long, PT409 observation_move_not_allowed | owner_response_required | remediation_plan_required | validation_evidence_required | cycle_report_completed, PT403 observation_move_not_yours.';
revoke execute on function public.move_observation(uuid, text, text) from public, anon;
grant execute on function public.move_observation(uuid, text, text) to authenticated;

create function public.propose_observations(p_cycle_report_id bigint)
returns setof public.observations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_marker text := pg_catalog.current_setting('regtest.proposing_observations', true);
  v_version uuid;
  v_group record;
  v_id uuid;
begin
  if not private.can_work_on_cycle_report(p_cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'observation_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can propose observations.';
  end if;
  -- The test-execution version whose results count: the approved one, else the latest.
  select v.id into v_version from public.artifact_versions v
   where v.cycle_report_id = p_cycle_report_id and v.phase_name = 'test_execution'
   order by (v.version_status = 'approved') desc, v.version_number desc limit 1;

  perform pg_catalog.set_config('regtest.proposing_observations', 'on', true);
  -- One draft per attribute for its failed cases that no observation cites yet.
  for v_group in
    select t.attribute_id, t.attribute_name, array_agg(t.id order by t.sample_key) as case_ids,
           string_agg(t.sample_key || ': ' || coalesce(t.exception_description, ''), '; ' order by t.sample_key) as exceptions
      from public.test_cases t
     where t.version_id = v_version and t.result = 'fail'
       and not exists (select 1 from public.observation_evidence e where e.test_case_id = t.id)
     group by t.attribute_id, t.attribute_name
     order by t.attribute_name
  loop
    insert into public.observations (cycle_report_id, title, condition, category, impacted_attribute_ids, proposed_from)
    values (p_cycle_report_id, format('%s: %s failed test%s', v_group.attribute_name, cardinality(v_group.case_ids),
              case when cardinality(v_group.case_ids) = 1 then '' else 's' end),
            left('Samples ' || v_group.exceptions, 8000), 'accuracy', array[v_group.attribute_id], 'failed_tests')
    returning id into v_id;
    insert into public.observation_evidence (observation_id, test_case_id) select v_id, unnest(v_group.case_ids);
    return query select * from public.observations o where o.id = v_id;
  end loop;
  -- One draft per marked anomaly that no observation cites yet.
  for v_group in
    select r.id, ru.name, ru.attribute_id, r.anomaly_note, r.failed_count, r.pass_rate
      from public.profiling_rule_results r join public.profiling_rules ru on ru.id = r.rule_id
     where r.cycle_report_id = p_cycle_report_id and r.is_anomaly
       and not exists (select 1 from public.observation_evidence e where e.rule_result_id = r.id)
     order by r.id
  loop
    insert into public.observations (cycle_report_id, title, condition, category, impacted_attribute_ids, proposed_from)
    values (p_cycle_report_id, left('Anomaly: ' || v_group.name, 300),
            left(format('%s rows failed (pass rate %s%%). %s', v_group.failed_count, v_group.pass_rate, coalesce(v_group.anomaly_note, '')), 8000),
            'validity', array[v_group.attribute_id], 'anomaly')
    returning id into v_id;
    insert into public.observation_evidence (observation_id, rule_result_id) values (v_id, v_group.id);
    return query select * from public.observations o where o.id = v_id;
  end loop;
  perform pg_catalog.set_config('regtest.proposing_observations', coalesce(v_marker, ''), true);
end;
$$;
comment on function public.propose_observations(bigint) is
  'Drafts observations from the evidence no observation cites yet: one per attribute for its failed test cases of the cycle report''s test-execution version (the approved one, else the latest), and one per marked anomaly (profiling_rule_results.is_anomaly), each linked to its evidence and marked proposed_from. Returns the drafts made. Errors: PT403 observation_requires_tester, PT409 observation_phase_not_in_progress | cycle_report_completed.';
revoke execute on function public.propose_observations(bigint) from public, anon;
grant execute on function public.propose_observations(bigint) to authenticated;
