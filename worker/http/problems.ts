import type { Problem } from "../contracts/common";

/**
 * The closed set of problem types the API answers with. Each maps to exactly one HTTP status;
 * `type` URIs are stable and relative to the app's origin.
 */
export const PROBLEM_KINDS = {
  validation: { status: 400, title: "Some fields need attention" },
  "malformed-request": { status: 400, title: "The request could not be read" },
  unauthenticated: { status: 401, title: "Sign in required" },
  "invalid-credentials": { status: 401, title: "Email or password is incorrect" },
  forbidden: { status: 403, title: "Not allowed" },
  "foreign-origin": { status: 403, title: "Request from another site refused" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  gone: { status: 410, title: "No longer available" },
  "payload-too-large": { status: 413, title: "Too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported file type" },
  "range-not-satisfiable": { status: 416, title: "Range not satisfiable" },
  "upgrade-required": { status: 426, title: "WebSocket upgrade required" },
  "rate-limited": { status: 429, title: "Too many attempts" },
  internal: { status: 500, title: "Something went wrong on our side" },
  "platform-refused": { status: 502, title: "The platform did not do it" },
  unavailable: { status: 503, title: "Temporarily unavailable" },
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;
export type FieldError = { path: string; message: string };

export function problemType(kind: ProblemKind): string {
  return `/problems/${kind}`;
}

/** Thrown anywhere in a request; `onError` renders it. Expected failures only: no stack is ever shown. */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly fieldErrors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(kind: ProblemKind, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = "ProblemError";
    this.kind = kind;
    this.detail = detail;
    this.fieldErrors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export function toProblem(kind: ProblemKind, detail: string, extra: { errors?: FieldError[]; requestId?: string; instance?: string } = {}): Problem {
  const { status, title } = PROBLEM_KINDS[kind];
  return {
    type: problemType(kind),
    title,
    status,
    detail,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** Shorthand constructors for the common cases, so call sites read like sentences. */
export const notFound = (what = "This item") => new ProblemError("not-found", `${what} does not exist, or you do not have access to it.`);
export const forbidden = (detail: string) => new ProblemError("forbidden", detail);
export const conflict = (detail: string) => new ProblemError("conflict", detail);
