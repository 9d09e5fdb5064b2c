import { Form, useNavigation } from "@remix-run/react";
import type { Intent } from "~/lib/workflow-actions.server";

/** One workflow transition as a form of its own, so it also works without JavaScript. */
export function TransitionButton({
  intent,
  id,
  label,
  name,
}: {
  intent: Intent;
  id: number;
  label: string;
  name: string;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === intent &&
    navigation.formData.get("id") === String(id);
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="btn-secondary" aria-label={`${label} ${name}`} disabled={busy}>
        {busy ? `${label}…` : label}
      </button>
    </Form>
  );
}
