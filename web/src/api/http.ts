import { ApiError, asProblem, toApiError } from "./problem.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  /** JSON-serialisable body, or a Blob/File sent raw with its own content type. */
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** A 401 is an expected answer (session probe, login form): do not send the user to /login. */
  expectUnauthorized?: boolean;
  signal?: AbortSignal;
}

let unauthorizedHandler: () => void = () => {};

/** The app registers how to react when any call finds the session gone (redirect to /login?next=). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** For callers that talk to the API without `request()` (XHR uploads): report a lost session the same way. */
export function onUnauthorizedCall(): void {
  unauthorizedHandler();
}

/**
 * Calls the Atelier API with the session cookie. Resolves with the parsed JSON body (undefined for 204);
 * rejects with ApiError carrying the problem+json body. Response types come from worker/contracts and are
 * trusted here because the Worker validates what it sends with the same schemas.
 */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));

  const headers: Record<string, string> = { accept: "application/json" };
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    body = options.body;
    headers["content-type"] = options.body.type || "application/octet-stream";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }

  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: "same-origin", signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw toApiError(error);
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !options.expectUnauthorized) unauthorizedHandler();
    throw new ApiError(asProblem(json, res.status), json);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, o?: RequestOptions) => request<T>("GET", path, o),
  post: <T>(path: string, body?: unknown, o?: RequestOptions) => request<T>("POST", path, { ...o, body }),
  put: <T>(path: string, body?: unknown, o?: RequestOptions) => request<T>("PUT", path, { ...o, body }),
  patch: <T>(path: string, body?: unknown, o?: RequestOptions) => request<T>("PATCH", path, { ...o, body }),
  delete: <T>(path: string, o?: RequestOptions) => request<T>("DELETE", path, o),
};
