import type { Connection, PendingGrant, Platform, PlatformInfo } from "../../../worker/contracts/connections.ts";
import { api } from "./http.ts";

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;
const connection = (id: string, connectionId: string) => `${ws(id)}/connections/${encodeURIComponent(connectionId)}`;
const pending = (id: string, grantId: string) => `${ws(id)}/connections/pending/${encodeURIComponent(grantId)}`;

export const connectionsApi = {
  platforms: async (id: string) => (await api.get<{ platforms: PlatformInfo[] }>(`${ws(id)}/platforms`)).platforms,
  list: async (id: string) => (await api.get<{ connections: Connection[] }>(`${ws(id)}/connections`)).connections,
  /** The platform's consent page to send the browser to; it comes back through /oauth/{platform}/callback. */
  authorize: (id: string, platform: Platform) => api.post<{ url: string }>(`${ws(id)}/connections/${platform}/authorize`),
  reconnect: (id: string, connectionId: string) => api.post<{ url: string }>(`${connection(id, connectionId)}/reconnect`),
  disconnect: (id: string, connectionId: string) => api.delete<void>(connection(id, connectionId)),
  pending: (id: string, grantId: string) => api.get<PendingGrant>(pending(id, grantId)),
  select: async (id: string, grantId: string, externalIds: string[]) =>
    (await api.post<{ connections: Connection[] }>(pending(id, grantId), { externalIds })).connections,
};
