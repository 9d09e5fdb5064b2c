// Answers of a well-behaved model for the fake server: the offline provider's proposals for the view the
// request carries, so every batch gets valid output about exactly the columns or attributes it was shown.
import { proposeAttributes } from "../../supabase/functions/_shared/llm/heuristic/attributes.ts";
import { proposeRulesFromProfile } from "../../supabase/functions/_shared/llm/heuristic/rules.ts";
import type { PlanningView, ProfilingView } from "../../supabase/functions/_shared/llm/prompts/views.ts";
import { type Behaviour, ok, type ReceivedRequest, viewOf } from "../support/fake-openai.ts";

export function wellBehaved(request: ReceivedRequest): Behaviour {
  const format = (request.body.response_format as { json_schema: { name: string } }).json_schema.name;
  return format === "planning_attributes"
    ? ok({ attributes: proposeAttributes(viewOf<PlanningView>(request)) })
    : ok({ rules: proposeRulesFromProfile(viewOf<ProfilingView>(request), "2030-01-01") });
}
