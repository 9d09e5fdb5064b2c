import {
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RefusalBanner } from "~/components/refusal-banner";
import { RequestStatusBadge } from "~/components/requests/request-status";
import { CloseForm, CommentForm, ReturnForm } from "~/components/requests/move-forms";
import { ResponseForm } from "~/components/requests/response-form";
import { FormErrorsContext } from "~/lib/forms";
import { requestFormIds, responseForm, responseValues } from "~/lib/requests-forms";
import { ResponseSourceCard } from "~/components/requests/response-source";
import { requireUser } from "~/lib/auth.server";
import { env } from "~/lib/env.server";
import { formatTime } from "~/lib/format";
import {
  evidenceMaxBytes,
  getRequest,
  invalid,
  invalidFields,
  requestPhases,
  respond,
  runRequestMove,
  typesByExtension,
  type EvidenceUpload,
  type RequestPhase,
  type ResponseSource,
} from "~/lib/requests.server";
import { PageErrorBoundary } from "~/components/page-error";
import { postedForm } from "~/lib/posted-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.request.title} · RegTest` : "RegTest" },
];

function requestIdOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

/** The data source a response form gives, if any: a CSV file, or a database table's connection. */
async function sourceOf(form: FormData): Promise<ResponseSource | null> {
  const itemId = Number(form.get("sourceItem")) || null;
  const file = form.get("sourceFile");
  const text = (name: string) => String(form.get(name) ?? "").trim();
  if (file && typeof file !== "string" && file.name && file.size > 0) {
    return {
      kind: "upload",
      name: text("sourceName") || file.name.replace(/\.csv$/i, ""),
      itemId,
      bytes: new Uint8Array(await file.arrayBuffer()),
    };
  }
  if (text("dbHost")) {
    return {
      kind: "database",
      itemId,
      input: {
        name: text("sourceName") || `${text("dbSchema") || "public"}.${text("dbTable")}`,
        host: text("dbHost"),
        port: Number(text("dbPort")) || undefined,
        database: text("dbDatabase"),
        schema: text("dbSchema") || undefined,
        table: text("dbTable"),
        user: text("dbUser"),
        password: String(form.get("dbPassword") ?? ""),
      },
    };
  }
  return null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = requestIdOf(params.id);
  const { user, supabase, headers } = await requireUser(request);
  const detail = await getRequest(supabase, id);
  if (!detail) throw new Response("Not found", { status: 404, headers });
  const { data: works } = await supabase
    .from("cycle_report_testers")
    .select("tester_id")
    .eq("cycle_report_id", detail.cycleReportId)
    .eq("tester_id", user.id)
    .maybeSingle();
  const { data: me } = await supabase.from("profiles").select("app_role").eq("id", user.id).maybeSingle();
  return json(
    {
      request: detail,
      phaseTitle: requestPhases[detail.phaseName as RequestPhase]?.title ?? detail.phaseName,
      isAssignee: detail.assigneeId === user.id,
      isTester: !!works || me?.app_role === "admin",
      /** A data request's items are answered with data sources too (request_item_kind attribute). */
      takesSources: requestPhases[detail.phaseName as RequestPhase]?.asks === "attribute",
    },
    { headers },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requestIdOf(params.id);
  const { supabase, headers } = await requireUser(request);
  const wantsJson = request.headers.get("Accept")?.includes("application/json") ?? false;
  let result;
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const detail = await getRequest(supabase, id);
    if (!detail) throw new Response("Not found", { status: 404, headers });
    try {
      const form = await unstable_parseMultipartFormData(
        request,
        // A data source's CSV may be as large as the planning-sources function takes; evidence files are checked
        // against their own 25 MiB limit.
        unstable_createMemoryUploadHandler({ maxPartSize: Math.max(evidenceMaxBytes, env.UPLOAD_MAX_BYTES) }),
      );
      const files: EvidenceUpload[] = [];
      for (const entry of form.getAll("file")) {
        if (typeof entry === "string" || !entry.name || entry.size === 0) continue;
        const extension = entry.name.split(".").pop()?.toLowerCase() ?? "";
        files.push({
          name: entry.name,
          type:
            entry.type && entry.type !== "application/octet-stream" ? entry.type : (typesByExtension[extension] ?? ""),
          bytes: new Uint8Array(await entry.arrayBuffer()),
        });
      }
      // The response form's own mistakes are said beside their fields; the files' and the database's refusals after.
      const checked = responseForm.safeParse(responseValues(form));
      result = checked.success
        ? await respond(supabase, detail, String(form.get("body") ?? ""), files, await sourceOf(form))
        : invalidFields(checked.error, requestFormIds.respond);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      result = invalid("A file is larger than the upload limit.");
    }
  } else {
    const form = await postedForm(request);
    form.set("id", String(id));
    result = await runRequestMove(supabase, form);
  }
  if (result.ok) {
    if (wantsJson) return json({ ok: true }, { headers });
    throw redirect(`/requests/${id}`, { headers });
  }
  // A form's own mistakes go back beside its fields (by its form_id); the database's refusals to the banner.
  const formErrors = result.formId ? { formId: result.formId, fieldErrors: result.fieldErrors ?? {} } : undefined;
  return json({ refusal: result.refusal, formErrors }, { status: result.status, headers });
}

