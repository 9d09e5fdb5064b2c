import type { Refusal } from "~/lib/refusal";

export function RefusalBanner({ refusal }: { refusal: Refusal }) {
  return (
    <div
      role="alert"
      data-reason={refusal.reason ?? undefined}
      className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="font-semibold">{refusal.title}</p>
      <p className="mt-1">{refusal.message}</p>
      {refusal.hint ? <p className="mt-1 text-red-800">{refusal.hint}</p> : null}
    </div>
  );
}
