import { ROLES, type Role } from "../contracts/common";

const rank = (role: Role) => ROLES.length - ROLES.indexOf(role);

/** True when `role` is `minimum` or more powerful (owner > admin > editor > contributor > viewer). */
export function hasAtLeast(role: Role, minimum: Role): boolean {
  return rank(role) >= rank(minimum);
}

export function canManageMembers(role: Role): boolean {
  return hasAtLeast(role, "admin");
}

/**
 * Why `actor` may not give `target` the role `next`, or null when allowed. Owners can do anything;
 * admins manage everyone below owner and cannot create, demote or remove owners.
 */
export function roleChangeRefusal(actor: Role, target: Role, next: Role): string | null {
  if (!canManageMembers(actor)) return "Only owners and admins can change roles.";
  if (actor !== "owner" && (target === "owner" || next === "owner")) return "Only an owner can change an owner's role or make someone an owner.";
  return null;
}

export function removalRefusal(actor: Role, target: Role): string | null {
  if (!canManageMembers(actor)) return "Only owners and admins can remove members.";
  if (actor !== "owner" && target === "owner") return "Only an owner can remove another owner.";
  return null;
}

export function inviteRefusal(actor: Role): string | null {
  return canManageMembers(actor) ? null : "Only owners and admins can invite people.";
}
