-- A tamper-evident audit trail: audit_log rows are chained by hash.
--
-- Before: inside one transaction, `set local session_replication_role = replica` switched off the triggers
-- that keep audit_log append-only, and the Studio role could delete or rewrite audit rows without a trace.
-- Nothing in SQL can stop a superuser, but now a regulator can tell: every row gets the next position in the
-- chain (chain_seq, 1, 2, 3… without gaps), the previous row's hash (prev_hash) and its own hash (row_hash =
-- sha256 of prev_hash and the row's content). private.audit_chain_head keeps the last position and hash, so a
-- deleted last row shows too. public.verify_audit_log() (admins and operators) recomputes the chain and
-- reports the first broken link.
--
-- Concurrency: rows are chained when their transaction commits (a deferred constraint trigger), one after
-- another: each link moves the head row on with an update, which takes its lock before it reads the last hash.
-- The lock is thus held from the commit's chaining to the commit itself, not for the whole transaction, so a
-- long transaction (a version copy of thousands of items) does not make every other audited write wait for it.
-- Until then its rows are unchained, and invisible to everyone else. Under repeatable read, a transaction whose
-- snapshot predates the head fails at commit with 40001 instead of forking the chain.
--
-- Redefines private.refuse_audit_change (20261122003000_create_audit_log): the chaining may fill in the chain
-- columns of a row not chained yet, and nothing else.

alter table public.audit_log
  add column chain_seq bigint,
  add column prev_hash bytea,
  add column row_hash bytea;
comment on column public.audit_log.chain_seq is 'Position of the row in the hash chain: 1, 2, 3… without gaps, in the order the rows were chained at commit (ids may interleave under concurrency); null only inside the inserting transaction, before it commits.';
comment on column public.audit_log.prev_hash is 'row_hash of the row before it in the chain; null for the first row.';
comment on column public.audit_log.row_hash is 'sha256 of prev_hash and the row''s content (private.audit_row_content): changing, removing or inserting a row breaks the chain from there on.';

create table private.audit_chain_head (
  id boolean primary key default true check (id),
  chain_seq bigint not null,
  row_hash bytea
);
comment on table private.audit_chain_head is
  'The last link of the audit_log hash chain (position and hash): one row, locked by each audit insert, so inserts chain one after another and a deleted tail row is seen by verify_audit_log.';
alter table private.audit_chain_head enable row level security;
revoke all on table private.audit_chain_head from public, anon, authenticated, service_role;

-- The two helpers below have no `set search_path` and name everything with its schema: PostgreSQL inlines
-- them, where a SET clause would cost a configuration change on every call (five times the hash itself).
create function private.audit_row_content(p_row public.audit_log)
returns bytea
language sql
immutable
as $$
  -- Text of a jsonb value is canonical (keys sorted, no spaces vary); the time as microseconds since the
  -- epoch, so the session's time zone does not change the text.
  select pg_catalog.convert_to(pg_catalog.jsonb_build_array(
      p_row.chain_seq, p_row.id, (extract(epoch from p_row.occurred_at) * 1000000)::bigint, p_row.actor_id,
      p_row.actor_role, p_row.table_name, p_row.row_id, p_row.operation, p_row.old_values, p_row.new_values,
      p_row.transaction_id)::text, 'UTF8')
$$;
comment on function private.audit_row_content(public.audit_log) is
  'The bytes of an audit row that its hash covers: position, id, time, actor, table, row, operation, old and new values, transaction.';

create function private.audit_row_hash(p_prev_hash bytea, p_row public.audit_log)
returns bytea
language sql
immutable
as $$
  select pg_catalog.sha256(coalesce(p_prev_hash, '\x'::bytea) operator(pg_catalog.||) private.audit_row_content(p_row))
$$;
comment on function private.audit_row_hash(bytea, public.audit_log) is
  'sha256 of the previous row''s hash and an audit row''s content.';

-- Existing rows, chained in id order -----------------------------------------------------------------------------
alter table public.audit_log disable trigger refuse_audit_change;
do $$
declare
  v_row public.audit_log;
  v_seq bigint := 0;
  v_hash bytea := null;
