// What the scoping workspace shows in the browser and checks on the server alike.

export const testingApproaches = ["sample_testing", "data_quality_rules", "both"] as const;
export type TestingApproach = (typeof testingApproaches)[number];
export const riskLevels = ["low", "medium", "high"] as const;

/** The table's filters by decision state, in the order the page offers them. */
export const decisionFilters = {
  all: "All",
  undecided: "No tester decision",
  awaiting_owner: "Awaiting the owner",
  approved: "Approved",
  rejected: "Rejected",
  in_scope: "In scope",
  out_of_scope: "Out of scope",
} as const;
export type DecisionFilter = keyof typeof decisionFilters;
