-- Downstream uses the approved scoping version: a data-profiling rule checks an attribute in scope for its cycle
-- report (private.is_attribute_in_scope; with scoping skipped, every approved planning attribute). A new profiling
-- version leaves out the rules of attributes no longer in scope, as it leaves out those of attributes planning
-- dropped (20261122151000_leave_unfit_rules_out_of_version_copies).

create function private.validate_rule_in_scope()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cycle_report_id bigint := (select v.cycle_report_id from public.artifact_versions v where v.id = new.version_id);
begin
  if tg_op = 'UPDATE' and new.attribute_id is not distinct from old.attribute_id then
    return new;
  end if;
  if private.is_attribute_in_scope(v_cycle_report_id, new.attribute_id) then
    return new;
  end if;
  -- create_version's copy: the rule stays with the parent version (validate_profiling_rule has already moved a
  -- copied rule onto the attribute of the same name in the current planning version).
  if tg_op = 'INSERT' and new.parent_item_id is not null and private.is_copying_version(new.version_id) then
    return null;
  end if;
  raise exception using errcode = 'PT409', detail = 'attribute_not_in_scope',
    message = format('Attribute %s is not in scope for this cycle report; rules are written for attributes in scope only.',
      coalesce((select a.name from public.planning_attributes a where a.id = new.attribute_id), new.attribute_id::text)),
    hint = 'Bring the attribute into scope in a new scoping version first.';
end;
$$;
comment on function private.validate_rule_in_scope() is
  'Trigger on profiling_rules (after validate_profiling_rule): a rule''s attribute is in scope for its cycle report (private.is_attribute_in_scope), else PT409 attribute_not_in_scope; in create_version''s copy such a rule is left out of the new version.';
revoke all on function private.validate_rule_in_scope() from public;

-- "validate_rule_in_scope" sorts after "validate_profiling_rule", which moves copies onto the current attributes.
create trigger validate_rule_in_scope before insert or update of attribute_id on public.profiling_rules
  for each row execute function private.validate_rule_in_scope();