begin
  for v_row in select * from public.audit_log order by id loop
    v_seq := v_seq + 1;
    v_row.chain_seq := v_seq;
    update public.audit_log
       set chain_seq = v_seq, prev_hash = v_hash, row_hash = private.audit_row_hash(v_hash, v_row)
     where id = v_row.id
    returning row_hash into v_hash;
  end loop;
  insert into private.audit_chain_head (chain_seq, row_hash) values (v_seq, v_hash);
end;
$$;
alter table public.audit_log enable trigger refuse_audit_change;

-- No index on chain_seq: the chaining at commit then updates only columns no index covers, in place (a heap-only
-- update), and verification reads every row anyway. The head's lock is what keeps positions unique.

-- New rows ---------------------------------------------------------------------------------------------------------
create function private.chain_audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.audit_log := new;
begin
  -- Moving the head on locks it until this transaction ends (a moment: this runs at commit); under read committed
  -- the update applies to the latest head, under repeatable read a newer head than the snapshot's is 40001.
  update private.audit_chain_head h set chain_seq = h.chain_seq + 1
  returning h.chain_seq, h.row_hash into v_row.chain_seq, v_row.prev_hash;
  v_row.row_hash := private.audit_row_hash(v_row.prev_hash, v_row);
  update public.audit_log
     set chain_seq = v_row.chain_seq, prev_hash = v_row.prev_hash, row_hash = v_row.row_hash
   where id = new.id;
  update private.audit_chain_head set row_hash = v_row.row_hash;
  return null;
end;
$$;
comment on function private.chain_audit_row() is
  'Deferred trigger, at commit: gives a new audit row the next chain position, the previous row''s hash and its own hash, under the lock of private.audit_chain_head.';

create constraint trigger chain_audit_row
  after insert on public.audit_log
  deferrable initially deferred
  for each row execute function private.chain_audit_row();

create or replace function private.refuse_audit_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- The chaining at commit fills in the chain columns of a row not chained yet, and changes nothing else.
  if tg_op = 'UPDATE' then
    if pg_trigger_depth() > 1 and old.chain_seq is null and new.chain_seq is not null
       and (new.id, new.occurred_at, new.actor_id, new.actor_role, new.table_name, new.row_id, new.operation,
            new.old_values, new.new_values, new.transaction_id)
           is not distinct from
           (old.id, old.occurred_at, old.actor_id, old.actor_role, old.table_name, old.row_id, old.operation,
            old.old_values, old.new_values, old.transaction_id) then
      return new;
    end if;
  end if;
  raise exception using errcode = 'PT403', detail = 'audit_log_immutable',
    message = 'The audit log cannot be changed or deleted.';
end;
$$;
comment on function private.refuse_audit_change() is
  'Trigger: refuses every update, delete and truncate of audit_log, except the chaining at commit filling in the chain columns of a row not chained yet.';

-- Verification -----------------------------------------------------------------------------------------------------
create function public.verify_audit_log()
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
       order by a.chain_seq desc
       limit 1) last on true
   where last.status is distinct from v.version_status::text
   order by v.created_at, v.id
   limit 1;

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
    'ok', (v_verdict ->> 'ok')::boolean and v_unexplained.id is null,
    'unexplained_version', case when v_unexplained.id is null then null else jsonb_build_object(
      'version_id', v_unexplained.id, 'version_status', v_unexplained.status,
      'audited_status', v_unexplained.audited_status,
      'message', format('Version %s is %s, but the audit log last recorded it as %s: it was changed without an audit row.',
                        v_unexplained.id, v_unexplained.status, coalesce(v_unexplained.audited_status, 'nothing'))) end);
end;
$$;
comment on function public.verify_audit_log() is
  'Recomputes the audit_log hash chain and reports {ok, rows, head_seq, head_hash, first_broken: {chain_seq, id, occurred_at, table_name, operation, reason, message} | null, unexplained_version: {version_id, version_status, audited_status, message} | null, checked_at}; reasons: row_missing, link_broken, row_changed, row_unchained, rows_missing_at_end; an unexplained version is one whose status differs from the one its last audit row recorded. Record head_hash outside the database to detect a rewrite of the whole chain. Admins and operators only: PT403 audit_verification_requires_admin.';

revoke all on function private.audit_row_content(public.audit_log), private.audit_row_hash(bytea, public.audit_log),
  private.chain_audit_row() from public;
revoke all on function public.verify_audit_log() from public, anon, authenticated, service_role;
grant execute on function public.verify_audit_log() to authenticated;
