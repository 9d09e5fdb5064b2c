-- A test case's evidence as real links (decision 031): a file of a request-for-information response for the same
-- sample and attribute (request_files), a file uploaded on the test case into the evidence bucket, or a reference
-- to a document kept elsewhere. test_cases.evidence becomes the database's summary of these links, kept in step
-- by the links' triggers; adding or removing a link is a change to the case, so it stamps the preparer and voids a
-- review as any other change does. The links of a case go along when create_version copies it.

create table public.test_case_evidence (
  id uuid primary key default extensions.gen_random_uuid(),
  test_case_id uuid not null references public.test_cases (id) on delete cascade,
  version_id uuid not null,
  cycle_report_id bigint not null references public.cycle_reports (id),
  kind text not null check (kind in ('rfi_file', 'upload', 'reference')),
  request_file_id uuid references public.request_files (id),
  bucket_id text check (bucket_id = 'evidence'),
  object_path text,
  file_name text not null check (char_length(file_name) between 1 and 255),
  content_type text,
  size_bytes bigint,
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  location text check (char_length(btrim(location)) between 1 and 2000),
  linked_by uuid references public.profiles (id) on delete set null,
  linked_at timestamptz not null default now(),
  carried_from_id uuid references public.test_case_evidence (id),
  constraint test_case_evidence_kind_shape check (case kind
    when 'rfi_file' then request_file_id is not null and object_path is null and location is null
    when 'upload' then request_file_id is null and object_path is not null and sha256 is not null and location is null
    else request_file_id is null and object_path is null and location is not null end),
  constraint test_case_evidence_unique_file unique nulls distinct (test_case_id, request_file_id),
  constraint test_case_evidence_unique_object unique nulls distinct (test_case_id, object_path)
);
create index test_case_evidence_test_case_id_idx on public.test_case_evidence (test_case_id);
create index test_case_evidence_version_id_idx on public.test_case_evidence (version_id);
create index test_case_evidence_request_file_id_idx on public.test_case_evidence (request_file_id);
create index test_case_evidence_cycle_report_id_idx on public.test_case_evidence (cycle_report_id);
create index test_case_evidence_linked_by_idx on public.test_case_evidence (linked_by);
create index test_case_evidence_carried_from_id_idx on public.test_case_evidence (carried_from_id);
comment on table public.test_case_evidence is
  'The evidence of a test case: a file of a request-for-information response for the case''s sample and attribute (kind rfi_file, request_file_id), a file uploaded on the case into the evidence bucket under <cycle report id>/cases/<test case id>/<name> (upload), or a reference to a document kept elsewhere (reference, location). Added and removed by the cycle report''s testers while the version is a draft; never changed. test_cases.evidence summarises them.';
comment on column public.test_case_evidence.version_id is 'The test case''s version, set by the database.';
comment on column public.test_case_evidence.cycle_report_id is 'The test case''s cycle report, set by the database.';
comment on column public.test_case_evidence.request_file_id is 'kind rfi_file: the file of a response to a request for information of the same cycle report that asks for the case''s sample and attribute, readable by whoever links it.';
comment on column public.test_case_evidence.object_path is 'kind upload: the object in the evidence bucket, <cycle report id>/cases/<test case id>/<name>, uploaded by whoever links it.';
comment on column public.test_case_evidence.file_name is 'The file''s name (for rfi_file copied from the response''s file) or the reference''s title.';
comment on column public.test_case_evidence.sha256 is 'Hex SHA-256 of the file''s bytes (for rfi_file the response''s); a download is checked against it.';
comment on column public.test_case_evidence.location is 'kind reference: where the document is kept (an address or a document system''s key).';
comment on column public.test_case_evidence.carried_from_id is 'The link of the parent version''s case this one was carried from when create_version copied the case; null for a link made in this version.';

