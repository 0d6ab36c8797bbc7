import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { findActiveSession, touchSession } from "../db/queries/sessions";
import { SESSION_TTL_MS, signSessionToken, verifySessionToken } from "../security/session-token";
import { secrets } from "../config";
import type { AppEnv } from "./app-env";
import { ProblemError } from "./problems";

const SECURE_COOKIE = "__Host-atelier_session";
const PLAIN_COOKIE = "atelier_session";

/**
 * Over HTTPS the cookie takes the `__Host-` prefix (Secure, no Domain, Path=/). Plain-HTTP local
 * development cannot set Secure cookies on every browser, so it uses an unprefixed name.
 */
function cookieName(url: string): string {
  return new URL(url).protocol === "https:" ? SECURE_COOKIE : PLAIN_COOKIE;
}

export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, cookieName(c.req.url));
}

export function readSessionCookieFromHeaders(url: string, headers: Headers): string | undefined {
  const name = cookieName(url);
  for (const part of (headers.get("Cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

export async function issueSessionCookie(c: Context<AppEnv>, userId: string, sessionId: string): Promise<void> {
  const token = await signSessionToken(secrets(c.env).SESSION_SECRET, { sub: userId, sid: sessionId }, c.var.clock());
  const secure = new URL(c.req.url).protocol === "https:";
  setCookie(c, cookieName(c.req.url), token, {
    httpOnly: true,
    secure,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const secure = new URL(c.req.url).protocol === "https:";
  deleteCookie(c, cookieName(c.req.url), { path: "/", secure, ...(secure ? { prefix: "host" as const } : {}) });
}

const unauthenticated = () => new ProblemError("unauthenticated", "Sign in to continue. Your session has ended or was never started.");

/**
 * Resolves the caller from the session cookie. The JWT proves which session is meant; the D1 row
 * decides whether it is still alive, so logout and password changes take effect on the next request.
 * An authentic but expired JWT whose session is alive is re-issued (sliding renewal).
 */
export async function authenticate(c: Context<AppEnv>): Promise<AppEnv["Variables"]["auth"] | null> {
  const token = readSessionCookie(c);
  if (!token) return null;
  const now = c.var.clock();
  const verified = await verifySessionToken(secrets(c.env).SESSION_SECRET, token, now);
  if (verified.status === "invalid") return null;
  const found = await findActiveSession(c.var.db, verified.claims.sid, verified.claims.sub, now);
  if (!found) return null;
  if (verified.status === "expired") await issueSessionCookie(c, found.user.id, found.sessionId);
  if (now - found.lastSeenAt > 5 * 60 * 1000) c.executionCtx.waitUntil(touchSession(c.var.db, found.sessionId, now));
  return { user: found.user, sessionId: found.sessionId };
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const auth = await authenticate(c);
  if (!auth) {
    if (readSessionCookie(c)) clearSessionCookie(c);
    throw unauthenticated();
  }
  c.set("auth", auth);
  await next();
});
