-- No kind of the rule language derives a value (each rule is a condition a row passes or fails), so a test case's
-- expected value is what the tester enters; the side panel lists the attribute's approved profiling rules in words
-- beside it (docs/decisions/031-test-review-evidence-and-revisions.md).
comment on column public.test_cases.expected_value is
  'The value the tester expects where the test calls for one, entered by the preparer: no kind of rule derives a value (rules are pass/fail conditions; the app shows the attribute''s approved profiling rules beside it).';
