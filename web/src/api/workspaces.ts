import type { Role } from "../../../worker/contracts/common.ts";
import type {
  AuditPage,
  CreatedInvite,
  CreateWorkspaceBody,
  Invite,
  InvitePreview,
  Member,
  UpdateWorkspaceBody,
  Workspace,
} from "../../../worker/contracts/workspaces.ts";
import { api } from "./http.ts";

const ws = (id: string) => `/api/workspaces/${encodeURIComponent(id)}`;

export const workspacesApi = {
  list: async () => (await api.get<{ workspaces: Workspace[] }>("/api/workspaces")).workspaces,
  create: (body: CreateWorkspaceBody) => api.post<Workspace>("/api/workspaces", body),
  get: (id: string) => api.get<Workspace>(ws(id)),
  update: (id: string, body: UpdateWorkspaceBody) => api.patch<Workspace>(ws(id), body),
  remove: (id: string) => api.delete<void>(ws(id)),
  uploadLogo: (id: string, file: Blob) => api.put<Workspace>(`${ws(id)}/logo`, file),
  deleteLogo: (id: string) => api.delete<Workspace>(`${ws(id)}/logo`),
  audit: (id: string, before?: string, limit = 50) => api.get<AuditPage>(`${ws(id)}/audit`, { query: { before, limit } }),
};

export const teamApi = {
  members: async (id: string) => (await api.get<{ members: Member[] }>(`${ws(id)}/members`)).members,
  changeRole: (id: string, userId: string, role: Role) =>
    api.patch<Member>(`${ws(id)}/members/${encodeURIComponent(userId)}`, { role }),
  removeMember: (id: string, userId: string) => api.delete<void>(`${ws(id)}/members/${encodeURIComponent(userId)}`),
  leave: (id: string) => api.post<void>(`${ws(id)}/leave`),
  invites: async (id: string) => (await api.get<{ invites: Invite[] }>(`${ws(id)}/invites`)).invites,
  createInvite: (id: string, body: { role: Exclude<Role, "owner">; email?: string }) =>
    api.post<CreatedInvite>(`${ws(id)}/invites`, body),
  revokeInvite: (id: string, inviteId: string) => api.delete<void>(`${ws(id)}/invites/${encodeURIComponent(inviteId)}`),
};

export const invitesApi = {
  preview: (token: string) =>
    api.get<InvitePreview>(`/api/invites/${encodeURIComponent(token)}`, { expectUnauthorized: true }),
  accept: (token: string) => api.post<Workspace>(`/api/invites/${encodeURIComponent(token)}/accept`),
};

export interface AppConfig {
  sandbox: boolean;
  version: string;
}
export const configApi = {
  get: () => api.get<AppConfig>("/api/config", { expectUnauthorized: true }),
};
