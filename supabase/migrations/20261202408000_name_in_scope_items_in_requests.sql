-- Request items follow the scoping decisions and the approved samples (issues 13 and 15 landed):
-- - an attribute may be requested when it is in scope for the cycle report (private.is_attribute_in_scope: the
--   approved scoping version's decisions, or every approved planning attribute when scoping was skipped);
-- - a request for information names an approved sample of the cycle report's approved sample-selection version,
--   and copies in only its identifying key. sample_id refers to public.sample_decisions by this check rather
--   than by a foreign key: that table is created by a later migration, and the samples of an approved version
--   are never deleted (items change only in drafts).

create or replace function private.request_attribute_in_scope(p_cycle_report_id bigint, p_attribute_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_attribute_in_scope(p_cycle_report_id, p_attribute_id)
$$;
comment on function private.request_attribute_in_scope(bigint, uuid) is
  'True when a request of the cycle report may name the attribute: it is in scope for the cycle report (private.is_attribute_in_scope).';

create function private.request_sample_key(p_cycle_report_id bigint, p_sample_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- plpgsql, so the body is resolved when called: public.sample_decisions is created by a later migration.
  return (select s.sample_key
            from public.sample_decisions s join public.artifact_versions v on v.id = s.version_id
           where s.id = p_sample_id and v.cycle_report_id = p_cycle_report_id and v.phase_name = 'sample_selection'
             and v.version_status = 'approved' and s.item_status = 'approved');
end;
$$;
comment on function private.request_sample_key(bigint, uuid) is
  'The key of an approved sample of the cycle report''s approved sample-selection version, or null when the sample is not one: what a request for information may name.';
revoke all on function private.request_sample_key(bigint, uuid) from public;

create or replace function private.guard_request_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request record;
  v_attribute record;
  v_sample_key text;
begin
  if tg_op = 'UPDATE' then
    raise exception using errcode = 'PT409', detail = 'request_item_immutable',
      message = 'A request item cannot change; remove it and add another while the request is a draft.';
  end if;
  select r.id, r.cycle_report_id, r.status, r.phase_name, d.request_item_kind into v_request
    from public.requests r join public.phase_definitions d on d.name = r.phase_name
   where r.id = case when tg_op = 'DELETE' then old.request_id else new.request_id end;
  if tg_op = 'DELETE' and not found then
    return old; -- the request itself is being deleted
  end if;
  if not found then
    raise exception using errcode = 'PT404', detail = 'request_not_found',
      message = 'The request does not exist or is not visible to you.';
  end if;
  if not private.can_work_on_cycle_report(v_request.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'request_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) can change its requests.';
  end if;
  if v_request.status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'request_not_draft',
      message = 'Items are added to and removed from a request while it is a draft.';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;

  new.cycle_report_id := v_request.cycle_report_id;
  new.created_at := now();
  if v_request.request_item_kind = 'attribute' and new.sample_id is not null then
    raise exception using errcode = 'PT400', detail = 'request_item_sample_not_allowed',
      message = format('The %s phase asks for attributes, not samples.', replace(v_request.phase_name, '_', ' '));
  end if;
  if v_request.request_item_kind = 'sample_attribute' and new.sample_id is null then
    raise exception using errcode = 'PT400', detail = 'request_item_sample_required',
      message = format('The %s phase asks for a sample and an attribute.', replace(v_request.phase_name, '_', ' '));
  end if;
  if not private.request_attribute_in_scope(v_request.cycle_report_id, new.attribute_id) then
    raise exception using errcode = 'PT409', detail = 'attribute_not_in_scope',
      message = 'A request names only attributes in scope for its cycle report.';
  end if;
  if new.sample_id is not null then
    v_sample_key := private.request_sample_key(v_request.cycle_report_id, new.sample_id);
    if v_sample_key is null then
      raise exception using errcode = 'PT409', detail = 'sample_not_approved',
        message = 'A request for information names an approved sample of the cycle report''s approved sample selection.';
    end if;
  end if;
  select a.name, coalesce(a.business_definition, a.description) as definition into v_attribute
    from public.planning_attributes a where a.id = new.attribute_id;
  new.attribute_name := v_attribute.name;
  new.attribute_definition := v_attribute.definition;
  new.sample_label := v_sample_key;
  new.sample_fields := case when v_sample_key is not null then jsonb_build_object('sample_key', v_sample_key) end;
  return new;
end;
$$;
comment on function private.guard_request_item() is
  'Trigger: items are added and removed by the cycle report''s tester while the request is a draft, name an in-scope attribute (and, where the phase asks for one, an approved sample of the approved sample selection), and copy in what they name (the attribute''s name and definition, the sample''s key only); they never change. Errors: PT403 request_edit_requires_tester; PT404 request_not_found; PT400 request_item_sample_not_allowed, request_item_sample_required; PT409 request_not_draft, attribute_not_in_scope, sample_not_approved, request_item_immutable.';
