// The request pages' form schemas, read by the browser (errors beside their fields before anything is sent) and by
// the server (requests.server.ts), so both say the same about the same values. Whether the move is allowed (the
// request's state, who may make it) is the database's call, said in the banner.
import { z } from "zod";

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max.toLocaleString("en-US")} characters.`)
    .optional();

/** The form ids the pages post (form_id), so the server's field errors come back to the form that sent them. */
export const requestFormIds = {
  create: "new-requests",
  return: "return-request",
  close: "close-request",
  comment: "comment",
  respond: "response",
} as const;

/** New requests for the chosen attributes (and samples), for one data provider, by a due date. */
export const newRequestsForm = z.object({
  phaseId: z.coerce.number().int().positive(),
  attribute: z.array(z.string().uuid()).min(1, "Choose at least one attribute."),
  sample: z.array(z.string().uuid()).default([]),
  assignee: z.string({ required_error: "Choose the data provider who answers." }).uuid({
    message: "Choose the data provider who answers.",
  }),
  dueDate: z
    .string({ required_error: "Choose a due date." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a due date.")
    .refine((v) => {
      const day = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v;
    }, "Choose a due date that exists."),
  title: optionalText(200, "A title"),
  instructions: optionalText(10_000, "The instructions"),
  grouping: z.enum(["one", "each"]).default("each"),
  send: z.string().optional(),
});

/** The new-requests form's values as its schema reads them: the chosen attributes and samples as lists. */
export function newRequestsValues(form: FormData): Record<string, unknown> {
  return {
    ...Object.fromEntries(form),
    attribute: form.getAll("attribute").map(String),
    sample: form.getAll("sample").map(String),
  };
}

const reason = (message: string) =>
  z.string({ required_error: message }).trim().min(1, message).max(4000, "A reason is at most 4,000 characters.");

/** Returning a response to the data provider says why. */
export const returnRequestForm = z.object({ reason: reason("Say what the data provider should change.") });
/** Closing a request says why. */
export const closeRequestForm = z.object({ reason: reason("Say why the request is closed.") });
/** A comment on the request. */
export const commentForm = z.object({
  body: z
    .string({ required_error: "Write a comment first." })
    .trim()
    .min(1, "Write a comment first.")
    .max(4000, "A comment is at most 4,000 characters."),
});

/** A file as the browser's form holds it (a File) or the server's (name and size). */
const fileLike = z.custom<{ name: string; size: number }>(
  (v) => typeof v === "object" && v !== null && "name" in v && "size" in v,
);
const chosen = (f: { name: string; size: number } | undefined) => Boolean(f && f.name && f.size > 0);

/**
 * The data provider's response: an answer, files or a data source (a CSV or a database table's connection), at
 * least one of them. A database table needs its host, database, table and user; a port is a number.
 */
export const responseForm = z
  .object({
    body: optionalText(20_000, "The answer"),
    file: z.array(fileLike).default([]),
    sourceName: optionalText(255, "A source name"),
    sourceFile: fileLike.optional(),
    dbHost: z.string().trim().default(""),
    dbPort: z
      .string()
      .trim()
      .default("")
      .refine(
        (v) => v === "" || (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535),
        "Give the port as a number between 1 and 65535.",
      ),
    dbDatabase: z.string().trim().default(""),
    dbSchema: z.string().trim().default(""),
    dbTable: z.string().trim().default(""),
    dbUser: z.string().trim().default(""),
  })
  .superRefine((f, ctx) => {
    const say = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const files = f.file.filter(chosen);
    const database = [f.dbHost, f.dbDatabase, f.dbTable, f.dbUser].some((v) => v !== "");
    if (!f.body && !files.length && !chosen(f.sourceFile) && !database)
      say("body", "Write an answer, attach a file or give a data source.");
    if (database && !chosen(f.sourceFile)) {
      if (!f.dbHost) say("dbHost", "Enter the host.");
      if (!f.dbDatabase) say("dbDatabase", "Enter the database.");
      if (!f.dbTable) say("dbTable", "Enter the table.");
      if (!f.dbUser) say("dbUser", "Enter the user.");
    }
  });

/** The response form's values as its schema reads them: every file chosen as a list. */
export function responseValues(form: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = { ...Object.fromEntries(form), file: form.getAll("file") };
  // No file chosen is an empty file in the browser's form and nothing on the server's.
  if (typeof values.sourceFile === "string") delete values.sourceFile;
  return values;
}
