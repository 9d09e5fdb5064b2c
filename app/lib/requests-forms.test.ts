import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./forms";
import { closeRequestForm, commentForm, newRequestsForm, responseForm, returnRequestForm } from "./requests-forms";

const id = "0b6d6f44-5a4e-4d7b-9a57-8f3f0c1e2d3a";

describe("the request pages' schemas", () => {
  it("read new requests: the chosen attributes and samples as lists, the grouping each by default", () => {
    expect(
      newRequestsForm.parse({ phaseId: "7", attribute: [id], assignee: id, dueDate: "2030-02-15", title: " T " }),
    ).toEqual({
      phaseId: 7,
      attribute: [id],
      sample: [],
      assignee: id,
      dueDate: "2030-02-15",
      title: "T",
      grouping: "each",
    });
  });

  it("say each mistake of new requests beside its field", () => {
    const result = newRequestsForm.safeParse({ phaseId: "7", attribute: [], dueDate: "2030-02-31" });
    expect(fieldErrorsOf(result.error!)).toEqual({
      attribute: "Choose at least one attribute.",
      assignee: "Choose the data provider who answers.",
      dueDate: "Choose a due date that exists.",
    });
  });

  it("ask a reason to return or close a request, and a text for a comment", () => {
    expect(fieldErrorsOf(returnRequestForm.safeParse({ reason: " " }).error!)).toEqual({
      reason: "Say what the data provider should change.",
    });
    expect(fieldErrorsOf(closeRequestForm.safeParse({}).error!)).toEqual({ reason: "Say why the request is closed." });
    expect(closeRequestForm.parse({ reason: " Duplicate " })).toEqual({ reason: "Duplicate" });
    expect(fieldErrorsOf(commentForm.safeParse({ body: "" }).error!)).toEqual({ body: "Write a comment first." });
  });

  it("take a response with an answer, a file or a data source, and a database table with its connection", () => {
    const none = { name: "", size: 0 };
    expect(fieldErrorsOf(responseForm.safeParse({ body: " ", file: [none], sourceFile: none }).error!)).toEqual({
      body: "Write an answer, attach a file or give a data source.",
    });
    expect(responseForm.safeParse({ file: [{ name: "a.pdf", size: 10 }] }).success).toBe(true);
    expect(responseForm.safeParse({ sourceFile: { name: "a.csv", size: 10 } }).success).toBe(true);
    expect(fieldErrorsOf(responseForm.safeParse({ dbHost: "db.internal", dbPort: "99999" }).error!)).toEqual({
      dbPort: "Give the port as a number between 1 and 65535.",
      dbDatabase: "Enter the database.",
      dbTable: "Enter the table.",
      dbUser: "Enter the user.",
    });
  });
});
