import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { ProblemError, type ProblemKind, problemResponse, toProblem } from "./problems";

const HTTP_EXCEPTION_PROBLEMS: Partial<Record<number, { kind: ProblemKind; detail: string }>> = {
  400: { kind: "malformed-request", detail: "The request body is not valid JSON." },
  413: { kind: "payload-too-large", detail: "The request body is too large." },
  415: { kind: "unsupported-media-type", detail: "Send the request body as JSON with Content-Type: application/json." },
};

/**
 * Cookies set before the error was thrown (e.g. clearing a dead session's cookie in `requireAuth`) would
 * otherwise be dropped: Hono keeps them on the context, and the problem is a new Response.
 */
function keepPreparedCookies(c: Context<AppEnv>, response: Response): Response {
  for (const cookie of c.res.headers.getSetCookie()) response.headers.append("Set-Cookie", cookie);
  return response;
}

/** The one error renderer: known problems as they are, everything else as a 500 without internals. */
export function renderError(error: Error, c: Context<AppEnv>): Response {
  return keepPreparedCookies(c, renderProblem(error, c));
}

function renderProblem(error: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  const instance = new URL(c.req.url).pathname;
  const headers: Record<string, string> = requestId ? { "X-Request-Id": requestId } : {};
  if (error instanceof ProblemError) {
    return problemResponse(toProblem(error.kind, error.detail, { errors: error.fieldErrors, requestId, instance }), { ...headers, ...error.headers });
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono raises these for bodies it cannot read (malformed JSON, or a JSON route sent another content type)
    // before validation runs. Each status maps to its own problem type so `type` and `status` always agree.
    const known = HTTP_EXCEPTION_PROBLEMS[error.status];
    if (known) return problemResponse(toProblem(known.kind, known.detail, { requestId, instance }), headers);
    const detail = error.message || "The request could not be handled.";
    return problemResponse({ ...toProblem("malformed-request", detail, { requestId, instance }), status: error.status }, headers);
  }
  console.error(JSON.stringify({ msg: "unhandled error", requestId, method: c.req.method, path: instance, error: error.stack ?? String(error) }));
  return problemResponse(toProblem("internal", `An unexpected error occurred. If it keeps happening, report request id ${requestId ?? "unknown"}.`, { requestId, instance }), headers);
}

export function renderNotFound(c: Context<AppEnv>): Response {
  const problem = toProblem("not-found", `There is nothing at ${c.req.method} ${new URL(c.req.url).pathname}.`, { requestId: c.get("requestId") });
  return problemResponse(problem);
}
