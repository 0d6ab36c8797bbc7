import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { ProblemError, problemResponse, toProblem } from "./problems";

/** The one error renderer: known problems as they are, everything else as a 500 without internals. */
export function renderError(error: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  const instance = new URL(c.req.url).pathname;
  const headers: Record<string, string> = requestId ? { "X-Request-Id": requestId } : {};
  if (error instanceof ProblemError) {
    return problemResponse(toProblem(error.kind, error.detail, { errors: error.fieldErrors, requestId, instance }), { ...headers, ...error.headers });
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono raises these for bodies it cannot read (e.g. malformed JSON) before validation runs.
    const detail = error.status === 400 ? "The request body is not valid JSON." : error.message || "The request could not be handled.";
    const kind = error.status === 400 ? "malformed-request" : error.status === 413 ? "payload-too-large" : "malformed-request";
    return problemResponse({ ...toProblem(kind, detail, { requestId, instance }), status: error.status }, headers);
  }
  console.error(JSON.stringify({ msg: "unhandled error", requestId, method: c.req.method, path: instance, error: error.stack ?? String(error) }));
  return problemResponse(toProblem("internal", `An unexpected error occurred. If it keeps happening, report request id ${requestId ?? "unknown"}.`, { requestId, instance }), headers);
}

export function renderNotFound(c: Context<AppEnv>): Response {
  const problem = toProblem("not-found", `There is nothing at ${c.req.method} ${new URL(c.req.url).pathname}.`, { requestId: c.get("requestId") });
  return problemResponse(problem);
}
