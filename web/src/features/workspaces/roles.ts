import type { Role } from "../../../../worker/contracts/common.ts";

export const ROLE_LABEL: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  editor: "Editor",
  contributor: "Contributor",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTION: Record<Role, string> = {
  owner: "Full control, including billing and deleting the workspace.",
  admin: "Manages members, invites and settings.",
  editor: "Creates, schedules and publishes posts.",
  contributor: "Drafts posts that need approval to publish.",
  viewer: "Sees the calendar and analytics, read-only.",
};

const ORDER: readonly Role[] = ["owner", "admin", "editor", "contributor", "viewer"];

/** Roles the caller may hand out: admins can't create owners; nobody below admin manages roles. */
export function assignableRoles(callerRole: Role): Role[] {
  if (callerRole === "owner") return [...ORDER];
  if (callerRole === "admin") return ORDER.filter((r) => r !== "owner");
  return [];
}

/** Whether the caller may change or remove this member (the server enforces the same rule). */
export function canManageMember(callerRole: Role, callerId: string, member: { userId: string; role: Role }): boolean {
  if (member.userId === callerId) return false;
  if (callerRole === "owner") return true;
  return callerRole === "admin" && member.role !== "owner";
}
