-- What a request asks for: an in-scope attribute (data request) or a sample x attribute (request for
-- information). An item keeps a copy of what it names, so the assignee reads the attribute's name and definition
-- (and the sample's identifying fields) here, never the planning or sampling tables themselves.

create function private.request_attribute_in_scope(p_cycle_report_id bigint, p_attribute_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  -- An approved attribute of the cycle report's approved planning version (every attribute counts as in scope
  -- until the scoping decisions say otherwise).
  select exists (
    select 1 from public.planning_attributes a
      join public.artifact_versions v on v.id = a.version_id
      join public.workflow_phases p on p.id = v.phase_id
     where a.id = p_attribute_id and p.cycle_report_id = p_cycle_report_id and p.phase_name = 'planning'
       and v.version_status = 'approved' and a.item_status = 'approved'
  )
$$;
comment on function private.request_attribute_in_scope(bigint, uuid) is
  'True when a request of the cycle report may name the attribute: it is in scope for the cycle report.';
revoke all on function private.request_attribute_in_scope(bigint, uuid) from public;

create table public.request_items (
  id bigint generated always as identity primary key,
  request_id bigint not null references public.requests (id) on delete cascade,
  cycle_report_id bigint not null references public.cycle_reports (id),
  attribute_id uuid not null references public.planning_attributes (id),
  sample_id uuid,
  attribute_name text not null,
  attribute_definition text,
  sample_label text,
  sample_fields jsonb,
  created_at timestamptz not null default now(),
  constraint request_items_unique_item unique nulls not distinct (request_id, attribute_id, sample_id)
);
create index request_items_request_id_idx on public.request_items (request_id);
create index request_items_attribute_id_idx on public.request_items (attribute_id);
comment on table public.request_items is
  'What a request asks for: an in-scope attribute (phases whose request_item_kind is attribute) or a sample x attribute (sample_attribute). Added and removed while the request is a draft; the attribute''s name and definition, and the sample''s identifying fields, are copied in when the item is added.';
comment on column public.request_items.cycle_report_id is 'The request''s cycle report, set by the database.';
comment on column public.request_items.attribute_name is 'The attribute''s name when the item was added (set by the database).';
comment on column public.request_items.attribute_definition is 'The attribute''s business definition (or description) when the item was added (set by the database).';
comment on column public.request_items.sample_label is 'How the sample is named to the data provider (set by the database).';
comment on column public.request_items.sample_fields is 'The sample''s identifying fields, and nothing else of it (set by the database).';

create function private.guard_request_item()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request record;
  v_attribute record;
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
  select a.name, coalesce(a.business_definition, a.description) as definition into v_attribute
    from public.planning_attributes a where a.id = new.attribute_id;
  new.attribute_name := v_attribute.name;
  new.attribute_definition := v_attribute.definition;
  new.sample_label := null;
  new.sample_fields := null;
  return new;
end;
$$;
comment on function private.guard_request_item() is
  'Trigger: items are added and removed by the cycle report''s tester while the request is a draft, name an in-scope attribute (and a sample where the phase asks for one), and copy in what they name; they never change.';
revoke all on function private.guard_request_item() from public;

create trigger guard_request_item before insert or update or delete on public.request_items
  for each row execute function private.guard_request_item();
create trigger refuse_truncate before truncate on public.request_items
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.request_items', '{}');

alter table public.request_items enable row level security;
create policy "Readers of a request can read its items" on public.request_items
  for select to authenticated
  using (request_id in (select private.readable_request_ids()));
create policy "Testers can add items to the requests of their cycle reports" on public.request_items
  for insert to authenticated
  with check (cycle_report_id in (select private.workable_cycle_report_ids()));
create policy "Testers can remove items from the requests of their cycle reports" on public.request_items
  for delete to authenticated
  using (cycle_report_id in (select private.workable_cycle_report_ids()));

revoke all on public.request_items from anon, authenticated;
grant select, delete on public.request_items to authenticated;
grant insert (request_id, attribute_id, sample_id) on public.request_items to authenticated;
grant all on public.request_items to service_role;
