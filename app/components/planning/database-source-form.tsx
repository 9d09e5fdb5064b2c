import { FormField } from "~/components/form-field";
import { IntentForm, useSubmitting } from "~/components/versions/intent-form";
import { useFormCheck } from "~/lib/forms";
import { addDatabaseSourceForm } from "~/lib/planning-forms";

const fields = [
  ["name", "Name", "text", true],
  ["host", "Host", "text", true],
  ["port", "Port", "number", false],
  ["database", "Database", "text", true],
  ["schema", "Schema", "text", false],
  ["table", "Table", "text", true],
  ["user", "User", "text", true],
  ["password", "Password", "password", true],
] as const;

/** The database source form's id (posted as form_id), so the server's field errors come back to it. */
export const databaseSourceFormId = "database-source";

/**
 * Connection details of an external PostgreSQL table; the password goes to the private store only. One schema
 * (addDatabaseSourceForm) checks it in the browser and on the server, each error beside its field.
 */
export function DatabaseSourceForm({ versionId }: { versionId: string }) {
  const busy = useSubmitting("add_database_source");
  const { onSubmit, field } = useFormCheck(databaseSourceFormId, addDatabaseSourceForm);
  return (
    <IntentForm
      intent="add_database_source"
      formId={databaseSourceFormId}
      onSubmit={onSubmit}
      hidden={{ version_id: versionId }}
      label="Add a database source"
      className="space-y-3"
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {fields.map(([name, label, type, required]) => (
          <FormField key={name} {...field(name)} label={label}>
            {(control) => (
              <input
                {...control}
                type={type}
                required={required}
                placeholder={name === "port" ? "5432" : name === "schema" ? "public" : undefined}
                autoComplete={type === "password" ? "new-password" : "off"}
                className="input"
              />
            )}
          </FormField>
        ))}
      </div>
      <button type="submit" className="btn-secondary" disabled={busy}>
        {busy ? "Adding…" : "Add database source"}
      </button>
    </IntentForm>
  );
}
