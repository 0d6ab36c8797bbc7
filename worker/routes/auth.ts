import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { LoginBody, Me, SignupBody } from "../contracts/auth";
import { hitRateLimit } from "../db/queries/rate-limits";
import { newSessionInsert, revokeSession } from "../db/queries/sessions";
import { findUserByEmail } from "../db/queries/users";
import { users } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { ProblemError } from "../http/problems";
import { clientIp, userAgent } from "../http/request-context";
import { authenticate, clearSessionCookie, issueSessionCookie } from "../http/session";
import { newRouter } from "../http/router";
import { newId } from "../security/ids";
import { decoyPasswordHash, hashPassword, verifyPassword } from "../security/password";
import { toMe } from "./me-view";

/** Attempts per minute, per client IP and per email address, for signup and login alike. */
export const AUTH_ATTEMPTS_PER_MINUTE = 10;
const MINUTE = 60_000;

async function enforceAuthRateLimit(c: Context<AppEnv>, action: "login" | "signup", email: string): Promise<void> {
  const now = c.var.clock();
  const ip = clientIp(c.req.raw.headers) ?? "unknown";
  for (const key of [`${action}:ip:${ip}`, `${action}:email:${email}`]) {
    const result = await hitRateLimit(c.var.db, key, AUTH_ATTEMPTS_PER_MINUTE, MINUTE, now);
    if (!result.allowed) {
      throw new ProblemError("rate-limited", `Too many attempts. Wait ${result.retryAfterSeconds} seconds and try again.`, {
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    }
  }
}

/** Rotation: signing in replaces whatever session this browser already had. */
async function revokeCurrentSession(c: Context<AppEnv>): Promise<void> {
  const existing = await authenticate(c);
  if (existing) await revokeSession(c.var.db, existing.sessionId, c.var.clock());
}

const signup = createRoute({
  method: "post",
  path: "/signup",
  tags: ["auth"],
  summary: "Create an account and sign in",
  request: { body: jsonBody(SignupBody) },
  responses: { 201: jsonContent(Me, "The new account; the response sets the session cookie."), 400: problems[400], 403: problems[403], 409: problems[409], 429: problems[429] },
});

const login = createRoute({
  method: "post",
  path: "/login",
  tags: ["auth"],
  summary: "Sign in with email and password",
  request: { body: jsonBody(LoginBody) },
  responses: { 200: jsonContent(Me, "Signed in; the response sets a new session cookie."), 400: problems[400], 401: problems[401], 403: problems[403], 429: problems[429] },
});

const logout = createRoute({
  method: "post",
  path: "/logout",
  tags: ["auth"],
  summary: "Sign out: the session ends at once, on the server too",
  responses: { ...noContent, 403: problems[403] },
});

export const authRoutes = newRouter()
  .openapi(signup, async (c) => {
    const body = c.req.valid("json");
    await enforceAuthRateLimit(c, "signup", body.email);
    if (await findUserByEmail(c.var.db, body.email)) {
      throw new ProblemError("conflict", "An account with this email already exists. Sign in instead, or reset your password.", {
        errors: [{ path: "email", message: "This email is already registered." }],
      });
    }
    const now = c.var.clock();
    const id = newId();
    const passwordHash = await hashPassword(body.password);
    const meta = { ip: clientIp(c.req.raw.headers), userAgent: userAgent(c.req.raw.headers) };
    const session = newSessionInsert(c.var.db, id, now, meta);
    await revokeCurrentSession(c);
    try {
      await c.var.db.batch([
        c.var.db.insert(users).values({ id, email: body.email, name: body.name, passwordHash, createdAt: now, updatedAt: now }),
        session.statement,
        audit(c, { action: "user.signed_up", actorId: id, targetType: "user", targetId: id }),
      ]);
    } catch (error) {
      // Two signups for one email at the same moment: the unique index lets exactly one through.
      if (String(error).includes("UNIQUE")) throw new ProblemError("conflict", "An account with this email already exists.", { errors: [{ path: "email", message: "This email is already registered." }] });
      throw error;
    }
    await issueSessionCookie(c, id, session.id);
    return c.json(toMe({ id, email: body.email, name: body.name, avatarKey: null, avatarUpdatedAt: null, createdAt: now }), 201);
  })
  .openapi(login, async (c) => {
    const body = c.req.valid("json");
    await enforceAuthRateLimit(c, "login", body.email);
    const user = await findUserByEmail(c.var.db, body.email);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await decoyPasswordHash()));
    if (!user || !ok) {
      await audit(c, { action: "user.login_failed", actorId: user?.id ?? undefined, detail: { email: body.email } });
      throw new ProblemError("invalid-credentials", "The email or password is incorrect. Check both and try again.");
    }
    await revokeCurrentSession(c);
    const now = c.var.clock();
    const session = newSessionInsert(c.var.db, user.id, now, { ip: clientIp(c.req.raw.headers), userAgent: userAgent(c.req.raw.headers) });
    await c.var.db.batch([session.statement, audit(c, { action: "user.logged_in", actorId: user.id, targetType: "session", targetId: session.id })]);
    await issueSessionCookie(c, user.id, session.id);
    return c.json(toMe(user), 200);
  })
  .openapi(logout, async (c) => {
    const auth = await authenticate(c);
    if (auth) {
      await c.var.db.batch([
        revokeSession(c.var.db, auth.sessionId, c.var.clock()),
        audit(c, { action: "user.logged_out", actorId: auth.user.id, targetType: "session", targetId: auth.sessionId }),
      ]);
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });
