-- A transaction's audit rows are chained in one pass at commit.
--
-- Before: the deferred trigger chain_audit_row linked each row by itself, with two updates of the one-row
-- private.audit_chain_head and one of the row: 2,000 audit rows of a bulk decision made 4,000 versions of the head
-- row inside one transaction, each link reading past the ones before (about 0.4 ms a row at commit).
-- Now the first of a transaction's pending links (the oldest row not chained yet: deferred events fire in the order
-- the rows were inserted, which is the order of their ids) takes the head's lock as before, gives every unchained row
-- of its transaction from there on the next positions in id order, each the previous one's hash (the same sequence
-- the row-by-row links made), writes them with one update and moves the head once. It notes how far it chained in
-- the transaction-local setting regtest.audit_chained_through; the remaining events of those rows find their row
-- chained and return. A row inserted after that (by a later deferred trigger, or after `set constraints all
-- immediate`) has a larger id and is chained by its own event. Under repeatable read a head newer than the snapshot
-- is 40001, as before. A rolled-back subtransaction takes its rows, its events and its setting with it.
--
-- Redefines private.chain_audit_row (20261201402000_chain_audit_log).

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
  if new.id <= coalesce(nullif(pg_catalog.current_setting('regtest.audit_chained_through', true), '')::bigint, 0) then
    return null; -- linked with an earlier row of this transaction
  end if;
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
  perform pg_catalog.set_config('regtest.audit_chained_through', v_ids[cardinality(v_ids)]::text, true);
  return null;
end;
$$;
comment on function private.chain_audit_row() is
  'Deferred trigger, at commit: the first pending link of a transaction gives its unchained audit rows, in id order, the next chain positions, each the previous row''s hash and its own hash, under the lock of private.audit_chain_head, and moves the head once; the other rows'' events find them chained (regtest.audit_chained_through).';
