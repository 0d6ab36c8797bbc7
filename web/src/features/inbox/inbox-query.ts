import type { ConversationStatus } from "../../../../worker/inbox/states.ts";

/** What the list is narrowed to; `assignee` is "me", "none", a member's id, or null for anyone. */
export interface InboxFilters {
  channel: string | null;
  status: ConversationStatus | null;
  assignee: string | null;
  unread: boolean;
  q: string;
}

export const DEFAULT_FILTERS: InboxFilters = { channel: null, status: "open", assignee: null, unread: false, q: "" };

/** The server refuses longer searches (ConversationQuery.q); cut rather than fail while typing. */
const MAX_SEARCH = 200;

/** Query parameters for `GET …/inbox/conversations`, with unset filters left out. */
export function filtersToQuery(filters: InboxFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.channel) query.channel = filters.channel;
  if (filters.status) query.status = filters.status;
  if (filters.assignee) query.assignee = filters.assignee;
  if (filters.unread) query.unread = "true";
  const q = filters.q.trim().slice(0, MAX_SEARCH);
  if (q) query.q = q;
  return query;
}

export function queryString(filters: InboxFilters): string {
  const params = new URLSearchParams(filtersToQuery(filters));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** True when anything narrows the list (so an empty list says "nothing matches" rather than "empty"). */
export const isFiltered = (filters: InboxFilters): boolean =>
  Boolean(filters.channel || filters.status !== DEFAULT_FILTERS.status || filters.assignee || filters.unread || filters.q.trim());

/** Moves a list selection by `delta`, clamped to the list; from no selection, down starts at the top. */
export function moveSelection(index: number | null, delta: number, length: number): number | null {
  if (length === 0) return null;
  if (index === null) return delta >= 0 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, index + delta));
}
