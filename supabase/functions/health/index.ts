import { createHealthApp } from "./app.ts";

Deno.serve(createHealthApp().fetch);
