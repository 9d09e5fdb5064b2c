-- verify_audit_log cross-checks the lifecycle states of the later phases (issue 10, item 13, for what was built
-- after it), and reads the caller's own audit rows of the transaction in their order.
--
-- Before: only artifact_versions.version_status was compared with the status its last audit row recorded. A
-- phase set back from completed, a request from accepted or an observation from closed, with the triggers off
-- (set local session_replication_role = replica), wrote no audit row, broke no link and verified. And the last
-- recorded status was taken by chain position, which the caller's own rows of the transaction do not have yet
-- (they are chained at commit): an operator verifying inside a transaction that had changed versions was told,
-- in arbitrary order, that an approved version was last recorded as draft.
-- Now workflow_phases, requests and observations are compared as versions are, the first one found reported as
-- unexplained_status {table_name, row_id, status, audited_status, message}, and the caller's unchained rows count
-- as the newest, in id order.
--
-- Redefines public.verify_audit_log (from 20261201402000_chain_audit_log).

create or replace function public.verify_audit_log()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_rows bigint;
  v_last_seq bigint;
  v_last_hash bytea;
  v_head private.audit_chain_head;
  v_broken record;
  v_unexplained record;
  v_status_check record;
  v_unexplained_status record;
  v_verdict jsonb;
begin
  if not (private.is_admin() or private.is_operator()) then
    raise exception using errcode = 'PT403', detail = 'audit_verification_requires_admin',
      message = 'Only admins can verify the audit log.';
  end if;

  select * into v_broken
    from (
      select a.chain_seq, a.id, a.occurred_at, a.table_name, a.operation,
             case
               when a.chain_seq <> coalesce(lag(a.chain_seq) over w, 0) + 1 then 'row_missing'
               when a.prev_hash is distinct from lag(a.row_hash) over w then 'link_broken'
               when a.row_hash is distinct from private.audit_row_hash(a.prev_hash, a) then 'row_changed'
             end as reason
        from public.audit_log a
       where a.chain_seq is not null
      window w as (order by a.chain_seq)
    ) c
   where c.reason is not null
   order by c.chain_seq
   limit 1;

  -- A committed row without a link was written with the triggers off (the caller's own rows are chained when
  -- its transaction commits).
  if v_broken.reason is null then
    select a.chain_seq, a.id, a.occurred_at, a.table_name, a.operation, 'row_unchained' as reason into v_broken
      from public.audit_log a
     where a.chain_seq is null and a.transaction_id is distinct from txid_current_if_assigned()
     order by a.id
     limit 1;
  end if;

  select count(*), max(a.chain_seq) into v_rows, v_last_seq from public.audit_log a;
  select a.row_hash into v_last_hash from public.audit_log a where a.chain_seq = v_last_seq;
  select * into v_head from private.audit_chain_head;

  -- A change made with the triggers switched off leaves no audit row: a version whose status is not the one
  -- its last audit row recorded was changed so (e.g. an approved version set back to draft).
  select v.id, v.version_status::text as status, last.status as audited_status into v_unexplained
    from public.artifact_versions v
    left join lateral (
      select a.new_values ->> 'version_status' as status
        from public.audit_log a
       where a.table_name = 'public.artifact_versions' and a.row_id = v.id::text and a.new_values ? 'version_status'
       order by a.chain_seq desc nulls first, a.id desc
       limit 1) last on true
   where last.status is distinct from v.version_status::text
   order by v.created_at, v.id
   limit 1;

  -- The same for the other lifecycle states (a phase completed, a request accepted, an observation closed). The
  -- caller's own rows of this transaction are not chained yet: they are the newest, in id order.
  for v_status_check in
    select c.table_name, c.status_column
      from (values ('public.workflow_phases', 'status'), ('public.requests', 'status'),
                   ('public.observations', 'status')) c (table_name, status_column)
  loop
    execute format(
      $q$select %1$L as table_name, t.id::text as row_id, t.%2$I::text as status, last.status as audited_status
           from %1$s t
           left join lateral (
             select a.new_values ->> %2$L as status
               from public.audit_log a
              where a.table_name = %1$L and a.row_id = t.id::text and a.new_values ? %2$L
              order by a.chain_seq desc nulls first, a.id desc
              limit 1) last on true
          where last.status is distinct from t.%2$I::text
          order by t.id
          limit 1$q$,
      v_status_check.table_name, v_status_check.status_column)
      into v_unexplained_status;
    exit when v_unexplained_status.row_id is not null;
  end loop;

  if v_broken.reason is null
     and (coalesce(v_last_seq, 0) <> v_head.chain_seq or v_last_hash is distinct from v_head.row_hash) then
    v_verdict := jsonb_build_object(
      'ok', false, 'rows', v_rows, 'head_seq', v_head.chain_seq, 'head_hash', encode(v_head.row_hash, 'hex'),
      'first_broken', jsonb_build_object('chain_seq', coalesce(v_last_seq, 0) + 1, 'id', null,
        'reason', 'rows_missing_at_end',
        'message', format('The chain ends at position %s, but position %s was written: rows at the end were removed.',
                          coalesce(v_last_seq, 0), v_head.chain_seq)),
      'checked_at', now());
  else
    v_verdict := jsonb_build_object(
    'ok', v_broken.reason is null, 'rows', v_rows, 'head_seq', v_head.chain_seq,
    'head_hash', encode(v_head.row_hash, 'hex'),
    'first_broken', case when v_broken.reason is null then null else jsonb_build_object(
      'chain_seq', v_broken.chain_seq, 'id', v_broken.id, 'occurred_at', v_broken.occurred_at,
      'table_name', v_broken.table_name, 'operation', v_broken.operation, 'reason', v_broken.reason,
      'message', case v_broken.reason
        when 'row_missing' then format('Rows before position %s were removed.', v_broken.chain_seq)
        when 'link_broken' then format('Row %s does not follow the row before it: a row was removed, inserted or rewritten there.', v_broken.chain_seq)
        when 'row_unchained' then format('Audit row %s has no link: it was written with the triggers off.', v_broken.id)
        else format('Row %s (audit id %s) was changed after it was written.', v_broken.chain_seq, v_broken.id)
      end) end,
    'checked_at', now());
  end if;

  return v_verdict || jsonb_build_object(
    'ok', (v_verdict ->> 'ok')::boolean and v_unexplained.id is null and v_unexplained_status.row_id is null,
    'unexplained_version', case when v_unexplained.id is null then null else jsonb_build_object(
      'version_id', v_unexplained.id, 'version_status', v_unexplained.status,
      'audited_status', v_unexplained.audited_status,
      'message', format('Version %s is %s, but the audit log last recorded it as %s: it was changed without an audit row.',
                        v_unexplained.id, v_unexplained.status, coalesce(v_unexplained.audited_status, 'nothing'))) end,
    'unexplained_status', case when v_unexplained_status.row_id is null then null else jsonb_build_object(
      'table_name', v_unexplained_status.table_name, 'row_id', v_unexplained_status.row_id,
      'status', v_unexplained_status.status, 'audited_status', v_unexplained_status.audited_status,
      'message', format('%s %s is %s, but the audit log last recorded it as %s: it was changed without an audit row.',
                        v_unexplained_status.table_name, v_unexplained_status.row_id, v_unexplained_status.status,
                        coalesce(v_unexplained_status.audited_status, 'nothing'))) end);
end;
$$;

comment on function public.verify_audit_log() is
  'Recomputes the audit_log hash chain and reports {ok, rows, head_seq, head_hash, first_broken: {chain_seq, id, occurred_at, table_name, operation, reason, message} | null, unexplained_version: {version_id, version_status, audited_status, message} | null, unexplained_status: {table_name, row_id, status, audited_status, message} | null, checked_at}; reasons: row_missing, link_broken, row_changed, row_unchained, rows_missing_at_end; an unexplained version (or phase, request, observation) is one whose status differs from the one its last audit row recorded. Record head_hash outside the database to detect a rewrite of the whole chain. Admins and operators only: PT403 audit_verification_requires_admin.';