-- What came before as free JSON becomes references, so nothing a tester typed is lost (before the guard exists).
insert into public.test_case_evidence (test_case_id, version_id, cycle_report_id, kind, file_name, location, linked_by, linked_at)
select t.id, t.version_id, v.cycle_report_id, 'reference',
       left(coalesce(nullif(btrim(e ->> 'name'), ''), nullif(btrim(e ->> 'url'), ''), nullif(btrim(e ->> 'path'), ''), 'evidence'), 255),
       left(coalesce(nullif(btrim(e ->> 'url'), ''), nullif(btrim(e ->> 'path'), ''), nullif(btrim(e ->> 'name'), ''), 'evidence'), 2000),
       t.prepared_by, coalesce(t.prepared_at, t.created_at)
  from public.test_cases t
  join public.artifact_versions v on v.id = t.version_id
 cross join lateral jsonb_array_elements(t.evidence) e
 where jsonb_typeof(e) = 'object';

-- Uploads on a test case: their objects' names ----------------------------------------------------------------
create function private.evidence_object_test_case_id(p_name text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(p_name,
    '^([0-9]{1,18})/cases/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/[A-Za-z0-9][A-Za-z0-9._-]{0,199}$');
begin
  if v_parts is null or p_name ~ '\.\.' then
    return null;
  end if;
  return (select t.id from public.test_cases t join public.artifact_versions v on v.id = t.version_id
           where t.id = v_parts[2]::uuid and v.cycle_report_id = v_parts[1]::bigint);
end;
$$;
comment on function private.evidence_object_test_case_id(text) is
  'The test case an evidence object uploaded on a test case belongs to: <cycle report id>/cases/<test case id>/<name of letters, digits, dots, dashes, underscores>, the case being of that cycle report; null for any other name.';
revoke execute on function private.evidence_object_test_case_id(text) from public;

create function private.can_upload_test_case_object(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.test_cases t join public.artifact_versions v on v.id = t.version_id
     where t.id = private.evidence_object_test_case_id(p_name)
       and v.version_status = 'draft' and private.can_work_on_cycle_report(v.cycle_report_id)
  )
$$;
comment on function private.can_upload_test_case_object(text) is
  'True when the caller may upload the evidence object of a test case: an assigned tester (or admin) of its cycle report while its version is a draft.';
revoke execute on function private.can_upload_test_case_object(text) from public;
grant execute on function private.can_upload_test_case_object(text) to authenticated;

create function private.can_read_test_case_object(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select private.can_read_cycle_report(v.cycle_report_id)
      from public.test_cases t join public.artifact_versions v on v.id = t.version_id
     where t.id = private.evidence_object_test_case_id(p_name)), false)
$$;
comment on function private.can_read_test_case_object(text) is
  'True when the caller may download the evidence object of a test case: they may read its cycle report.';
revoke execute on function private.can_read_test_case_object(text) from public;
grant execute on function private.can_read_test_case_object(text) to authenticated;

create function private.can_remove_test_case_object(p_name text, p_owner_id text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_owner_id = auth.uid()::text
     and private.can_upload_test_case_object(p_name)
     and not exists (select 1 from public.test_case_evidence e where e.bucket_id = 'evidence' and e.object_path = p_name)
$$;
comment on function private.can_remove_test_case_object(text, text) is
  'True when the caller may remove the evidence object of a test case: they uploaded it, the version is still a draft, and no link names it (an upload abandoned before it was linked).';
revoke execute on function private.can_remove_test_case_object(text, text) from public;
grant execute on function private.can_remove_test_case_object(text, text) to authenticated;

create policy "Readers of a cycle report can download its test cases' evidence" on storage.objects
  for select to authenticated
  using (bucket_id = 'evidence' and private.can_read_test_case_object(name));
create policy "Testers can upload evidence to the test cases of their drafts" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'evidence' and private.can_upload_test_case_object(name));
create policy "Testers can remove case evidence they uploaded and did not link" on storage.objects
  for delete to authenticated
  using (bucket_id = 'evidence' and private.can_remove_test_case_object(name, owner_id));

-- The links' rules ---------------------------------------------------------------------------------------------
create function private.guard_test_case_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_case public.test_cases;
  v_version public.artifact_versions;
  v_file record;
  v_object record;
  v_error text;
