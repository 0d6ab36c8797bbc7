import type { Problem } from "../../../worker/contracts/common.ts";

/** A failed API call: `problem` is the server's RFC 9457 body (or one built for network failures). */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** `body` is the raw JSON, for problem extension members (e.g. a 409's `usage`). */
  constructor(
    readonly problem: Problem,
    readonly body: unknown = undefined,
  ) {
    super(problem.detail || problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** Per-field messages keyed by the field's path (`email`, `timezone`, …). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) if (!(e.path in out)) out[e.path] = e.message;
    return out;
  }
}

/**
 * Narrows an unknown JSON body to a Problem without loading zod into the entry chunk;
 * the shape checked is exactly the `Problem` contract's required members.
 */
export function asProblem(body: unknown, status: number): Problem {
  if (typeof body === "object" && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.title === "string" && typeof b.detail === "string") {
      const errors = Array.isArray(b.errors)
        ? b.errors.flatMap((e: unknown) => {
            if (typeof e !== "object" || e === null) return [];
            const { path, message } = e as Record<string, unknown>;
            return typeof path === "string" && typeof message === "string" ? [{ path, message }] : [];
          })
        : undefined;
      return {
        type: typeof b.type === "string" ? b.type : "about:blank",
        title: b.title,
        status: typeof b.status === "number" ? b.status : status,
        detail: b.detail,
        errors,
      };
    }
  }
  return {
    type: "about:blank",
    title: "Unexpected response",
    status,
    detail: status >= 500 ? "The server had a problem. Try again in a moment." : `The request failed (HTTP ${status}).`,
  };
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError({
    type: "about:blank",
    title: "Network error",
    status: 0,
    detail: "Atelier could not reach the server. Check your connection and try again.",
  });
}
