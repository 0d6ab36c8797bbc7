import type { Context } from "hono";

/** A URL with query parameters added (null values skipped), e.g. an OAuth redirect back to the app. */
export function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
}

/** An `application/x-www-form-urlencoded` body, decoded from bytes (workerd warns on `.text()` for non-text types). */
export async function formBody(c: Context): Promise<URLSearchParams> {
  return new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
}
