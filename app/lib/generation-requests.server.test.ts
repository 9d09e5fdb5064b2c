import type { SupabaseClient } from "@supabase/supabase-js";
import { describe, expect, it, vi } from "vitest";
import type { Database } from "~/types/database";
import { runPlanningAction } from "./planning-actions.server";
import { runProfilingAction } from "./profiling-actions.server";

// Database sources are not part of generation; their module reads the server's environment when loaded.
vi.mock("./planning-sources.server", () => ({ addDatabaseSource: vi.fn(), testDatabaseSource: vi.fn() }));

const VERSION = "00000000-0000-4000-8000-000000000001";
const JOB = "00000000-0000-4000-8000-0000000000aa";

interface Call {
  name: string;
  body: unknown;
}

/** A client that records its function calls and answers each with a queued job. */
function recording() {
  const calls: Call[] = [];
  const client = {
    functions: {
      invoke: async (name: string, options: { body?: unknown }) => {
        calls.push({ name, body: options.body });
        return { data: { job_id: JOB, status: "queued" }, error: null };
      },
    },
  } as unknown as SupabaseClient<Database>;
  return { client, calls };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

describe("Generate with AI sends the optional context to the generation function", () => {
  it("planning: the report type and regulatory context, trimmed, with line breaks as typed", async () => {
    const { client, calls } = recording();
    const result = await runPlanningAction(
      client,
      form({
        intent: "generate",
        version_id: VERSION,
        report_type: "  FR Y-9C ",
        regulatory_context: "Schedule HC-C: loans.\r\nAmounts in thousands of USD.\r\n",
      }),
    );
    expect(result).toEqual({ ok: true, search: { version: VERSION, job: JOB } });
    expect(calls).toEqual([
      {
        name: `generation/versions/${VERSION}/attributes`,
        body: { regulatory_context: "Schedule HC-C: loans.\nAmounts in thousands of USD.", report_type: "FR Y-9C" },
      },
    ]);
  });

  it("profiling: both fields, and nothing for blank or absent ones", async () => {
    const { client, calls } = recording();
    const filled = await runProfilingAction(
      client,
      form({
        intent: "generate_rules",
        version_id: VERSION,
        report_type: "FFIEC 031",
        regulatory_context: "Past-due loans are reported in RC-N.",
      }),
    );
    expect(filled).toEqual({ ok: true, search: { version: VERSION, generation: JOB } });
    await runProfilingAction(
      client,
      form({ intent: "generate_rules", version_id: VERSION, report_type: " ", regulatory_context: "" }),
    );
    await runProfilingAction(client, form({ intent: "generate_rules", version_id: VERSION }));
    expect(calls.map((c) => c.name)).toEqual(Array(3).fill(`generation/versions/${VERSION}/rules`));
    expect(calls.map((c) => c.body)).toEqual([
      { regulatory_context: "Past-due loans are reported in RC-N.", report_type: "FFIEC 031" },
      { regulatory_context: null, report_type: null },
      { regulatory_context: null, report_type: null },
    ]);
  });

  it("refuses a context or report type over the function's limits, in words, without calling it", async () => {
    const { client, calls } = recording();
    const planning = await runPlanningAction(
      client,
      form({ intent: "generate", version_id: VERSION, regulatory_context: "x".repeat(20_001) }),
    );
    expect(planning).toMatchObject({ ok: false, status: 400 });
    expect(!planning.ok && planning.refusal.message).toBe("The regulatory context is limited to 20,000 characters.");
    const profiling = await runProfilingAction(
      client,
      form({ intent: "generate_rules", version_id: VERSION, report_type: "y".repeat(201) }),
    );
    expect(profiling).toMatchObject({ ok: false, status: 400 });
    expect(!profiling.ok && profiling.refusal.message).toBe("The report type is limited to 200 characters.");
    // At the limit exactly, a CRLF counting as one character, as the textarea counted it.
    await runPlanningAction(
      client,
      form({ intent: "generate", version_id: VERSION, regulatory_context: `${"x".repeat(19_998)}\r\ny` }),
    );
    expect(calls).toHaveLength(1);
    expect((calls[0]!.body as { regulatory_context: string }).regulatory_context).toHaveLength(20_000);
  });
});
