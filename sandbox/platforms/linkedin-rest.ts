import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SandboxEnv } from "../app";
import type { SandboxStore, TokenCheck } from "../store/store";
import { nextSeq } from "./meta-publish-common";

/**
 * What LinkedIn's `/rest` endpoints share in the sandbox: the Rest.li error envelope, the bearer
 * check, the protocol header, who may act for an author URN, and URN minting.
 */
export type Ctx = Context<SandboxEnv>;
export type Caller = Extract<TokenCheck, { ok: true }>;

/** Rest.li error body `{status, serviceErrorCode, code, message}` (linkedin.md §9). */
export function restError(c: Ctx, status: ContentfulStatusCode, code: string, message: string, serviceErrorCode?: number): Response {
  return c.json({ status, ...(serviceErrorCode !== undefined ? { serviceErrorCode } : {}), code, message }, status);
}

/** Bearer check with LinkedIn's 401 bodies (65601 REVOKED is corroborated by clients; the expired code is unverified). */
export function bearer(c: Ctx): Caller | Response {
  const token = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
  const check = c.var.store.check(token, "access");
  if (check.ok && check.grant.platform === "linkedin") return check;
  if (!check.ok && check.reason === "revoked") return restError(c, 401, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user", 65601);
  if (!check.ok && check.reason === "expired") return restError(c, 401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", 65602);
  return restError(c, 401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600);
}

/**
 * The content endpoints are Rest.li 2.0 only. What LinkedIn answers without `X-Restli-Protocol-Version:
 * 2.0.0` is unverified (1.0 URN encoding would misparse the body); the sandbox refuses with a 400.
 */
export async function requireProtocol2(c: Ctx): Promise<Response | null> {
  if (c.req.header("x-restli-protocol-version") === "2.0.0") return null;
  await drain(c);
  return restError(c, 400, "BAD_REQUEST", "This resource requires the header X-Restli-Protocol-Version: 2.0.0", 100);
}

export const memberUrn = (caller: Caller) => `urn:li:person:${caller.token.subject ?? ""}`;

/**
 * Whether the token may write as `author`: its own member URN with `w_member_social`, or an
 * organization the member administers (ADMINISTRATOR in the sandbox's ACL = the grant's assets) with
 * `w_organization_social` (linkedin.md §12). Reading the posts of an author is checked by `mayRead`.
 */
export function mayWrite(caller: Caller, author: string): boolean {
  if (author === memberUrn(caller)) return caller.grant.scopes.includes("w_member_social");
  const org = /^urn:li:organization:(\d+)$/.exec(author)?.[1];
  return org !== undefined && caller.grant.assets.includes(org) && caller.grant.scopes.includes("w_organization_social");
}

/**
 * Listing an author's posts. LinkedIn documents `r_organization_social` for organizations and the
 * restricted `r_member_social` for members; whether `w_member_social` alone lets a member list their own
 * posts is unverified. The sandbox accepts either for members, so reconciliation can be exercised, and
 * the adapter treats a 403 on the listing as "cannot check".
 */
export function mayRead(caller: Caller, author: string): boolean {
  const scopes = caller.grant.scopes;
  if (author === memberUrn(caller)) return scopes.includes("r_member_social") || scopes.includes("w_member_social");
  const org = /^urn:li:organization:(\d+)$/.exec(author)?.[1];
  return org !== undefined && caller.grant.assets.includes(org) && (scopes.includes("r_organization_social") || scopes.includes("w_organization_social"));
}

/** The 403 LinkedIn gives when the token cannot act for a resource (message shape as clients quote it). */
export const accessDenied = (c: Ctx, resource: string) => restError(c, 403, "ACCESS_DENIED", `Not enough permissions to access: ${resource}`, 100);

export const unprocessable = (c: Ctx, field: string, message: string) => restError(c, 422, "UNPROCESSABLE_ENTITY", `ERROR :: ${field} :: ${message}`, 100);

/** Asset ids look like `C4E10AQFoyyAjHPMQuQ`: a type prefix and 12 opaque characters. */
export function newAssetId(prefix: "C4E10AQ" | "C5F10AQ"): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  return prefix + Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => alphabet[b % 64]).join("");
}

/** Post URNs: `urn:li:share:` and a 19-digit id. */
export const newShareUrn = (store: SandboxStore) => `urn:li:share:716${String(nextSeq(store)).padStart(16, "0")}`;

/** A JSON body, or null when there is none or it is not an object. */
export async function jsonBody(c: Ctx): Promise<Record<string, unknown> | null> {
  const body = (await c.req.json().catch(() => null)) as unknown;
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

/** A URN from a path segment, whether or not the router already decoded it. */
export function urnParam(raw: string): string {
  try {
    return raw.includes("%") ? decodeURIComponent(raw) : raw;
  } catch {
    return raw;
  }
}

/** Reads a request body that will not be used, so workerd does not report an unread request stream. */
export async function drain(c: Ctx): Promise<void> {
  await c.req.arrayBuffer().catch(() => undefined);
}
