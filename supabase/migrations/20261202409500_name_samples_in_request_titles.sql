-- One request per item of a request for information is titled with the attribute and the sample's key
-- ("Evidence: Amount · L0042"), so the provider's list tells them apart. Restates create_requests (from
-- 20261202405000) with that title; nothing else changes.

create or replace function public.create_requests(
  p_phase_id bigint,
  p_items jsonb,
  p_assignee_id uuid default null,
  p_due_date date default null,
  p_title text default null,
  p_instructions text default null,
  p_one_request_per_item boolean default false
)
returns setof public.requests
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_item jsonb;
  v_request public.requests;
  v_attribute_id uuid;
  v_sample_id uuid;
  v_name text;
begin
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) = 0 then
    raise exception using errcode = 'PT400', detail = 'no_items_chosen',
      message = 'Choose at least one item to request.';
  end if;
  for v_item in select value from jsonb_array_elements(p_items) loop
    if jsonb_typeof(v_item) <> 'object' then
      raise exception using errcode = 'PT400', detail = 'invalid_item_id',
        message = 'Items are given as {"attribute_id": uuid, "sample_id": uuid or null}.';
    end if;
    begin
      v_attribute_id := (v_item ->> 'attribute_id')::uuid;
      v_sample_id := (v_item ->> 'sample_id')::uuid;
    exception when invalid_text_representation then
      raise exception using errcode = 'PT400', detail = 'invalid_item_id',
        message = 'Items are given as {"attribute_id": uuid, "sample_id": uuid or null}.';
    end;
    if v_attribute_id is null then
      raise exception using errcode = 'PT400', detail = 'invalid_item_id',
        message = 'Items are given as {"attribute_id": uuid, "sample_id": uuid or null}.';
    end if;
    if v_request.id is null or p_one_request_per_item then
      if p_one_request_per_item then
        -- Read as the caller: a name they cannot read is left out (the item guard refuses the item anyway).
        select a.name into v_name from public.planning_attributes a where a.id = v_attribute_id;
        if v_sample_id is not null then
          execute 'select $1 || '' · '' || s.sample_key from public.sample_decisions s where s.id = $2'
            into v_name using v_name, v_sample_id;
        end if;
      end if;
      insert into public.requests (phase_id, title, instructions, assignee_id, due_date)
      values (p_phase_id,
              left(coalesce(nullif(btrim(p_title), '') || case when p_one_request_per_item and v_name is not null then ': ' || v_name else '' end,
                            v_name, 'Request'), 200),
              p_instructions, p_assignee_id, p_due_date)
      returning * into v_request;
      return next v_request;
    end if;
    insert into public.request_items (request_id, attribute_id, sample_id) values (v_request.id, v_attribute_id, v_sample_id);
  end loop;
  return;
end;
$$;
comment on function public.create_requests(bigint, jsonb, uuid, date, text, text, boolean) is
  'Creates draft requests for a selection of items in one call: one request naming every item, or one request per item (titled with the attribute''s name, and the sample''s key for a request for information). p_items: [{"attribute_id": uuid, "sample_id": uuid | null}]. Runs as the caller, so the requests'' and items'' rules apply; one refusal creates nothing. Errors: PT400 no_items_chosen, invalid_item_id; and those of the requests and request_items guards.';
