import { NotificationList, type Notification } from "../../../worker/contracts/posts.ts";
import { api } from "./http.ts";
import { parseWith } from "./parse.ts";

const base = (id: string) => `/api/workspaces/${encodeURIComponent(id)}/notifications`;

export type NotificationState = "open" | "all";

export const notificationsApi = {
  /** Open ones are those nobody has fixed or dismissed yet; newest first is the server's order. */
  list: async (id: string, state: NotificationState = "open", signal?: AbortSignal): Promise<Notification[]> =>
    parseWith(NotificationList, await api.get<unknown>(base(id), { query: { state }, signal })).notifications,
  dismiss: (id: string, notificationId: string) => api.post<void>(`${base(id)}/${encodeURIComponent(notificationId)}/dismiss`),
};
