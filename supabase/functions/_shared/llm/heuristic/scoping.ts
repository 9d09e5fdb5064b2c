// Scoping recommendations by fixed rules from the planning data (docs/llm.md, "Scoping, one per attribute").
import type { ScopingRecommendation } from "../schemas/scoping.ts";
import type { Level, ScopingAttribute, TestingApproach } from "../types.ts";

const ORDER: Level[] = ["low", "medium", "high"];
const atLeast = (level: Level, floor: Level): Level => (ORDER.indexOf(level) < ORDER.indexOf(floor) ? floor : level);

/** S6: the risk rating from the policy's thresholds, at least medium for CDEs and regulatory attributes. */
export function riskRating(a: ScopingAttribute): Level {
  return a.isCde || a.regulatory ? atLeast(a.policyRiskRating, "medium") : a.policyRiskRating;
}

/** S7: how an attribute in scope is tested. */
export function testingApproach(a: ScopingAttribute, risk: Level): TestingApproach {
  if (risk === "high" || a.isCde || a.regulatory) return "both";
  if (a.isPrimaryKey || a.isMandatory) return "data_quality_rules";
  return "sample_testing";
}

const sensitive = (a: ScopingAttribute) =>
  a.personalData || a.classification === "confidential" || a.classification === "restricted";

/** S1–S5, the first that applies. */
export function recommendScope(a: ScopingAttribute): ScopingRecommendation {
  const risk = riskRating(a);
  const score = `risk score ${a.riskScore} of 10 (${risk})`;
  const inScope = (reason: string, confidence: number): ScopingRecommendation => ({
    attribute: a.name,
    in_scope: true,
    risk_rating: risk,
    testing_approach: testingApproach(a, risk),
    reason: `${reason}; ${score}.`,
    confidence,
  });
  if (a.policyReasons.length)
    return inScope(`The scoping policy keeps it in scope: ${a.policyReasons.join(", ")}`, 0.8);
  if (a.isMandatory) return inScope("A mandatory attribute of the report", 0.7);
  if (sensitive(a)) {
    const what = a.personalData ? "personal data" : `${a.classification} data`;
    return inScope(`Holds ${what}, where an error is costly`, 0.6);
  }
  if (risk !== "low") return inScope(`Its PDE mappings carry a ${risk} risk`, 0.6);
  return {
    attribute: a.name,
    in_scope: false,
    risk_rating: risk,
    testing_approach: null,
    reason: `Not a critical data element, primary key, mandatory or regulatory attribute, and not sensitive; ${score}.`,
    confidence: 0.5,
  };
}

export function recommendScoping(attributes: ScopingAttribute[]): ScopingRecommendation[] {
  return attributes.map(recommendScope);
}
