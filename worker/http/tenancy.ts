import { createMiddleware } from "hono/factory";
import type { Role } from "../contracts/common";
import { findMembership } from "../db/queries/workspaces";
import { hasAtLeast } from "../domain/roles";
import type { AppEnv } from "./app-env";
import { forbidden, notFound } from "./problems";

/**
 * Every `/workspaces/:id/*` route passes here first. A workspace the caller is not a member of
 * answers 404 exactly like one that does not exist, before any handler (and so any write) runs.
 */
export const requireMembership = createMiddleware<AppEnv>(async (c, next) => {
  const workspaceId = c.req.param("id");
  const membership = workspaceId ? await findMembership(c.var.db, workspaceId, c.var.auth.user.id) : undefined;
  if (!workspaceId || !membership) throw notFound("This workspace");
  c.set("membership", membership);
  await next();
});

export function requireRole(current: Role, minimum: Role, detail: string): void {
  if (!hasAtLeast(current, minimum)) throw forbidden(detail);
}
