import { z } from "zod";
import { isNetworkFailure, withQuery, type HttpResult, type NetworkFailure } from "./http";
import { GRAPH } from "./meta-graph";
import { graphTime, isGone, metaSend, type MetaAnswer } from "./meta-publish-http";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * The inbox's outbound calls to Facebook Pages and Instagram (meta-auth-and-pages.md §4, §6;
 * instagram.md §3, §4), all with the Page token (Instagram through Facebook Login rides on its Page).
 * Like every adapter, these only call and classify: the action ledger decides what to repeat.
 */
export type MetaInboxPlatform = "facebook" | "instagram";
export type MetaInboxChannel = { platform: MetaInboxPlatform; pageId: string; igUserId: string | null; accessToken: string };

/**
 * `done` with the platform's id (replies and messages) or null (likes, hides, deletes); `failed` when
 * the platform answered no; `uncertain` when no answer came (or a 5xx): the call may have acted.
 */
export type InboxCallResult = { kind: "done"; remoteId: string | null } | { kind: "failed"; failure: PlatformFailure } | { kind: "uncertain"; failure: PlatformFailure; detail: string };

const nameOf = (channel: MetaInboxChannel) => (channel.platform === "instagram" ? "Instagram" : "Facebook");
const Created = z.object({ id: z.string().min(1) });
const Sent = z.object({ recipient_id: z.string().optional(), message_id: z.string().min(1) });
const Success = z.object({ success: z.boolean().optional() }).loose();

/** Messaging-specific Graph errors (§6) read before the general classification. */
function messagingFailure(name: string, raw: HttpResult | NetworkFailure, privateReply: boolean): PlatformFailure | null {
  if (isNetworkFailure(raw)) return null;
  const error = (raw.json as { error?: { code?: unknown; error_subcode?: unknown } } | undefined)?.error;
  const code = Number(error?.code);
  const subcode = Number(error?.error_subcode);
  if (code === 10 && subcode === 2018278 && privateReply) {
    return { kind: "fatal", status: raw.status, platformCode: "10/2018278", message: `${name} refused the private reply: Meta allows one private reply per comment, within 7 days of it.` };
  }
  if (code === 10 && subcode === 2018278) {
    return { kind: "fatal", status: raw.status, platformCode: "10/2018278", message: `${name} refused the message because the person's last message is more than 24 hours old; Meta allows replies only within 24 hours of it.` };
  }
  if (code === 551) return { kind: "fatal", status: raw.status, platformCode: "551", message: `${name} says this person is not available to receive messages right now.` };
  return null;
}

function outcome<T>(channel: MetaInboxChannel, answer: MetaAnswer<T>, remoteId: (value: T) => string | null, privateReply = false): InboxCallResult {
  if (answer.ok) return { kind: "done", remoteId: remoteId(answer.value) };
  const failure = messagingFailure(nameOf(channel), answer.raw, privateReply) ?? answer.failure;
  if (answer.uncertain) {
    const why = isNetworkFailure(answer.raw) ? answer.raw.networkError : `HTTP ${answer.raw.status}`;
    return { kind: "uncertain", failure, detail: `${nameOf(channel)} did not confirm the request (${why}).` };
  }
  return { kind: "failed", failure };
}

/** A public reply under a comment: Facebook `POST /{comment}/comments`, Instagram `POST /{comment}/replies`. */
export async function replyToComment(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string, text: string): Promise<InboxCallResult> {
  const edge = channel.platform === "instagram" ? "replies" : "comments";
  const answer = await metaSend(ctx, nameOf(channel), `${GRAPH}/${commentId}/${edge}`, Created, { token: channel.accessToken, form: { message: text } });
  return outcome(channel, answer, (v) => v.id);
}

/** Facebook only (Instagram's API has no like for comments): `POST|DELETE /{comment}/likes`. */
export async function setCommentLiked(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string, liked: boolean): Promise<InboxCallResult> {
  const answer = await metaSend(ctx, nameOf(channel), `${GRAPH}/${commentId}/likes`, Success, { token: channel.accessToken, method: liked ? "POST" : "DELETE" });
  return outcome(channel, answer, () => null);
}

/** Facebook `POST /{comment} is_hidden=…`, Instagram `POST /{comment} hide=…`. */
export async function setCommentHidden(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string, hidden: boolean): Promise<InboxCallResult> {
  const field = channel.platform === "instagram" ? "hide" : "is_hidden";
  const answer = await metaSend(ctx, nameOf(channel), `${GRAPH}/${commentId}`, Success, { token: channel.accessToken, form: { [field]: String(hidden) } });
  return outcome(channel, answer, () => null);
}

