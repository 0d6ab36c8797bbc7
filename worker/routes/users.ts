import { createRoute, z } from "@hono/zod-openapi";
import { Id } from "../contracts/common";
import { findUserById } from "../db/queries/users";
import { shareAWorkspace } from "../db/queries/workspaces";
import type { AppEnv } from "../http/app-env";
import { imageHeaders } from "../http/image-upload";
import { imageResponseDoc, problems } from "../http/openapi";
import { notFound } from "../http/problems";
import { requireAuth } from "../http/session";
import { newRouter } from "../http/router";
import { parseParams } from "../http/validation";

const AvatarParams = z.object({ userId: Id });

const getAvatar = createRoute({
  method: "get",
  path: "/{userId}/avatar",
  tags: ["me"],
  summary: "A user's avatar: your own, or a teammate's from a workspace you share",
  request: { params: AvatarParams },
  responses: { ...imageResponseDoc, 401: problems[401], 404: problems[404] },
});

export const userRoutes = newRouter();
// Binary responses are documented in the registry and served by a plain handler (the typed handler is JSON-only).
userRoutes.openAPIRegistry.registerPath(getAvatar);
userRoutes.get("/:userId/avatar", requireAuth, async (c) => {
  const { userId } = parseParams(AvatarParams, c.req.param());
  const me = c.var.auth.user.id;
  if (userId !== me && !(await shareAWorkspace(c.var.db, me, userId))) throw notFound("This user");
  const user = await findUserById(c.var.db, userId);
  const object = user?.avatarKey ? await c.env.MEDIA.get(user.avatarKey) : null;
  if (!object) throw notFound("This avatar");
  return c.body(object.body, 200, imageHeaders(object));
});
