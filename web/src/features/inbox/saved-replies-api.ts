import { SavedReply, SavedReplyList, type SavedReplyInput, type SavedReplyPatch } from "../../../../worker/contracts/saved-replies.ts";
import { api } from "../../api/http.ts";
import { parseWith } from "../../api/parse.ts";

const base = (id: string) => `/api/workspaces/${encodeURIComponent(id)}/inbox/saved-replies`;

/** Saved replies (worker/routes/saved-replies.ts). */
export const savedRepliesApi = {
  list: async (id: string, signal?: AbortSignal) => parseWith(SavedReplyList, await api.get<unknown>(base(id), { signal })).savedReplies,
  create: async (id: string, body: SavedReplyInput) => parseWith(SavedReply, await api.post<unknown>(base(id), body)),
  patch: async (id: string, replyId: string, body: SavedReplyPatch) => parseWith(SavedReply, await api.patch<unknown>(`${base(id)}/${encodeURIComponent(replyId)}`, body)),
  remove: (id: string, replyId: string) => api.delete<unknown>(`${base(id)}/${encodeURIComponent(replyId)}`),
};
