-- Evidence files in Supabase Storage: the private `evidence` bucket (25 MiB, the evidence types), objects under
-- <cycle report id>/<request id>/<name>, and policies on storage.objects that follow the request's own access:
-- its readers (the cycle report's testers and owner, admins, the assignee once sent) download; only the assignee
-- uploads, while the request awaits a response, into that request's folder. Nobody overwrites, moves or removes
-- an object once a response names it, so what was handed over stays as it was (its SHA-256 is recorded with it).

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('evidence', 'evidence', false, 26214400, array[
  'text/csv', 'application/pdf', 'text/plain', 'application/json', 'image/png', 'image/jpeg',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])
on conflict (id) do update
  set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

create function private.evidence_object_request_id(p_name text)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_parts text[] := regexp_match(p_name, '^([0-9]{1,18})/([0-9]{1,18})/[A-Za-z0-9][A-Za-z0-9._-]{0,199}$');
begin
  if v_parts is null or p_name ~ '\.\.' then
    return null;
  end if;
  return (select r.id from public.requests r where r.id = v_parts[2]::bigint and r.cycle_report_id = v_parts[1]::bigint);
end;
$$;
comment on function private.evidence_object_request_id(text) is
  'The request an evidence object''s name belongs to: <cycle report id>/<request id>/<name of letters, digits, dots, dashes, underscores>, the request being of that cycle report; null for any other name.';
revoke all on function private.evidence_object_request_id(text) from public;

create function private.can_read_evidence_object(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.can_read_request(private.evidence_object_request_id(p_name)), false)
$$;
comment on function private.can_read_evidence_object(text) is
  'True when the caller may read the evidence object: they may read its request.';
revoke all on function private.can_read_evidence_object(text) from public;
grant execute on function private.can_read_evidence_object(text) to authenticated;

create function private.can_upload_evidence_object(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.requests r
     where r.id = private.evidence_object_request_id(p_name)
       and r.assignee_id = auth.uid() and r.status in ('sent', 'returned')
  )
$$;
comment on function private.can_upload_evidence_object(text) is
  'True when the caller may upload the evidence object: they are the assignee of its request, which awaits a response.';
revoke all on function private.can_upload_evidence_object(text) from public;
grant execute on function private.can_upload_evidence_object(text) to authenticated;

create function private.can_remove_evidence_object(p_name text, p_owner_id text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_owner_id = auth.uid()::text
     and private.can_upload_evidence_object(p_name)
     and not exists (select 1 from public.request_files f where f.bucket_id = 'evidence' and f.object_path = p_name)
$$;
comment on function private.can_remove_evidence_object(text, text) is
  'True when the caller may remove the evidence object: they uploaded it, its request still awaits a response, and no response names it yet (an upload abandoned before it was attached).';
revoke all on function private.can_remove_evidence_object(text, text) from public;
grant execute on function private.can_remove_evidence_object(text, text) to authenticated;

create policy "Readers of a request can download its evidence" on storage.objects
  for select to authenticated
  using (bucket_id = 'evidence' and private.can_read_evidence_object(name));
create policy "Assignees can upload evidence to the requests awaiting their response" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'evidence' and private.can_upload_evidence_object(name));
create policy "Assignees can remove evidence they uploaded and did not attach" on storage.objects
  for delete to authenticated
  using (bucket_id = 'evidence' and private.can_remove_evidence_object(name, owner_id));

-- A file record names an object that was uploaded, by its author, with the recorded size and type.
create function private.verify_evidence_object()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_object record;
begin
  select o.owner_id, o.metadata into v_object
    from storage.objects o where o.bucket_id = new.bucket_id and o.name = new.object_path;
  if not found then
    raise exception using errcode = 'PT400', detail = 'file_not_uploaded',
      message = 'Upload the file to the evidence bucket before attaching it to a response.';
  end if;
  if v_object.owner_id is distinct from auth.uid()::text then
    raise exception using errcode = 'PT403', detail = 'file_uploaded_by_someone_else',
      message = 'A response attaches only files its author uploaded.';
  end if;
  if v_object.metadata ? 'size' and (v_object.metadata ->> 'size')::bigint <> new.size_bytes
     or v_object.metadata ? 'mimetype' and v_object.metadata ->> 'mimetype' <> new.content_type then
    raise exception using errcode = 'PT400', detail = 'file_record_mismatch',
      message = 'The recorded size and type must be those of the uploaded object.';
  end if;
  return new;
end;
$$;
comment on function private.verify_evidence_object() is
  'Trigger (after guard_request_file): a file record names an object of the evidence bucket that its author uploaded, with the object''s size and type. Errors: PT400 file_not_uploaded, file_record_mismatch; PT403 file_uploaded_by_someone_else.';
revoke all on function private.verify_evidence_object() from public;

create trigger verify_evidence_object before insert on public.request_files
  for each row execute function private.verify_evidence_object();
