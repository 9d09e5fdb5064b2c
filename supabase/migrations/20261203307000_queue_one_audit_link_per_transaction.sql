-- One pending audit link per transaction instead of one per audit row.
--
-- Before (20261203303000): every audit row queued its own deferred chain_audit_row event; the first linked all the
-- transaction's rows and the other 1,999 of a bulk decision's found theirs linked, each still a trigger call at
-- commit. Now the trigger's WHEN condition (private.queue_audit_link, evaluated as each row is inserted) queues an
-- event only for the first row written while none is pending; chain_audit_row, when it fires, clears the mark
-- (regtest.audit_link_pending) before it links, so a row written after that (by a later deferred trigger, or after
-- `set constraints all immediate`) queues the next one. Every row still lies at or after a pending event's row in
-- id order, so it is linked. A subtransaction that rolls back takes its rows, its events and the mark with it; one
-- whose link fired and then rolled back has that event fired again (PostgreSQL re-arms deferred events an aborted
-- subtransaction fired) and the mark restored.
--
-- Redefines private.chain_audit_row (20261203303000_chain_audit_rows_per_transaction) and recreates the trigger
-- chain_audit_row on public.audit_log (20261201402000_chain_audit_log) with the WHEN condition.

create function private.queue_audit_link()
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
  if pg_catalog.current_setting('regtest.audit_link_pending', true) = 'on' then
    return false;
  end if;
  perform pg_catalog.set_config('regtest.audit_link_pending', 'on', true);
  return true;
end;
$$;
comment on function private.queue_audit_link() is
  'WHEN condition of the deferred trigger chain_audit_row: true (queue a link) for the first audit row a transaction writes while no link of its is pending, and marks one pending (transaction-local regtest.audit_link_pending); chain_audit_row clears the mark when it links.';
revoke all on function private.queue_audit_link() from public;

create or replace function private.chain_audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_seq bigint;
  v_hash bytea;
  v_row public.audit_log;
  v_ids bigint[] := '{}';
  v_seqs bigint[] := '{}';
  v_prev bytea[] := '{}';
  v_hashes bytea[] := '{}';
begin
  -- Rows written from now on queue a link of their own.
  perform pg_catalog.set_config('regtest.audit_link_pending', '', true);
  -- Moving the head on locks it until this transaction ends (a moment: this runs at commit); under read committed
  -- the update applies to the latest head, under repeatable read a newer head than the snapshot's is 40001.
  update private.audit_chain_head h set chain_seq = h.chain_seq
  returning h.chain_seq, h.row_hash into v_seq, v_hash;
  for v_row in
    select l.* from public.audit_log l
     where l.id >= new.id and l.transaction_id = new.transaction_id and l.chain_seq is null
     order by l.id
  loop
    v_seq := v_seq + 1;
    v_row.chain_seq := v_seq;
    v_row.prev_hash := v_hash;
    v_hash := private.audit_row_hash(v_hash, v_row);
    v_ids := v_ids || v_row.id;
    v_seqs := v_seqs || v_seq;
    v_prev := v_prev || v_row.prev_hash;
    v_hashes := v_hashes || v_hash;
  end loop;
  update public.audit_log l
     set chain_seq = c.chain_seq, prev_hash = c.prev_hash, row_hash = c.row_hash
    from unnest(v_ids, v_seqs, v_prev, v_hashes) as c(id, chain_seq, prev_hash, row_hash)
   where l.id = c.id;
  update private.audit_chain_head set chain_seq = v_seq, row_hash = v_hash;
  return null;
end;
$$;
comment on function private.chain_audit_row() is
  'Deferred trigger, at commit, queued once per stretch of a transaction''s audit rows (private.queue_audit_link): gives the transaction''s unchained audit rows from its row on, in id order, the next chain positions, each the previous row''s hash and its own hash, under the lock of private.audit_chain_head, and moves the head once.';

drop trigger chain_audit_row on public.audit_log;
create constraint trigger chain_audit_row after insert on public.audit_log
  deferrable initially deferred
  for each row when (private.queue_audit_link())
  execute function private.chain_audit_row();
