-- The audit log no longer holds the values of samples, test cases' reported values or failed-row samples.
--
-- Since 20261204100000-20261204102000 the rows of sample_decisions, test_cases and profiling_rule_results hold no
-- values (they are kept privately and read masked by the current classification), so their new audit rows hold
-- none either. The audit rows written before copied the values whole: this migration empties them there
-- (sample_data {}, reported_value null, failed_sample [], as the rows now hold), once, with the log's triggers
-- off, and re-seals the hash chain from the first row it changed, so verify_audit_log finds the log whole.
-- The re-seal changes the head hash: private.audit_chain_reseals records the head before and after, so a head
-- hash recorded outside the database before the migration can still be matched (decision 034).
-- Rejected: replacing the values by a digest (an unkeyed sha256 of a nine-digit identifier is found by trying
-- every one), keeping them (the point is that they do not leave the database unmasked).

create table private.audit_chain_reseals (
  id bigint generated always as identity primary key,
  resealed_at timestamptz not null default now(),
  reason text not null,
  rows_scrubbed bigint not null,
  from_seq bigint,
  old_head_seq bigint,
  old_head_hash bytea,
  new_head_hash bytea
);
comment on table private.audit_chain_reseals is
  'Each time a migration changed audit rows (to take out values that should never have been copied there) and re-hashed the chain from the first changed position: why, how many rows, from which position, and the head''s position and hash before and after, so a head hash recorded elsewhere before it can still be matched. Read by operators (Studio).';
alter table private.audit_chain_reseals enable row level security;
revoke all on table private.audit_chain_reseals from public, anon, authenticated, service_role;

do $$
declare
  v_head private.audit_chain_head;
  v_from bigint;
  v_count bigint;
  v_hash bytea;
  v_prev bytea;
  v_row public.audit_log;
begin
  -- The head first: audit writers wait until the migration's transaction ends.
  update private.audit_chain_head set chain_seq = chain_seq returning * into v_head;

  alter table public.audit_log disable trigger user;
  with scrubbed as (
    update public.audit_log a
       set old_values = case a.table_name
                          when 'public.sample_decisions' then
                            case when a.old_values ? 'sample_data' then jsonb_set(a.old_values, '{sample_data}', '{}') else a.old_values end
                          when 'public.test_cases' then
                            case when a.old_values ? 'reported_value' then jsonb_set(a.old_values, '{reported_value}', 'null') else a.old_values end
                          else
                            case when a.old_values ? 'failed_sample' then jsonb_set(a.old_values, '{failed_sample}', '[]') else a.old_values end
                        end,
           new_values = case a.table_name
                          when 'public.sample_decisions' then
                            case when a.new_values ? 'sample_data' then jsonb_set(a.new_values, '{sample_data}', '{}') else a.new_values end
                          when 'public.test_cases' then
                            case when a.new_values ? 'reported_value' then jsonb_set(a.new_values, '{reported_value}', 'null') else a.new_values end
                          else
                            case when a.new_values ? 'failed_sample' then jsonb_set(a.new_values, '{failed_sample}', '[]') else a.new_values end
                        end
     where (a.table_name = 'public.sample_decisions'
            and (coalesce(a.old_values -> 'sample_data', '{}') <> '{}' or coalesce(a.new_values -> 'sample_data', '{}') <> '{}'))
        or (a.table_name = 'public.test_cases'
            and (coalesce(a.old_values -> 'reported_value', 'null') <> 'null' or coalesce(a.new_values -> 'reported_value', 'null') <> 'null'))
        or (a.table_name = 'public.profiling_rule_results'
            and (coalesce(a.old_values -> 'failed_sample', '[]') <> '[]' or coalesce(a.new_values -> 'failed_sample', '[]') <> '[]'))
    returning a.chain_seq
  )
  select min(chain_seq), count(*) into v_from, v_count from scrubbed;

  if v_from is not null then
    select a.row_hash into v_prev from public.audit_log a where a.chain_seq = v_from - 1;
    for v_row in select * from public.audit_log a where a.chain_seq >= v_from order by a.chain_seq loop
      v_hash := private.audit_row_hash(v_prev, v_row);
      update public.audit_log set prev_hash = v_prev, row_hash = v_hash where id = v_row.id;
      v_prev := v_hash;
    end loop;
    update private.audit_chain_head set row_hash = v_hash where chain_seq = v_head.chain_seq;
  end if;
  alter table public.audit_log enable trigger user;

  if v_count > 0 then
    insert into private.audit_chain_reseals (reason, rows_scrubbed, from_seq, old_head_seq, old_head_hash, new_head_hash)
    values ('20261204103000: values of samples, reported values and failed-row samples taken out of audit rows',
            v_count, v_from, v_head.chain_seq, v_head.row_hash, (select h.row_hash from private.audit_chain_head h));
  end if;
end;
$$;
