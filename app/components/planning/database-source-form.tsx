import { IntentForm, useSubmitting } from "~/components/versions/intent-form";

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

/** Connection details of an external PostgreSQL table; the password goes to the private store only. */
export function DatabaseSourceForm({ versionId }: { versionId: string }) {
  const busy = useSubmitting("add_database_source");
  return (
    <IntentForm
      intent="add_database_source"
      hidden={{ version_id: versionId }}
      label="Add a database source"
      className="space-y-3"
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {fields.map(([name, label, type, required]) => (
          <label key={name} className="block text-sm font-medium">
            {label}
            <input
              name={name}
              type={type}
              required={required}
              placeholder={name === "port" ? "5432" : name === "schema" ? "public" : undefined}
              autoComplete={type === "password" ? "new-password" : "off"}
              className="input"
            />
          </label>
        ))}
      </div>
      <button type="submit" className="btn-secondary" disabled={busy}>
        {busy ? "Adding…" : "Add database source"}
      </button>
    </IntentForm>
  );
}