begin
  if tg_op = 'UPDATE' then
    raise exception using errcode = 'PT409', detail = 'evidence_link_immutable',
      message = 'An evidence link is not changed; remove it and link the right file.';
  end if;
  select * into v_case from public.test_cases t where t.id = case when tg_op = 'DELETE' then old.test_case_id else new.test_case_id end;
  select * into v_version from public.artifact_versions v where v.id = v_case.version_id;
  if tg_op = 'DELETE' and v_version.id is null then
    return old; -- the case or its draft version is being removed
  end if;
  if v_version.id is null or not private.can_read_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT404', detail = 'test_case_not_found',
      message = 'The test case does not exist or is not visible to you.';
  end if;

  if tg_op = 'INSERT' and new.carried_from_id is not null and private.is_copying_version(v_version.id) then
    -- create_version's copy of the case brings its links along, as they were.
    new.version_id := v_version.id;
    new.cycle_report_id := v_version.cycle_report_id;
    return new;
  end if;

  if v_version.version_status <> 'draft' then
    raise exception using errcode = 'PT409', detail = 'version_not_draft',
      message = format('Evidence is linked and removed only while the version is a draft; this version is %s.', v_version.version_status);
  end if;
  if not private.can_work_on_cycle_report(v_version.cycle_report_id) then
    raise exception using errcode = 'PT403', detail = 'item_edit_requires_tester',
      message = 'Only a tester assigned to this cycle report (or an admin) links evidence to its test cases.';
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;

  new.version_id := v_version.id;
  new.cycle_report_id := v_version.cycle_report_id;
  new.linked_by := auth.uid();
  new.linked_at := now();
  new.carried_from_id := null;

  if new.kind = 'rfi_file' then
    select f.*, r.phase_name, s.item_id as response_item_id into v_file
      from public.request_files f
      join public.requests r on r.id = f.request_id
      join public.request_responses s on s.id = f.response_id
     where f.id = new.request_file_id;
    if v_file.id is null or not private.can_read_request(v_file.request_id) then
      raise exception using errcode = 'PT404', detail = 'evidence_file_not_found',
        message = 'The response file does not exist or is not visible to you.';
    end if;
    if v_file.cycle_report_id <> v_version.cycle_report_id then
      raise exception using errcode = 'PT400', detail = 'evidence_not_of_this_report',
        message = 'Evidence comes from the requests of the test case''s own cycle report.';
    end if;
    if v_file.phase_name <> 'request_info' then
      raise exception using errcode = 'PT400', detail = 'evidence_not_from_rfi',
        message = 'A test case''s evidence is a file of a request for information, not of the data request.';
    end if;
    if not exists (select 1 from public.request_items i
                    where i.request_id = v_file.request_id
                      and i.attribute_id = v_case.attribute_id and i.sample_id = v_case.sample_decision_id
                      and (v_file.response_item_id is null or i.id = v_file.response_item_id)) then
      raise exception using errcode = 'PT400', detail = 'evidence_not_for_this_test',
        message = 'The file answers a request for another sample or attribute than this test case''s.';
    end if;
    new.file_name := v_file.file_name;
    new.content_type := v_file.content_type;
    new.size_bytes := v_file.size_bytes;
    new.sha256 := v_file.sha256;
    new.bucket_id := null;
  elsif new.kind = 'upload' then
    new.bucket_id := 'evidence';
    if private.evidence_object_test_case_id(new.object_path) is distinct from v_case.id then
      raise exception using errcode = 'PT400', detail = 'evidence_path_invalid',
        message = format('Upload the file under %s/cases/%s/ in the evidence bucket.', v_version.cycle_report_id, v_case.id);
    end if;
    select o.owner_id, o.metadata into v_object
      from storage.objects o where o.bucket_id = 'evidence' and o.name = new.object_path;
    if not found then
      raise exception using errcode = 'PT400', detail = 'file_not_uploaded',
        message = 'Upload the file to the evidence bucket before linking it.';
    end if;
    if v_object.owner_id is distinct from auth.uid()::text then
      raise exception using errcode = 'PT403', detail = 'file_uploaded_by_someone_else',
        message = 'A tester links the files they uploaded.';
    end if;
    v_error := private.evidence_file_error(new.size_bytes, new.content_type);
    if v_error is not null then
      raise exception using errcode = 'PT400', detail = v_error,
        message = 'Evidence files are CSV, PDF, text, JSON, images (PNG, JPEG), Excel or Word, at most 25 MiB.';
    end if;
    if v_object.metadata ? 'size' and (v_object.metadata ->> 'size')::bigint <> new.size_bytes
       or v_object.metadata ? 'mimetype' and v_object.metadata ->> 'mimetype' <> new.content_type then
      raise exception using errcode = 'PT400', detail = 'file_record_mismatch',
        message = 'The recorded size and type must be those of the uploaded object.';
    end if;
  else
    new.bucket_id := null; new.content_type := null; new.size_bytes := null; new.sha256 := null;
  end if;
  return new;
