// The InteractionRecorder over public.llm_interactions. A call is on record (pending) before it is made,
// in a transaction of its own; its completion and the items it produced commit together or not at all.
import type postgres from "postgres";
import { asService } from "../jobs/queue.ts";
import type {
  BeginResult,
  InteractionCompletion,
  InteractionFailure,
  InteractionRecorder,
  InteractionStart,
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

  async complete(
    id: string,
    completion: InteractionCompletion,
    store: StoreResult<postgres.TransactionSql>,
  ): Promise<void> {
    await this.transaction(async (tx) => {
      const updated = await tx`
        update public.llm_interactions
           set status = 'completed', response = ${json(tx, completion.response)},
               input_tokens = ${completion.inputTokens}, output_tokens = ${completion.outputTokens},
               cost_usd = ${completion.costUsd}, duration_ms = ${completion.durationMs}
         where id = ${id} and status = 'pending'
        returning id`;
      if (updated.length === 0) throw new Error(`LLM interaction ${id} is no longer pending.`);
      await store(tx);
    });
  }

  async fail(id: string, failure: InteractionFailure): Promise<void> {
    // A row already finished (e.g. abandoned by a newer run) keeps its record.
    await asService(
      this.sql,
      (tx) => tx`
        update public.llm_interactions
           set status = 'failed', failure_reason = ${failure.reason}, error = ${failure.error.slice(0, 4000)},
               http_status = ${failure.status ?? null}, duration_ms = ${failure.durationMs},
               response = ${failure.response ? json(tx, failure.response) : null},
               input_tokens = ${failure.inputTokens ?? null}, output_tokens = ${failure.outputTokens ?? null},
               cost_usd = ${failure.costUsd ?? null}
         where id = ${id} and status = 'pending'`,
    );
  }
}