export default function RequestPage() {
  const { request: r, phaseTitle, isAssignee, isTester, takesSources } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const formErrors = actionData && "formErrors" in actionData ? actionData.formErrors : undefined;
  // A form's own mistakes show beside its fields; the banner is for the database's refusals.
  const refusal = actionData && "refusal" in actionData && !formErrors ? actionData.refusal : null;
  const awaitingProvider = r.status === "sent" || r.status === "returned";
  return (
    <FormErrorsContext.Provider value={formErrors}>
      <section>
        {isTester ? (
          <Link
            to={`/cycle-reports/${r.cycleReportId}/requests/${r.phaseName}`}
            className="rounded text-sm text-blue-700 underline focus-ring"
          >
            {phaseTitle}
          </Link>
        ) : (
          <Link to="/" className="rounded text-sm text-blue-700 underline focus-ring">
            Your requests
          </Link>
        )}
        <div className="mt-3 flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{r.title}</h1>
            <p className="text-sm text-slate-600">
              {phaseTitle} · for {r.assignee ?? "nobody yet"} · due {r.dueDate ?? "—"}
            </p>
          </div>
          <RequestStatusBadge status={r.status} overdue={r.isOverdue} />
        </div>
        {r.instructions ? <p className="mt-4 whitespace-pre-wrap text-sm">{r.instructions}</p> : null}
        {r.status === "returned" && r.returnReason ? (
          <p role="note" className="mt-4 rounded-md border border-orange-200 bg-orange-50 px-4 py-3 text-sm">
            <span className="font-semibold">Returned:</span> {r.returnReason}
          </p>
        ) : null}
        {r.status === "closed" && r.closeReason ? (
          <p className="mt-4 text-sm text-slate-700">
            <span className="font-semibold">Closed:</span> {r.closeReason}
          </p>
        ) : null}
        {refusal ? (
          <div className="mt-4">
            <RefusalBanner refusal={refusal} />
          </div>
        ) : null}

        <h2 className="mt-6 text-lg font-semibold tracking-tight">What is asked</h2>
        <ul className="mt-2 space-y-1 text-sm" aria-label="Items">
          {r.items.map((i) => (
            <li key={i.id}>
              <span className="font-medium">{i.attribute}</span>
              {i.sample ? <span> · sample {i.sample}</span> : null}
              {i.definition ? <span className="block text-xs text-slate-600">{i.definition}</span> : null}
            </li>
          ))}
        </ul>

        <h2 className="mt-6 text-lg font-semibold tracking-tight">Responses</h2>
        {r.responses.length ? (
          <ol className="mt-2 space-y-3" aria-label="Responses">
            {r.responses.map((s) => (
              <li key={s.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
                <p className="text-xs text-slate-500">
                  {s.author ?? "—"} · {formatTime(s.at)} {s.round ? `· after return ${s.round}` : ""}
                </p>
                {s.body ? <p className="mt-1 whitespace-pre-wrap">{s.body}</p> : null}
                {s.files.length ? (
                  <ul className="mt-2 space-y-1">
                    {s.files.map((f) => (
                      <li key={f.id}>
                        <a
                          href={`/requests/${r.id}/files/${f.id}`}
                          className="rounded text-blue-700 underline focus-ring"
                        >
                          {f.name}
                        </a>{" "}
                        <span className="text-xs text-slate-500">
                          {f.type} · {f.size} bytes · SHA-256 <code>{f.sha256.slice(0, 12)}…</code>
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {s.sources.map((d) => (
                  <ResponseSourceCard key={d.id} source={d} />
                ))}
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-2 text-sm text-slate-600">No response yet.</p>
        )}

        {isAssignee && awaitingProvider ? (
          <div className="mt-6">
            <ResponseForm
              requestId={r.id}
              returned={r.status === "returned"}
              sourceItems={takesSources ? r.items.map((i) => ({ id: i.id, attribute: i.attribute })) : null}
            />
          </div>
        ) : null}

        {isTester && r.status === "draft" ? (
          <Form method="post" className="mt-6">
            <button type="submit" name="intent" value="send" className="btn-primary" disabled={busy}>
              Send
            </button>
          </Form>
        ) : null}
        {isTester && r.status === "responded" ? (
          <div className="mt-6 flex flex-wrap items-end gap-6">
            <Form method="post">
              <button type="submit" name="intent" value="accept" className="btn-primary" disabled={busy}>
                Accept
              </button>
            </Form>
            <ReturnForm busy={busy} />
          </div>
        ) : null}
        {isTester && !["accepted", "closed"].includes(r.status) ? <CloseForm busy={busy} /> : null}

        <h2 className="mt-8 text-lg font-semibold tracking-tight">Comments</h2>
        <ol className="mt-2 space-y-2 text-sm" aria-label="Comments">
          {r.comments.map((c) => (
            <li key={c.id}>
              <span className="text-xs text-slate-500">
                {c.author ?? "—"} · {formatTime(c.at)}
              </span>
              <p className="whitespace-pre-wrap">{c.body}</p>
            </li>
          ))}
        </ol>
        {isTester || (isAssignee && r.status !== "draft") ? <CommentForm busy={busy} /> : null}
      </section>
    </FormErrorsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary page="Request" />;
}
