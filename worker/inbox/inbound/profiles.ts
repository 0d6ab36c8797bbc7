import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { openTokens, sealer } from "../../connections/sealing";
import { connections } from "../../db/schema";
import { conversations } from "../../db/schema-inbox";
import { PlatformHttp } from "../../platforms/http";
import { GRAPH, graphCall } from "../../platforms/meta-graph";
import type { Outcome } from "../../platforms/types";
import type { InboxDeps } from "../deps";
import type { NormalizedItem } from "./types";

/**
 * Names for DM threads. Message webhooks carry only the person's page-scoped (PSID) or IG-scoped
 * (IGSID) id, so the person's name comes from Meta's User Profile API with the channel's Page token
 * (meta-auth-and-pages.md, instagram.md). Best effort: any failure keeps the placeholder title and
 * never stops the message from being recorded.
 */

/** A name lookup must not hold the inbound consumer for the 30 s an action may wait. */
const PROFILE_TIMEOUT_MS = 5_000;

const MessengerProfile = z.object({ id: z.string().optional(), name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).loose();
const InstagramProfile = z.object({ id: z.string().optional(), name: z.string().optional(), username: z.string().optional() }).loose();

/**
 * `GET /{psid}?fields=first_name,last_name,name,profile_pic` (Messenger) or `GET /{igsid}?fields=name,username,profile_pic`
 * (Instagram). Messenger may leave `name` out for some people: first and last name are joined then;
 * an Instagram person without a display name goes by their username. Null when Meta knows no name.
 * Unverified: the shared platform notes do not describe the User Profile API; the fields and hosts
 * follow Meta's public docs and the sandbox (sandbox/platforms/meta-inbox-people.ts) answers the same.
 */
export async function fetchProfileName(http: PlatformHttp, platform: "facebook" | "instagram", personId: string, token: string): Promise<Outcome<string | null>> {
  const caller = { http, name: platform === "facebook" ? "Facebook" : "Instagram", credentialsKey: "meta" } as const;
  if (platform === "facebook") {
    const answer = await graphCall(caller, `${GRAPH}/${encodeURIComponent(personId)}?fields=first_name,last_name,name,profile_pic`, MessengerProfile, { token });
    if (!answer.ok) return answer;
    const joined = [answer.value.first_name, answer.value.last_name].filter(Boolean).join(" ");
    return { ok: true, value: answer.value.name?.trim() || joined.trim() || null };
  }
  const answer = await graphCall(caller, `${GRAPH}/${encodeURIComponent(personId)}?fields=name,username,profile_pic`, InstagramProfile, { token });
  if (!answer.ok) return answer;
  return { ok: true, value: answer.value.name?.trim() || answer.value.username?.trim() || null };
}

/** The person's name from the channel's token, or null (logged) when it cannot be had. */
async function lookUpName(deps: InboxDeps, item: NormalizedItem, personId: string): Promise<string | null> {
  if (item.platform !== "facebook" && item.platform !== "instagram") return null; // DMs exist on Meta's platforms only
  const connection = await deps.db.select().from(connections).where(eq(connections.id, item.connectionId)).get();
  if (!connection || connection.status === "disconnected" || connection.status === "needs_reconnect") return null;
  const opened = await openTokens(await sealer(deps.env), connection);
  if (!opened) return null;
  const http = new PlatformHttp((request) => fetch(request), deps.env.SANDBOX_ORIGIN || null, PROFILE_TIMEOUT_MS);
  const answer = await fetchProfileName(http, item.platform, personId, opened.tokens.accessToken);
  if (answer.ok) return answer.value;
  console.warn(`inbox: no name for ${item.platform} person …${personId.slice(-4)} on channel ${item.connectionId}, keeping the placeholder title: ${answer.failure.message}`);
  return null;
}

/**
 * The item with the DM participant's name filled in (conversation key and, for their own messages,
 * the author, so rule templates can greet them by `{first_name}`). The name is looked up only while
 * the thread is new or still has no name; a thread created earlier under the placeholder is renamed
 * here (conditioned on it still having no name, so a concurrent lookup cannot be overwritten).
 */
export async function withParticipantName(deps: InboxDeps, item: NormalizedItem): Promise<NormalizedItem> {
  const key = item.conversation;
  if (key.kind !== "dm") return item;
  const withName = (name: string): NormalizedItem => ({
    ...item,
    conversation: { ...key, participantName: name },
    author: item.direction === "in" && !item.author.name ? { ...item.author, name } : item.author,
  });
  if (key.participantName) return withName(key.participantName);
  try {
    const thread = and(eq(conversations.connectionId, item.connectionId), eq(conversations.kind, "dm"), eq(conversations.externalId, key.participantId));
    const existing = await deps.db.select({ id: conversations.id, participantName: conversations.participantName }).from(conversations).where(thread).get();
    if (existing?.participantName) return withName(existing.participantName);
    const name = await lookUpName(deps, item, key.participantId);
    if (!name) return item;
    if (existing) {
      const renamed = await deps.db
        .update(conversations)
        .set({ participantName: name, title: name, updatedAt: deps.now() })
        .where(and(eq(conversations.id, existing.id), isNull(conversations.participantName)))
        .returning({ id: conversations.id });
      if (renamed.length > 0) await deps.live(item.workspaceId, { kind: "conversation.changed", conversationId: existing.id });
    }
    return withName(name);
  } catch (error) {
    console.warn(`inbox: name lookup failed for channel ${item.connectionId}, keeping the placeholder title: ${error instanceof Error ? error.message : String(error)}`);
    return item;
  }
}