end;
$$;
comment on function private.guard_test_case_evidence() is
  'Trigger on test_case_evidence: links are added and removed by an assigned tester or an admin while the case''s version is a draft (PT409 version_not_draft, PT403 item_edit_requires_tester), never changed (PT409 evidence_link_immutable); the case must be visible (PT404 test_case_not_found). An RFI file must be readable by the caller (PT404 evidence_file_not_found), of the same cycle report (PT400 evidence_not_of_this_report), of a request for information (PT400 evidence_not_from_rfi), answering a request that asks for the case''s sample and attribute (PT400 evidence_not_for_this_test); its name, type, size and checksum are copied. An upload is an object under <cycle report id>/cases/<test case id>/ (PT400 evidence_path_invalid) that the caller uploaded (PT400 file_not_uploaded, PT403 file_uploaded_by_someone_else) with the recorded size and type (PT400 file_record_mismatch, file_too_large, file_type_not_allowed). create_version''s copy brings a case''s links along (carried_from_id).';
revoke execute on function private.guard_test_case_evidence() from public;

create trigger guard_test_case_evidence before insert or update or delete on public.test_case_evidence
  for each row execute function private.guard_test_case_evidence();
create trigger refuse_truncate before truncate on public.test_case_evidence
  for each statement execute function private.refuse_truncate();
select private.attach_audit('public.test_case_evidence', '{}');

-- test_cases.evidence: the database's summary of the links ------------------------------------------------------
create function private.evidence_summary(p_test_case_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
           'name', e.file_name, 'kind', e.kind,
           'source', case e.kind when 'rfi_file' then 'rfi' when 'upload' then 'upload' else 'other' end,
           'request_file_id', e.request_file_id, 'path', e.object_path, 'url', e.location, 'sha256', e.sha256))
         order by e.linked_at, e.file_name, e.request_file_id, e.object_path, e.location), '[]')
    from public.test_case_evidence e where e.test_case_id = p_test_case_id
$$;
comment on function private.evidence_summary(uuid) is
  'A test case''s evidence links as test_cases.evidence shows them: [{name, kind, source (rfi | upload | other), request_file_id | path | url, sha256}], in the order they were linked.';
revoke execute on function private.evidence_summary(uuid) from public;

create function private.summarise_test_case_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_case_id uuid := case when tg_op = 'DELETE' then old.test_case_id else new.test_case_id end;
  v_marker text := pg_catalog.current_setting('regtest.summarising_evidence_case_id', true);
begin
  if tg_op = 'INSERT' and new.carried_from_id is not null then
    return null; -- a copied case keeps the summary it was copied with
  end if;
  -- As the caller: the case's own guards see a change of its content (preparer stamped, review voided).
  perform pg_catalog.set_config('regtest.summarising_evidence_case_id', v_case_id::text, true);
  update public.test_cases t set evidence = private.evidence_summary(v_case_id)
   where t.id = v_case_id and t.evidence is distinct from private.evidence_summary(v_case_id);
  perform pg_catalog.set_config('regtest.summarising_evidence_case_id', coalesce(v_marker, ''), true);
  return null;
