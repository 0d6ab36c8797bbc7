import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { ChangePasswordBody, Me, UpdateMeBody } from "../contracts/auth";
import { newSessionInsert, revokeOtherSessions, revokeSession } from "../db/queries/sessions";
import { findUserById } from "../db/queries/users";
import { users } from "../db/schema";
import type { AppEnv } from "../http/app-env";
import { audit } from "../http/audit";
import { readImageUpload } from "../http/image-upload";
import { imageBody, jsonBody, jsonContent, noContent, problems } from "../http/openapi";
import { ProblemError } from "../http/problems";
import { clientIp, userAgent } from "../http/request-context";
import { issueSessionCookie, requireAuth } from "../http/session";
import { newRouter } from "../http/router";
import { hashPassword, verifyPassword } from "../security/password";
import { toMe } from "./me-view";

export const avatarKey = (userId: string) => `users/${userId}/avatar`;

const getMe = createRoute({
  method: "get",
  path: "/",
  tags: ["me"],
  summary: "The signed-in user",
  middleware: [requireAuth] as const,
  responses: { 200: jsonContent(Me, "The signed-in user."), 401: problems[401] },
});

const updateMe = createRoute({
  method: "patch",
  path: "/",
  tags: ["me"],
  summary: "Change your name",
  middleware: [requireAuth] as const,
  request: { body: jsonBody(UpdateMeBody) },
  responses: { 200: jsonContent(Me, "The updated user."), 400: problems[400], 401: problems[401], 403: problems[403] },
});

const putAvatar = createRoute({
  method: "put",
  path: "/avatar",
  tags: ["me"],
  summary: "Upload a new avatar (PNG, JPEG, GIF or WebP, at most 2 MB)",
  middleware: [requireAuth] as const,
  request: { body: imageBody },
  responses: { 200: jsonContent(Me, "The user with the new avatar."), 400: problems[400], 401: problems[401], 403: problems[403], 413: problems[413], 415: problems[415] },
});

const deleteAvatar = createRoute({
  method: "delete",
  path: "/avatar",
  tags: ["me"],
  summary: "Remove your avatar",
  middleware: [requireAuth] as const,
  responses: { 200: jsonContent(Me, "The user without an avatar."), 401: problems[401], 403: problems[403] },
});

const changePassword = createRoute({
  method: "post",
  path: "/password",
  tags: ["me"],
  summary: "Change your password; every other session is signed out",
  middleware: [requireAuth] as const,
  request: { body: jsonBody(ChangePasswordBody) },
  responses: { ...noContent, 400: problems[400], 401: problems[401], 403: problems[403] },
});

export const meRoutes = newRouter()
  .openapi(getMe, (c) => c.json(toMe(c.var.auth.user), 200))
  .openapi(updateMe, async (c) => {
    const body = c.req.valid("json");
    const user = c.var.auth.user;
    const now = c.var.clock();
    const name = body.name ?? user.name;
    await c.var.db.batch([
      c.var.db.update(users).set({ name, updatedAt: now }).where(eq(users.id, user.id)),
      audit(c, { action: "user.profile_updated", targetType: "user", targetId: user.id, detail: { fields: Object.keys(body) } }),
    ]);
    return c.json(toMe({ ...user, name }), 200);
  })
  .openapi(putAvatar, async (c) => {
    const image = await readImageUpload(c);
    const user = c.var.auth.user;
    const now = c.var.clock();
    await c.env.MEDIA.put(avatarKey(user.id), image.bytes, { httpMetadata: { contentType: image.type } });
    await c.var.db.batch([
      c.var.db.update(users).set({ avatarKey: avatarKey(user.id), avatarUpdatedAt: now, updatedAt: now }).where(eq(users.id, user.id)),
      audit(c, { action: "user.avatar_changed", targetType: "user", targetId: user.id, detail: { type: image.type, bytes: image.bytes.byteLength } }),
    ]);
    return c.json(toMe({ ...user, avatarKey: avatarKey(user.id), avatarUpdatedAt: now }), 200);
  })
  .openapi(deleteAvatar, async (c) => {
    const user = c.var.auth.user;
    const now = c.var.clock();
    await c.env.MEDIA.delete(avatarKey(user.id));
    await c.var.db.batch([
      c.var.db.update(users).set({ avatarKey: null, avatarUpdatedAt: null, updatedAt: now }).where(eq(users.id, user.id)),
      audit(c, { action: "user.avatar_removed", targetType: "user", targetId: user.id }),
    ]);
    return c.json(toMe({ ...user, avatarKey: null, avatarUpdatedAt: null }), 200);
  })
  .openapi(changePassword, async (c) => {
    const body = c.req.valid("json");
    const { user, sessionId } = c.var.auth;
    const stored = await findUserById(c.var.db, user.id);
    if (!stored || !(await verifyPassword(body.currentPassword, stored.passwordHash))) {
      throw new ProblemError("validation", "Your current password is not correct.", { errors: [{ path: "currentPassword", message: "This is not your current password." }] });
    }
    const now = c.var.clock();
    const passwordHash = await hashPassword(body.newPassword);
    // This device keeps working on a fresh session; every other session (and its cookie) dies now.
    const next = newSessionInsert(c.var.db, user.id, now, { ip: clientIp(c.req.raw.headers), userAgent: userAgent(c.req.raw.headers) });
    await c.var.db.batch([
      c.var.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id)),
      next.statement,
      revokeOtherSessions(c.var.db, user.id, next.id, now),
      audit(c, { action: "user.password_changed", targetType: "user", targetId: user.id, detail: { revokedSessionsExcept: next.id } }),
    ]);
    await revokeSession(c.var.db, sessionId, now);
    await issueSessionCookie(c, user.id, next.id);
    return c.body(null, 204);
  });
