import { Link } from "@remix-run/react";
import type { VersionView } from "~/lib/versions.server";
import { VersionStatusBadge } from "./status-badge";

/** The versions of the phase as tabs, newest first; the selected one is the page's. */
export function VersionPicker({ versions, selectedId }: { versions: VersionView[]; selectedId: string }) {
  if (!versions.length) return null;
  return (
    <nav aria-label="Versions" className="flex flex-wrap gap-2">
      {versions.map((v) => (
        <Link
          key={v.id}
          to={`?version=${v.id}`}
          aria-current={v.id === selectedId ? "page" : undefined}
          className="flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-1.5 text-sm focus-ring aria-[current=page]:border-blue-600 aria-[current=page]:ring-1 aria-[current=page]:ring-blue-600"
        >
          Version {v.number} <VersionStatusBadge status={v.status} />
        </Link>
      ))}
    </nav>
  );
}
