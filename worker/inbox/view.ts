import type { Conversation, InboxAction, Message, Note } from "../contracts/inbox";
import type { UserSummary } from "../contracts/common";
import type { PlatformId } from "../platforms/types";
import type { conversationNotes, inboxActions, messages } from "../db/schema-inbox";
import { avatarUrl } from "../http/urls";
import { replyWindowEndsAt } from "./actions/eligibility";
import type { ListedConversation, UserRef } from "./queries";

/** D1 rows → the API's contracts (worker/contracts/inbox.ts). */

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function summary(people: Map<string, UserRef>, id: string | null): UserSummary | null {
  const user = id ? people.get(id) : undefined;
  return user ? { id: user.id, name: user.name, avatarUrl: avatarUrl(user) } : null;
}

/** Every id a page of conversations mentions, for one users query. */
export function peopleOfConversations(items: ListedConversation[]): (string | null)[] {
  return items.flatMap((c) => [c.row.assigneeId, c.row.claimedBy]);
}

export function toConversation(item: ListedConversation, people: Map<string, UserRef>): Conversation {
  const { row } = item;
  const windowEnds = replyWindowEndsAt(row);
  return {
    id: row.id,
    connectionId: row.connectionId,
    platform: row.platform as PlatformId,
    kind: row.kind,
    title: row.title,
    participantName: row.participantName,
    permalink: row.permalink,
    postId: item.postId,
    status: row.status,
    assignee: summary(people, row.assigneeId),
    claimedBy: summary(people, row.claimedBy),
    claimedAt: isoOrNull(row.claimedAt),
    tags: row.tags,
    preview: row.preview,
    lastMessageAt: iso(row.lastMessageAt),
    unread: item.unread,
    replyWindowEndsAt: isoOrNull(windowEnds),
  };
}

export function toMessage(row: typeof messages.$inferSelect, people: Map<string, UserRef>): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    externalId: row.externalId,
    parentExternalId: row.parentExternalId,
    direction: row.direction,
    state: row.state,
    authorId: row.authorId,
    authorName: row.authorName,
    text: row.text,
    attachments: row.attachments,
    hidden: row.hidden,
    liked: row.liked,
    sentBy: summary(people, row.sentBy),
    ruleId: row.ruleId,
    at: iso(row.platformAt),
    editedAt: isoOrNull(row.editedAt),
    removedAt: isoOrNull(row.removedAt),
  };
}

export function toNote(row: typeof conversationNotes.$inferSelect, people: Map<string, UserRef>): Note {
  return { id: row.id, conversationId: row.conversationId, author: summary(people, row.authorId), text: row.text, createdAt: iso(row.createdAt) };
}

export function toAction(row: typeof inboxActions.$inferSelect): InboxAction {
  return {
    id: row.id,
    conversationId: row.conversationId,
    messageId: row.messageId,
    outboundMessageId: row.outboundMessageId,
    kind: row.kind,
    text: row.text,
    state: row.state,
    error: row.error,
    createdAt: iso(row.createdAt),
  };
}
