import { z } from "zod";
import { randomBytes, toBase64Url } from "../security/encoding";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import type { Outcome, PlatformFailure, TokenSet } from "./types";

/** PKCE: a 43-character verifier and its S256 challenge. */
export async function newPkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = toBase64Url(randomBytes(32));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge: toBase64Url(digest) };
}

/** The standard OAuth 2.0 token response (RFC 6749 §5.1); platforms add fields, parsed where used. */
export const OAuthTokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive().optional(),
  refresh_token_expires_in: z.coerce.number().int().positive().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

export function tokenSetFrom(body: z.infer<typeof OAuthTokenResponse>, now: number, previousRefresh: string | null = null): TokenSet {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? previousRefresh,
    expiresAt: body.expires_in ? now + body.expires_in * 1000 : null,
    refreshExpiresAt: body.refresh_token_expires_in ? now + body.refresh_token_expires_in * 1000 : null,
  };
}

/** Standard OAuth error bodies (`{error, error_description}`) → what to do, in plain words. */
const OAuthError = z.object({ error: z.string(), error_description: z.string().optional() });

export function classifyOAuthError(platformName: string, result: HttpResult | NetworkFailure): PlatformFailure {
  if (isNetworkFailure(result)) return { kind: "retry", message: `${platformName} could not be reached (${result.networkError}). Try again in a moment.` };
  if (result.status === 429) return { kind: "retry", status: 429, message: `${platformName} is rate limiting requests. Try again in a minute.`, retryAfterSeconds: retryAfter(result) };
  if (result.status >= 500) return { kind: "retry", status: result.status, message: `${platformName} had a temporary problem (HTTP ${result.status}). Try again in a moment.` };
  const parsed = OAuthError.safeParse(result.json);
  const code = parsed.success ? parsed.data.error : undefined;
  const said = parsed.success && parsed.data.error_description ? ` ${platformName} said: “${parsed.data.error_description}”` : "";
  switch (code) {
    case "invalid_grant":
      return { kind: "reauth", status: result.status, platformCode: code, message: `${platformName} no longer accepts this authorization (it expired, was revoked or was already used). Connect the account again.${said}` };
    case "invalid_client":
    case "unauthorized_client":
      return { kind: "fatal", status: result.status, platformCode: code, message: `${platformName} rejected Atelier's app credentials. An administrator must check the ${platformName} client id and secret.${said}` };
    case "access_denied":
      return { kind: "reauth", status: result.status, platformCode: code, message: `Access to ${platformName} was denied.${said}` };
    default:
      return { kind: "fatal", status: result.status, platformCode: code, message: `${platformName} refused the request (HTTP ${result.status}${code ? `, ${code}` : ""}).${said}` };
  }
}

export function retryAfter(result: HttpResult): number | undefined {
  const value = Number(result.headers.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Parses a successful JSON body with a schema, turning surprises into a `fatal` outcome instead of a crash. */
export function parseBody<T extends z.ZodType>(platformName: string, schema: T, result: HttpResult): Outcome<z.infer<T>> {
  const parsed = schema.safeParse(result.json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, failure: { kind: "fatal", status: result.status, message: `${platformName} answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}).` } };
}

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (failure: PlatformFailure): Outcome<never> => ({ ok: false, failure });