/** `DELETE /{comment}`; a comment that is already gone counts as deleted. */
export async function deleteComment(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string): Promise<InboxCallResult> {
  const answer = await metaSend(ctx, nameOf(channel), `${GRAPH}/${commentId}`, Success, { token: channel.accessToken, method: "DELETE" });
  if (!answer.ok && isGone(answer.raw)) return { kind: "done", remoteId: null };
  return outcome(channel, answer, () => null);
}

/**
 * A Send API call on the Page (`POST /{page}/messages`, JSON body): a private reply names the comment
 * (`recipient.comment_id`), a DM the person's page-scoped id. Instagram DMs and private replies go
 * through the linked Page the same way on the Facebook-Login path (instagram.md §4; the exact node for
 * Instagram, Page vs IG user, is marked unverified there).
 */
export async function sendMessage(ctx: AdapterContext, channel: MetaInboxChannel, recipient: { commentId: string } | { personId: string }, text: string): Promise<InboxCallResult> {
  const body = "commentId" in recipient ? { recipient: { comment_id: recipient.commentId }, message: { text } } : { recipient: { id: recipient.personId }, messaging_type: "RESPONSE", message: { text } };
  const answer = await metaSend(ctx, nameOf(channel), `${GRAPH}/${channel.pageId}/messages`, Sent, {
    token: channel.accessToken,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return outcome(channel, answer, (v) => v.message_id, "commentId" in recipient);
}

const FacebookReply = z.object({ id: z.string(), message: z.string().optional(), created_time: z.string().optional(), from: z.object({ id: z.string() }).loose().optional() });
const InstagramReply = z.object({ id: z.string(), text: z.string().optional(), timestamp: z.string().optional(), from: z.object({ id: z.string() }).loose().optional(), username: z.string().optional() });

export type CommentProbe = { kind: "found"; remoteId: string } | { kind: "absent" } | { kind: "failed"; failure: PlatformFailure };

/**
 * After a lost answer: is our reply under the comment? Matched by exact text, author (the Page or the
 * IG account) and a creation time at or after the commit marker (less a minute of clock skew).
 */
export async function findOurReply(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string, text: string, since: number): Promise<CommentProbe> {
  const ours = channel.platform === "instagram" ? channel.igUserId : channel.pageId;
  const earliest = since - 60_000;
  if (channel.platform === "instagram") {
    const url = withQuery(`${GRAPH}/${commentId}/replies`, { fields: "id,text,timestamp,username,from", limit: "50" });
    const answer = await metaSend(ctx, "Instagram", url, z.object({ data: z.array(InstagramReply) }), { token: channel.accessToken });
    if (!answer.ok) return { kind: "failed", failure: answer.failure };
    const hit = answer.value.data.find((r) => r.text === text && (!r.from || r.from.id === ours) && (graphTime(r.timestamp) ?? earliest) >= earliest);
    return hit ? { kind: "found", remoteId: hit.id } : { kind: "absent" };
  }
  const url = withQuery(`${GRAPH}/${commentId}/comments`, { fields: "id,message,created_time,from", order: "reverse_chronological", limit: "50" });
  const answer = await metaSend(ctx, "Facebook", url, z.object({ data: z.array(FacebookReply) }), { token: channel.accessToken });
  if (!answer.ok) return { kind: "failed", failure: answer.failure };
  const hit = answer.value.data.find((r) => r.message === text && (!r.from || r.from.id === ours) && (graphTime(r.created_time) ?? earliest) >= earliest);
  return hit ? { kind: "found", remoteId: hit.id } : { kind: "absent" };
}

export type HiddenProbe = { kind: "state"; hidden: boolean } | { kind: "gone" } | { kind: "failed"; failure: PlatformFailure };

/** The comment's hidden flag as the platform has it (Facebook `is_hidden`, Instagram `hidden`). */
export async function readCommentHidden(ctx: AdapterContext, channel: MetaInboxChannel, commentId: string): Promise<HiddenProbe> {
  const field = channel.platform === "instagram" ? "hidden" : "is_hidden";
  const answer = await metaSend(ctx, nameOf(channel), withQuery(`${GRAPH}/${commentId}`, { fields: `id,${field}` }), z.object({ id: z.string() }).loose(), { token: channel.accessToken });
  if (!answer.ok) return isGone(answer.raw) ? { kind: "gone" } : { kind: "failed", failure: answer.failure };
  const value = (answer.value as Record<string, unknown>)[field];
  return typeof value === "boolean" ? { kind: "state", hidden: value } : { kind: "failed", failure: { kind: "fatal", message: `${nameOf(channel)} did not say whether the comment is hidden.` } };
}
