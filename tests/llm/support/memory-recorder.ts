import type {
  BeginResult,
  InteractionCompletion,
  InteractionFailure,
  InteractionRecorder,
  InteractionStart,
  RecordedAnswer,
  StoreResult,
} from "../../../supabase/functions/_shared/llm/recorder.ts";

export interface MemoryInteraction {
  id: string;
  start: InteractionStart;
  status: "pending" | "answered" | "completed" | "failed";
  answer?: RecordedAnswer;
  completion?: InteractionCompletion;
  failure?: InteractionFailure;
}

/** A transaction in memory: what `store` stages is kept only if `store` succeeds. */
export interface MemoryTx {
  items: unknown[];
}

/** The recorder contract in memory, transactions included, for tests. */
export class MemoryRecorder implements InteractionRecorder<MemoryTx> {
  readonly interactions: MemoryInteraction[] = [];
  /** Items stored by completed interactions. */
  readonly items: unknown[] = [];

  async begin(start: InteractionStart): Promise<BeginResult> {
    const done = this.interactions.find(
      (i) => i.start.idempotencyKey === start.idempotencyKey && i.status === "completed",
    );
    if (done) return { status: "completed_before", id: done.id, response: done.completion!.response };
    const answered = this.interactions.find(
      (i) => i.start.idempotencyKey === start.idempotencyKey && i.status === "answered",
    );
    if (answered) return { status: "answered_before", id: answered.id, answer: structuredClone(answered.answer!) };
    const id = `interaction-${this.interactions.length + 1}`;
    this.interactions.push({ id, start: structuredClone(start), status: "pending" });
    return { status: "started", id };
  }

  async answer(id: string, answer: RecordedAnswer): Promise<void> {
    const interaction = this.open(id, ["pending"]);
    interaction.status = "answered";
    interaction.answer = structuredClone(answer);
  }

  async complete(id: string, completion: InteractionCompletion, store: StoreResult<MemoryTx>): Promise<void> {
    const interaction = this.open(id, ["pending", "answered"]);
    const tx: MemoryTx = { items: [] };
    await store(tx);
    interaction.status = "completed";
    interaction.completion = completion;
    this.items.push(...tx.items);
  }

  async fail(id: string, failure: InteractionFailure): Promise<void> {
    const interaction = this.open(id, ["pending", "answered"]);
    interaction.status = "failed";
    interaction.failure = failure;
  }

  private open(id: string, statuses: MemoryInteraction["status"][]): MemoryInteraction {
    const interaction = this.interactions.find((i) => i.id === id);
    if (!interaction || !statuses.includes(interaction.status)) {
      throw new Error(`interaction ${id} is not ${statuses.join(" or ")}`);
    }
    return interaction;
  }
}

/** A `store` callback that stages every proposal in the transaction. */
export const storeAll = async (output: unknown[], tx: MemoryTx) => {
  tx.items.push(...output);
};
