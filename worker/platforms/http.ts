/**
 * The one HTTP client every adapter uses. Adapters keep the platforms' real hosts in code; when a
 * sandbox origin is configured (local development and tests only), `https://<host>/<path>` becomes
 * `<sandbox>/<host>/<path>`. No retries and no sleeping here: callers decide from the typed result.
 */
export type HttpResult = {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. Never trusted: adapters parse it with zod. */
  json: unknown;
};

/** The request never got an answer: a connection error, or no response within the timeout (`timedOut`). */
export type NetworkFailure = { networkError: string; timedOut?: boolean };

/** How long any platform call may take before it counts as lost (a hang must never hold a lease forever). */
export const DEFAULT_PLATFORM_TIMEOUT_MS = 30_000;

export class PlatformHttp {
  constructor(
    private readonly fetchFn: (request: Request) => Promise<Response>,
    private readonly sandboxOrigin: string | null,
    private readonly timeoutMs: number = DEFAULT_PLATFORM_TIMEOUT_MS,
  ) {}

  /** The URL actually requested (sandbox-rewritten when configured). */
  url(realUrl: string): string {
    if (!this.sandboxOrigin) return realUrl;
    const url = new URL(realUrl);
    return `${this.sandboxOrigin.replace(/\/$/, "")}/${url.host}${url.pathname}${url.search}`;
  }

  /** Browser-facing URLs (authorize pages) go through the same rewrite. */
  browserUrl(realUrl: string): string {
    return this.url(realUrl);
  }

  async request(realUrl: string, init: RequestInit = {}): Promise<HttpResult | NetworkFailure> {
    let response: Response;
    let text: string;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      response = await this.fetchFn(new Request(this.url(realUrl), { ...init, redirect: "manual", signal }));
      text = await response.text();
    } catch (error) {
      const timedOut = signal.aborted;
      return { networkError: timedOut ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : error instanceof Error ? error.message : String(error), ...(timedOut ? { timedOut } : {}) };
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** `application/x-www-form-urlencoded` POST, the shape most token endpoints want. */
  postForm(realUrl: string, fields: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<HttpResult | NetworkFailure> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
    return this.request(realUrl, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } });
  }
}

export function isNetworkFailure(result: HttpResult | NetworkFailure): result is NetworkFailure {
  return "networkError" in result;
}

/** Adds query parameters to a URL, skipping undefined values. */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
