import type { AuditEntry } from "../../../../worker/contracts/workspaces.ts";

const LABELS: Record<string, string> = {
  "workspace.created": "Created the workspace",
  "workspace.updated": "Changed workspace settings",
  "workspace.logo_updated": "Changed the logo",
  "workspace.logo_deleted": "Removed the logo",
  "member.added": "Added a member",
  "member.joined": "Joined the workspace",
  "member.role_changed": "Changed a member's role",
  "member.removed": "Removed a member",
  "member.left": "Left the workspace",
  "invite.created": "Created an invite",
  "invite.revoked": "Revoked an invite",
  "invite.accepted": "Accepted an invite",
};

function detailText(detail: AuditEntry["detail"]): string {
  if (!detail) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") parts.push(`${k}: ${String(v)}`);
  }
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** A readable sentence for an audit action; unknown actions fall back to their code. */
export function describeAction(entry: AuditEntry): string {
  return (LABELS[entry.action] ?? entry.action.replaceAll(/[._]/g, " ")) + detailText(entry.detail);
}
