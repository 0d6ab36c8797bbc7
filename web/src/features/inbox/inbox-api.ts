import { ConversationDetail, ConversationList, type ActionBody, type ConversationPatch } from "../../../../worker/contracts/inbox.ts";
import type { z } from "zod";
import { api } from "../../api/http.ts";
import { parseWith } from "../../api/parse.ts";
import { filtersToQuery, type InboxFilters } from "./inbox-query.ts";

const base = (id: string) => `/api/workspaces/${encodeURIComponent(id)}/inbox/conversations`;
const one = (id: string, conversationId: string) => `${base(id)}/${encodeURIComponent(conversationId)}`;

/**
 * The inbox API. Mutations answer with the server's view, but the UI refetches on the live events
 * they cause, so their bodies are not relied on here.
 */
export const inboxApi = {
  list: async (id: string, filters: InboxFilters, cursor?: string, signal?: AbortSignal) =>
    parseWith(ConversationList, await api.get<unknown>(base(id), { query: { ...filtersToQuery(filters), cursor }, signal })),
  detail: async (id: string, conversationId: string, signal?: AbortSignal) =>
    parseWith(ConversationDetail, await api.get<unknown>(one(id, conversationId), { signal })),
  patch: (id: string, conversationId: string, body: z.input<typeof ConversationPatch>) => api.patch<unknown>(one(id, conversationId), body),
  claim: (id: string, conversationId: string, takeOver: boolean) => api.post<unknown>(`${one(id, conversationId)}/claim`, { takeOver }),
  release: (id: string, conversationId: string) => api.delete<unknown>(`${one(id, conversationId)}/claim`),
  addNote: (id: string, conversationId: string, text: string) => api.post<unknown>(`${one(id, conversationId)}/notes`, { text }),
  markRead: (id: string, conversationId: string) => api.post<unknown>(`${one(id, conversationId)}/read`),
  act: (id: string, conversationId: string, body: z.input<typeof ActionBody>) => api.post<unknown>(`${one(id, conversationId)}/actions`, body),
};
