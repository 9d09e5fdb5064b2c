-- A new planning version keeps the decisions of the items that were approved in the version it is copied from, as
-- scoping does: after a rejection the tester re-decides only what changes, instead of all of them (44 decisions for
-- 20 attributes). A changed item's decision is the tester's to change; the copy keeps who decided and when.

update public.phase_definitions set carry_forward_approved = true where name = 'planning';
