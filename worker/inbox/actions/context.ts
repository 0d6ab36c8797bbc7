import { eq } from "drizzle-orm";
import { openTokens, sealer } from "../../connections/sealing";
import { connections } from "../../db/schema";
import { conversations, messages } from "../../db/schema-inbox";
import { publicOrigin } from "../../publishing/job";
import { credentialsFor } from "../../platforms/credentials";
import { PlatformHttp } from "../../platforms/http";
import type { MetaInboxChannel } from "../../platforms/meta-inbox";
import type { AdapterContext, PlatformFailure } from "../../platforms/types";
import type { InboxDeps } from "../deps";
import type { ActionRow } from "./ledger";

export type ActionRunDeps = InboxDeps & {
  /** This delivery's lease owner id. */
  owner: string;
  random?: () => number;
  /** Platform call timeout (a hang counts as a lost answer after it). */
  platformTimeoutMs?: number;
};

type MessageRow = typeof messages.$inferSelect;
type ConversationRow = typeof conversations.$inferSelect;

export type ActionContext = {
  action: ActionRow;
  conversation: ConversationRow;
  /** The comment or message acted on (null for a DM started without one). */
  target: MessageRow | null;
  /** The message this action writes (reply, private reply, DM). */
  outbound: MessageRow | null;
  channel: MetaInboxChannel;
  ctx: AdapterContext;
};

/**
 * Everything one action needs, read fresh at the moment of use: its rows and the channel's token (the
 * Page token for Facebook, the Instagram account's, which is its Page's, for Instagram), opened here
 * and nowhere else.
 */
export async function loadActionContext(deps: ActionRunDeps, action: ActionRow): Promise<{ ok: true; value: ActionContext } | { ok: false; failure: PlatformFailure }> {
  const { db } = deps;
  const conversation = await db.select().from(conversations).where(eq(conversations.id, action.conversationId)).get();
  if (!conversation) return { ok: false, failure: { kind: "fatal", message: "This conversation no longer exists." } };
  const [connectionRows, targetRows, outboundRows] = await db.batch([
    db.select().from(connections).where(eq(connections.id, conversation.connectionId)),
    db.select().from(messages).where(eq(messages.id, action.messageId ?? "")),
    db.select().from(messages).where(eq(messages.id, action.outboundMessageId ?? "")),
  ]);
  const connection = connectionRows[0];
  if (!connection || connection.status === "disconnected") return { ok: false, failure: { kind: "reauth", message: "This channel was disconnected. Connect it again to answer here." } };
  if (connection.status === "needs_reconnect") return { ok: false, failure: { kind: "reauth", message: connection.statusReason ?? "This channel needs to be reconnected before Atelier can answer on it." } };
  if (connection.platform !== "facebook" && connection.platform !== "instagram") return { ok: false, failure: { kind: "fatal", message: `Atelier cannot answer on ${connection.platform} yet.` } };
  const credentials = credentialsFor(deps.env, "meta");
  if (!credentials) return { ok: false, failure: { kind: "fatal", message: "Meta's app credentials are not configured; an administrator must set them." } };
  const opened = await openTokens(await sealer(deps.env), connection);
  if (!opened) return { ok: false, failure: { kind: "reauth", message: "This channel has no tokens; reconnect it." } };

  const instagram = connection.platform === "instagram";
  const channel: MetaInboxChannel = {
    platform: connection.platform,
    pageId: instagram ? (connection.metadata.pageId ?? connection.externalId) : connection.externalId,
    igUserId: instagram ? (connection.metadata.igUserId ?? connection.externalId) : null,
    accessToken: opened.tokens.accessToken,
  };
  const http = new PlatformHttp((request) => fetch(request), deps.env.SANDBOX_ORIGIN || null, deps.platformTimeoutMs);
  const ctx: AdapterContext = { http, credentials, redirectUri: `${publicOrigin(deps.env)}/oauth/${connection.platform}/callback`, now: deps.now() };
  return { ok: true, value: { action, conversation, target: targetRows[0] ?? null, outbound: outboundRows[0] ?? null, channel, ctx } };
}
