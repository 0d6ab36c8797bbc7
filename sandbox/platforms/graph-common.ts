import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SandboxEnv } from "../app";
import type { GrantRow, SandboxStore, TokenRow } from "../store/store";

/**
 * What the Meta family's simulated Graph hosts (graph.facebook.com, graph.threads.net) share: the
 * `{error:{message,type,code,error_subcode,fbtrace_id}}` envelope, access-token lookup, `fields=`
 * selection and cursor paging with an absolute `paging.next` on the real host.
 */
type Ctx = Context<SandboxEnv>;

export type GraphErrorSpec = { message: string; code: number; subcode?: number; type?: string; userMsg?: string; status?: number };

export function graphError(c: Ctx, spec: GraphErrorSpec): Response {
  const error: Record<string, unknown> = { message: spec.message, type: spec.type ?? "OAuthException", code: spec.code };
  if (spec.subcode !== undefined) error.error_subcode = spec.subcode;
  if (spec.userMsg) error.error_user_msg = spec.userMsg;
  error.fbtrace_id = `Sbx${crypto.randomUUID().replaceAll("-", "").slice(0, 18)}`;
  return c.json({ error }, (spec.status ?? 400) as ContentfulStatusCode);
}

/** Graph takes parameters from the query string and, for POST/DELETE, a form body too. */
export async function graphParams(c: Ctx): Promise<URLSearchParams> {
  const params = new URL(c.req.url).searchParams;
  const type = c.req.header("content-type") ?? "";
  if (c.req.method !== "GET" && (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data"))) {
    const body = await c.req.parseBody();
    for (const [key, value] of Object.entries(body)) if (typeof value === "string" && !params.has(key)) params.set(key, value);
  }
  return params;
}

/** `Authorization: Bearer|OAuth <token>` or an `access_token` parameter. */
export function tokenOf(c: Ctx, params: URLSearchParams): string | null {
  const header = c.req.header("authorization");
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? params.get("access_token");
}

export type Authenticated = { ok: true; token: TokenRow; grant: GrantRow } | { ok: false; response: Response };

/** Revocation reason that makes a token answer subcode 458 ("user has not authorized application"). */
export const APP_REMOVED = "the user removed the app";

/**
 * Validates an access token the way Graph reports problems: code 190 with subcode 463 (expired),
 * 458 (app removed by the user) or 460 (session invalidated, e.g. password change).
 */
export function checkToken(c: Ctx, store: SandboxStore, platform: string, appId: string, token: string | null): Authenticated {
  if (!token) return { ok: false, response: graphError(c, { code: 2500, message: "An active access token must be used to query information about the current user." }) };
  const checked = store.check(token, "access");
  if (checked.ok && checked.token.platform === platform) return checked;
  if (checked.ok || checked.reason === "unknown") return { ok: false, response: graphError(c, { code: 190, message: "Invalid OAuth access token - Cannot parse access token" }) };
  if (checked.reason === "expired") {
    const when = new Date(store.now()).toUTCString();
    return { ok: false, response: graphError(c, { code: 190, subcode: 463, message: `Error validating access token: Session has expired. The current time is ${when}.` }) };
  }
  const grantId = store.grantOfToken(token);
  const reason = grantId ? store.grant(grantId)?.revoked_reason : null;
  if (reason === APP_REMOVED) return { ok: false, response: graphError(c, { code: 190, subcode: 458, message: `Error validating access token: The user has not authorized application ${appId}.` }) };
  return { ok: false, response: graphError(c, { code: 190, subcode: 460, message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons." }) };
}

/** `fields=id,name,picture.type(large),instagram_business_account{id,username}` → the top-level names. */
export function fieldsOf(params: URLSearchParams, fallback: string[]): Set<string> {
  const raw = params.get("fields");
  if (!raw) return new Set(fallback);
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of raw) {
    if (ch === "{" || ch === "(") depth += 1;
    if (ch === "}" || ch === ")") depth -= 1;
    if (ch === "," && depth === 0) {
      names.push(current);
      current = "";
    } else current += ch;
  }
  names.push(current);
  return new Set(names.map((n) => n.trim().split(/[.{(]/)[0] ?? "").filter(Boolean));
}

/** Keeps only the requested fields (Graph always returns `id`). */
export function pick(node: Record<string, unknown>, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if ((key === "id" || fields.has(key)) && value !== undefined) out[key] = value;
  return out;
}

const cursor = (index: number) => btoa(`sbx_cursor:${index}`).replace(/=+$/, "");
/** The position just after the item an `after` cursor names. */
const startAfter = (value: string | null) => {
  if (!value) return 0;
  try {
    const index = Number(atob(value).replace("sbx_cursor:", ""));
    return Number.isInteger(index) && index >= 0 ? index + 1 : 0;
  } catch {
    return 0;
  }
};

/**
 * `{data, paging:{cursors, next}}`. `next` is an absolute URL on the real host (the app's HTTP client
 * rewrites it to the sandbox) and, as Graph does, carries the access token in its query.
 */
export function paged(c: Ctx, items: Record<string, unknown>[], params: URLSearchParams, token: string): Record<string, unknown> {
  const limit = Math.min(Math.max(Number(params.get("limit") ?? "25") || 25, 1), 100);
  const start = startAfter(params.get("after"));
  const data = items.slice(start, start + limit);
  if (data.length === 0) return { data: [] };
  const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + data.length - 1) } };
  const last = start + data.length - 1;
  if (last + 1 < items.length) {
    const next = new URL(`https://${new URL(c.req.url).pathname.slice(1)}`);
    for (const [key, value] of params) if (key !== "after") next.searchParams.set(key, value);
    next.searchParams.set("access_token", token);
    next.searchParams.set("after", cursor(last));
    paging.next = next.toString();
  }
  return { data, paging };
}
