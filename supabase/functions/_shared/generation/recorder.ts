// The InteractionRecorder over public.llm_interactions. A call is on record (pending) before it is made, and its
// answer with tokens and cost (answered) as soon as it arrives, each in a transaction of its own; its completion
// and the items it produced commit together or not at all.
import type postgres from "postgres";
import { asService } from "../jobs/queue.ts";
import type {
  BeginResult,
  InteractionCompletion,
  InteractionFailure,
  InteractionRecorder,
  InteractionStart,
  RawResponse,
  RecordedAnswer,
  RecordedResponse,
  StoreResult,
} from "../llm/recorder.ts";

/** What the calls serve: stored with every interaction (cycle report and phase follow from the version). */
export interface InteractionLinks {
  userId?: string | null;
  versionId?: string | null;
  jobId?: string | null;
}

/** Runs fn in one transaction with the rights to write the interaction and the items. */
export type Transaction = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) => Promise<T>;

const json = (tx: postgres.TransactionSql, value: unknown) => tx.json(value as postgres.JSONValue);

interface AnsweredRow {
  id: string;
  response: RawResponse;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  duration_ms: number;
}

export class DatabaseRecorder implements InteractionRecorder<postgres.TransactionSql> {
  private readonly transaction: Transaction;

  /**
   * `transaction` wraps `complete`: a job passes its lease-checked transaction, so a worker that lost the
   * job cannot complete a call (nor store its items) after another worker took over.
   */
  constructor(
    private readonly sql: postgres.Sql,
    private readonly links: InteractionLinks = {},
    transaction?: Transaction,
  ) {
    this.transaction = transaction ?? ((fn) => asService(sql, fn));
  }

  begin(start: InteractionStart): Promise<BeginResult> {
    return asService(this.sql, async (tx): Promise<BeginResult> => {
      const [done] = await tx<{ id: string; response: RecordedResponse }[]>`
        select id, response from public.llm_interactions
         where idempotency_key = ${start.idempotencyKey} and status = 'completed'`;
      if (done) return { status: "completed_before", id: done.id, response: done.response };
      // Answered but not stored (the worker stopped in between): the answer is stored now, not asked for again.
      const [answered] = await tx<AnsweredRow[]>`
        select id, response, input_tokens, output_tokens, cost_usd::float8 as cost_usd, duration_ms
          from public.llm_interactions
         where idempotency_key = ${start.idempotencyKey} and status = 'answered'
         order by created_at, attempt limit 1`;
      if (answered) {
        return {
          status: "answered_before",
          id: answered.id,
          answer: {
            response: answered.response,
            inputTokens: answered.input_tokens,
            outputTokens: answered.output_tokens,
            costUsd: answered.cost_usd,
            durationMs: answered.duration_ms,
          },
        };
      }
      if (start.attempt === 1) {
        // A new run of the call: an earlier run that left its attempt pending was stopped mid-call.
        await tx`
          update public.llm_interactions
             set status = 'failed', failure_reason = 'abandoned',
                 error = 'The worker stopped before recording the outcome; the call was made again.'
           where idempotency_key = ${start.idempotencyKey} and status = 'pending'`;
      }
      const [row] = await tx<{ id: string }[]>`
        insert into public.llm_interactions
          (purpose, provider, model, request, idempotency_key, attempt, user_id, version_id, job_id)
        values (${start.purpose}, ${start.provider}, ${start.model}, ${json(tx, start.request)},
                ${start.idempotencyKey}, ${start.attempt}, ${this.links.userId ?? null},
                ${this.links.versionId ?? null}, ${this.links.jobId ?? null})
        returning id`;
      return { status: "started", id: row!.id };
    });
  }

  async answer(id: string, answer: RecordedAnswer): Promise<void> {
    // Its own commit, outside the job's transaction: a worker that has lost its job still records what it paid
    // for, also when the worker that took the job over has already marked this call abandoned and asked again.
    const [updated] = await asService(
      this.sql,
      (tx) => tx<{ status: string }[]>`
        update public.llm_interactions
           set status = case when status = 'pending' then 'answered'::public.llm_status else status end,
               response = ${json(tx, answer.response)},
               input_tokens = ${answer.inputTokens}, output_tokens = ${answer.outputTokens},
               cost_usd = ${answer.costUsd}, duration_ms = ${answer.durationMs},
               error = case when status = 'pending' then error
                            else 'Answered after the call was made again; its cost is kept, the newer answer is used.' end
         where id = ${id}
           and (status = 'pending'
                or status = 'failed' and failure_reason = 'abandoned' and response is null and cost_usd is null)
        returning status::text`,
    );
    if (updated?.status !== "answered")
      throw new Error(
        `LLM interaction ${id} is no longer pending; ${updated ? "its late answer's cost is recorded, the answer is not used" : "its answer was not recorded"}.`,
      );
  }

  async complete(
    id: string,
    completion: InteractionCompletion,
    store: StoreResult<postgres.TransactionSql>,
  ): Promise<void> {
    await this.transaction(async (tx) => {
      // An answered row keeps the accounting it was answered with.
      const updated = await tx`
        update public.llm_interactions
           set status = 'completed', response = ${json(tx, completion.response)},
               input_tokens = coalesce(input_tokens, ${completion.inputTokens}),
               output_tokens = coalesce(output_tokens, ${completion.outputTokens}),
               cost_usd = coalesce(cost_usd, ${completion.costUsd}),
               duration_ms = coalesce(duration_ms, ${completion.durationMs})
         where id = ${id} and status in ('pending', 'answered')
        returning idempotency_key`;
      if (updated.length === 0) throw new Error(`LLM interaction ${id} is no longer pending.`);
      // Another answer of the same call (a worker that had lost the job) is paid for but not used.
      await tx`
        update public.llm_interactions
           set status = 'failed', failure_reason = 'abandoned',
               error = 'Answered, but another answer of the same call was stored; its cost is kept.'
         where idempotency_key = ${updated[0]!.idempotency_key} and status = 'answered' and id <> ${id}`;
      await store(tx);
    });
  }

  async fail(id: string, failure: InteractionFailure): Promise<void> {
    // A row already finished (e.g. abandoned by a newer run) keeps its record; an answered row keeps its answer
    // and accounting, and gains the reason.
    await asService(
      this.sql,
      (tx) => tx`
        update public.llm_interactions
           set status = 'failed', failure_reason = ${failure.reason}, error = ${failure.error.slice(0, 4000)},
               http_status = case when status = 'answered' then http_status else ${failure.status ?? null}::int end,
               duration_ms = case when status = 'answered' then duration_ms else ${failure.durationMs}::int end,
               response = case when status = 'answered' then response
                               else ${failure.response ? json(tx, failure.response) : null}::jsonb end,
               input_tokens = case when status = 'answered' then input_tokens
                                   else ${failure.inputTokens ?? null}::int end,
               output_tokens = case when status = 'answered' then output_tokens
                                    else ${failure.outputTokens ?? null}::int end,
               cost_usd = case when status = 'answered' then cost_usd else ${failure.costUsd ?? null}::numeric end
         where id = ${id} and status in ('pending', 'answered')`,
    );
  }
}
