import type { Context } from "hono";
import { findMedia, type MediaRow } from "../db/queries/media";
import { findWorkspace } from "../db/queries/workspaces";
import { hasAtLeast } from "../domain/roles";
import type { AppEnv } from "../http/app-env";
import { forbidden, notFound } from "../http/problems";
import { requireRole } from "../http/tenancy";
import type { WorkspaceLimits } from "./limits";

/** Contributors may add files; viewers only look. */
export function requireUploader(c: Context<AppEnv>): void {
  requireRole(c.var.membership.role, "contributor", "Viewers can browse the media library but not add files to it.");
}

/** Editing and deleting library files is for editors and above. */
export function requireEditor(c: Context<AppEnv>): void {
  requireRole(c.var.membership.role, "editor", "Only editors, admins and owners can change or delete library files.");
}

/** A contributor may finish, describe or abandon a file they added; editors and above any file. */
export function requireOwnerOfFileOrEditor(c: Context<AppEnv>, row: MediaRow): void {
  if (hasAtLeast(c.var.membership.role, "editor")) return;
  if (c.var.membership.role === "contributor" && row.createdBy === c.var.auth.user.id) return;
  throw forbidden("Contributors can only change files they added themselves.");
}

export async function loadMedia(c: Context<AppEnv>, workspaceId: string, mediaId: string) {
  const found = await findMedia(c.var.db, workspaceId, mediaId);
  if (!found) throw notFound("This file");
  return found;
}

export async function loadLimits(c: Context<AppEnv>, workspaceId: string): Promise<WorkspaceLimits> {
  const workspace = await findWorkspace(c.var.db, workspaceId);
  if (!workspace) throw notFound("This workspace");
  return { mediaMaxFileBytes: workspace.mediaMaxFileBytes, mediaQuotaBytes: workspace.mediaQuotaBytes };
}
