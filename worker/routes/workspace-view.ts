import type { Role } from "../contracts/common";
import type { Workspace } from "../contracts/workspaces";
import type { workspaces } from "../db/schema";
import { logoUrl } from "../http/urls";

export function toWorkspace(row: Pick<typeof workspaces.$inferSelect, "id" | "name" | "timezone" | "logoKey" | "logoUpdatedAt" | "createdAt" | "mediaMaxFileBytes" | "mediaQuotaBytes">, role: Role): Workspace {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    logoUrl: logoUrl(row),
    role,
    mediaLimits: { maxFileBytes: row.mediaMaxFileBytes, quotaBytes: row.mediaQuotaBytes },
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
