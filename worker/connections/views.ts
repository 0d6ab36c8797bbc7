import type { Connection } from "../contracts/connections";
import type { connections } from "../db/schema";
import { avatarUrl } from "../http/urls";

type Row = typeof connections.$inferSelect;
type Connector = { id: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null } | null;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A connection as the API shows it: never a token, sealed or not. */
export function toConnection(row: Row, connector: Connector): Connection {
  return {
    id: row.id,
    platform: row.platform as Connection["platform"],
    kind: row.kind as Connection["kind"],
    externalId: row.externalId,
    name: row.name,
    handle: row.handle,
    avatarUrl: row.avatarUrl,
    status: row.status,
    statusReason: row.statusReason,
    tokenExpiresAt: iso(row.tokenExpiresAt),
    scopes: row.scopes,
    connectedBy: connector ? { id: connector.id, name: connector.name, avatarUrl: avatarUrl(connector) } : null,
    connectedAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