end;
$$;
comment on function private.summarise_test_case_evidence() is
  'Trigger after a link is added or removed: rewrites the case''s test_cases.evidence from its links (private.evidence_summary) when it differs, which the case''s guards treat as a change by the caller (stamps the preparer, voids a review: "Changed after review: evidence"). The transaction-local marker regtest.summarising_evidence_case_id lets this write past keep_test_case_evidence_derived.';
revoke execute on function private.summarise_test_case_evidence() from public;

create trigger summarise_test_case_evidence after insert or delete on public.test_case_evidence
  for each row execute function private.summarise_test_case_evidence();

create function private.keep_test_case_evidence_derived()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.evidence is distinct from old.evidence
     and (pg_catalog.pg_trigger_depth() < 2
          or pg_catalog.current_setting('regtest.summarising_evidence_case_id', true) is distinct from new.id::text) then
    raise exception using errcode = 'PT409', detail = 'test_case_evidence_derived',
      message = 'A test case''s evidence is linked in test_case_evidence; test_cases.evidence summarises the links.';
  end if;
  return new;
end;
$$;
comment on function private.keep_test_case_evidence_derived() is
  'Trigger on test_cases update: evidence is written only by the links'' summary (PT409 test_case_evidence_derived), for the API and Studio alike.';
revoke execute on function private.keep_test_case_evidence_derived() from public;

create trigger keep_test_case_evidence_derived before update of evidence on public.test_cases
  for each row execute function private.keep_test_case_evidence_derived();

revoke update (evidence) on table public.test_cases from authenticated;
comment on column public.test_cases.evidence is
  'The case''s evidence links (public.test_case_evidence) as a summary kept by the database: [{name, kind, source (rfi | upload | other), request_file_id | path | url, sha256}]. Link and remove evidence in test_case_evidence; this column is not written directly (PT409 test_case_evidence_derived).';

-- A copied case brings its links --------------------------------------------------------------------------------
create function private.carry_test_case_evidence()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.test_case_evidence (test_case_id, version_id, cycle_report_id, kind, request_file_id, bucket_id,
    object_path, file_name, content_type, size_bytes, sha256, location, linked_by, linked_at, carried_from_id)
  select new.id, new.version_id, e.cycle_report_id, e.kind, e.request_file_id, e.bucket_id, e.object_path, e.file_name,
         e.content_type, e.size_bytes, e.sha256, e.location, e.linked_by, e.linked_at, e.id
    from public.test_case_evidence e where e.test_case_id = new.parent_item_id;
  return null;
end;
$$;
comment on function private.carry_test_case_evidence() is
  'Trigger after create_version''s copy inserts a test case: the parent case''s evidence links go along (carried_from_id), so the copy''s summary in test_cases.evidence stays what it was.';
revoke execute on function private.carry_test_case_evidence() from public;

create trigger carry_test_case_evidence after insert on public.test_cases
  for each row when (new.parent_item_id is not null) execute function private.carry_test_case_evidence();

-- Access ------------------------------------------------------------------------------------------------------
alter table public.test_case_evidence enable row level security;
create policy "Testers, owners and admins can read the evidence of test cases" on public.test_case_evidence
  for select to authenticated
  using (version_id in (select private.readable_version_ids()));
create policy "Assigned testers and admins can link evidence in drafts" on public.test_case_evidence
  for insert to authenticated
  with check (version_id in (select private.workable_version_ids()));
create policy "Assigned testers and admins can remove evidence in drafts" on public.test_case_evidence
  for delete to authenticated
  using (version_id in (select private.workable_version_ids()));

revoke all on public.test_case_evidence from anon, authenticated;
grant select, delete on public.test_case_evidence to authenticated;
grant insert (test_case_id, kind, request_file_id, object_path, file_name, content_type, size_bytes, sha256, location)
  on public.test_case_evidence to authenticated;
grant all on public.test_case_evidence to service_role;
