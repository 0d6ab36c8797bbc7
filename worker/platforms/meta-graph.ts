import { z } from "zod";
import { credentialSecretNames } from "./credentials";
import { isNetworkFailure, type HttpResult, type NetworkFailure, type PlatformHttp } from "./http";
import { fail, ok, parseBody, retryAfter } from "./oauth";
import type { ConnectionAdapter, Outcome, PlatformFailure } from "./types";

/** The Graph API version every Meta adapter calls. Bump it here and nowhere else. */
export const GRAPH_VERSION = "v23.0";
export const GRAPH = `https://graph.facebook.com/${GRAPH_VERSION}`;

/** Who is calling Graph: the name used in sentences and the credentials pair to blame for client errors. */
export type GraphCaller = { http: PlatformHttp; name: string; credentialsKey: ConnectionAdapter["credentialsKey"] };

/** The envelope every Meta Graph host (Facebook, Instagram, Threads) uses for errors. */
const GraphErrorEnvelope = z.object({
  error: z.object({
    message: z.string().default(""),
    type: z.string().optional(),
    code: z.coerce.number().int(),
    error_subcode: z.coerce.number().int().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Why a token stopped working, by code-190 subcode, in words. */
const TOKEN_REASONS: Record<number, string> = {
  458: "Atelier was removed from the account's apps",
  459: "the account is locked until its owner logs in and completes a security check",
  460: "the password was changed (or Meta ended the session for security reasons)",
  463: "the access has expired",
  464: "the account has not been confirmed yet",
  467: "the access token is no longer valid",
  492: "the session is no longer valid (the person may have lost their role on the Page)",
};

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009]);
const PERMISSION_NAME = /\b(pages_[a-z_]+|instagram_[a-z_]+|threads_[a-z_]+|business_management|read_insights|ads_management|ads_read|publish_video)\b/;

/** Graph errors (and transport failures) → refresh/reauth/retry/fatal with a sentence a person understands. */
export function classifyGraphError(caller: Omit<GraphCaller, "http">, result: HttpResult | NetworkFailure): PlatformFailure {
  const name = caller.name;
  if (isNetworkFailure(result)) return { kind: "retry", message: `${name} could not be reached (${result.networkError}). Try again in a moment.` };
  const parsed = GraphErrorEnvelope.safeParse(result.json);
  const status = result.status;
  if (!parsed.success) {
    if (status === 429) return { kind: "retry", status, message: `${name} is rate limiting requests. Try again in a minute.`, retryAfterSeconds: retryAfter(result) };
    if (status >= 500) return { kind: "retry", status, message: `${name} had a temporary problem (HTTP ${status}). Try again in a moment.` };
    return { kind: "fatal", status, message: `${name} refused the request (HTTP ${status}) without saying why.` };
  }
  const e = parsed.data.error;
  const platformCode = e.error_subcode === undefined ? String(e.code) : `${e.code}/${e.error_subcode}`;
  const said = (e.error_user_msg ?? e.message).trim().replace(/[.!?]+$/, "");
  const quote = said ? ` ${name} said: “${said}”.` : "";
  const base = { status, platformCode };
  const [appIdName, secretName] = credentialSecretNames(caller.credentialsKey);

  if (e.code === 190 || e.code === 102) {
    const reason = (e.error_subcode !== undefined ? TOKEN_REASONS[e.error_subcode] : undefined) ?? "the access token is no longer valid";
    return { ...base, kind: "reauth", message: `${name} no longer accepts Atelier's access because ${reason}. Connect the account again.` };
  }
  if (e.code === 101 || (e.code === 1 && /client secret|application/i.test(e.message))) {
    const what = e.code === 101 ? "app id" : "app secret";
    return { ...base, kind: "fatal", message: `${name} rejected Atelier's ${what}. An administrator must check the ${appIdName} and ${secretName} settings.${quote}` };
  }
  if (RATE_LIMIT_CODES.has(e.code)) {
    const seconds = regainAccessSeconds(result) ?? retryAfter(result);
    const when = seconds ? `in about ${Math.max(1, Math.ceil(seconds / 60))} minute${seconds > 60 ? "s" : ""}` : "in a few minutes";
    return { ...base, kind: "retry", retryAfterSeconds: seconds, message: `${name} is limiting how often Atelier may call it. Try again ${when}.` };
  }
  if (e.code === 1 || e.code === 2 || e.is_transient === true || status >= 500) {
    return { ...base, kind: "retry", message: `${name} had a temporary problem. Try again in a moment.${quote}` };
  }
  if (e.code === 10 || (e.code >= 200 && e.code <= 299)) {
    const permission = PERMISSION_NAME.exec(e.message)?.[1];
    return permission
      ? { ...base, kind: "reauth", message: `${name} says Atelier is missing the permission “${permission}”. Connect the account again and leave that permission ticked.` }
      : { ...base, kind: "reauth", message: `${name} says Atelier is not allowed to do this. Connect the account again and allow every permission Atelier asks for.${quote}` };
  }
  // Authorization-code problems (subcodes as commonly reported by Graph clients, unverified).
  if (e.code === 100 && (e.error_subcode === 36007 || e.error_subcode === 36009)) {
    return { ...base, kind: "reauth", message: `${name} says this sign-in was already used or has expired. Start connecting the account again.` };
  }
  if (e.code === 100 && e.error_subcode === 36008) {
    return { ...base, kind: "fatal", message: `${name} rejected the sign-in because the return address differs from the one it started with. An administrator must check Atelier's callback URL.` };
  }
  if (e.code === 368) return { ...base, kind: "fatal", message: `${name} has temporarily blocked this action for a policy reason.${quote}` };
  if (e.code === 100) return { ...base, kind: "fatal", message: `${name} rejected the request as invalid.${quote}` };
  return { ...base, kind: "fatal", message: `${name} refused the request (error ${platformCode}).${quote}` };
}

/** The longest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`, in seconds. */
function regainAccessSeconds(result: HttpResult): number | undefined {
  const header = result.headers.get("x-business-use-case-usage");
  if (!header) return undefined;
  const Usage = z.record(z.string(), z.array(z.object({ estimated_time_to_regain_access: z.coerce.number().optional() }).loose()));
  let raw: unknown;
  try {
    raw = JSON.parse(header);
  } catch {
    return undefined;
  }
  const usage = Usage.safeParse(raw);
  if (!usage.success) return undefined;
  const minutes = Math.max(0, ...Object.values(usage.data).flat().map((u) => u.estimated_time_to_regain_access ?? 0));
  return minutes > 0 ? minutes * 60 : undefined;
}

/** One Graph call with a user or Page token in the Authorization header; the body is parsed with `schema`. */
export async function graphCall<T extends z.ZodType>(caller: GraphCaller, url: string, schema: T, options: { token?: string; method?: string } = {}): Promise<Outcome<z.infer<T>>> {
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const result = await caller.http.request(url, { method: options.method ?? "GET", headers });
  if (isNetworkFailure(result) || result.status < 200 || result.status >= 300) return fail(classifyGraphError(caller, result));
  return parseBody(caller.name, schema, result);
}

const Paging = z.object({ next: z.string().optional() }).loose();

/**
 * Every item of a Graph list, following `paging.next` for at most `maxPages` pages. `next` is only
 * followed on the host of the first request, since it carries the access token.
 */
export async function graphList<T extends z.ZodType>(caller: GraphCaller, url: string, item: T, options: { token: string; maxPages?: number }): Promise<Outcome<z.infer<T>[]>> {
  const page = z.object({ data: z.array(item), paging: Paging.optional() });
  const host = new URL(url).host;
  const items: z.infer<T>[] = [];
  let next: string | undefined = url;
  for (let n = 0; next && n < (options.maxPages ?? 20); n++) {
    const result: Outcome<z.infer<typeof page>> = await graphCall(caller, next, page, { token: options.token });
    if (!result.ok) return result;
    items.push(...result.value.data);
    next = result.value.paging?.next;
    if (next && new URL(next).host !== host) next = undefined;
  }
  return ok(items);
}

export const GraphSuccess = z.object({ success: z.boolean() });
