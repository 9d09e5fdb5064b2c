import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";

// Unknown addresses: signed-out visitors go to the login page first, so they learn nothing about which
// pages exist; signed-in users get the not-found page.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw new Response("Not found", { status: 404 });
}

// A component makes this a page route, so the thrown 404 renders the root error boundary.
export default function NotFound() {
  return null;
}
