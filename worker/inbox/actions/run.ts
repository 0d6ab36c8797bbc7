import { and, eq } from "drizzle-orm";
import { inboxActions } from "../../db/schema-inbox";
import { retryDelayWithJitter } from "../../domain/backoff";
import { deleteComment, findOurReply, readCommentHidden, replyToComment, sendMessage, setCommentHidden, setCommentLiked, type InboxCallResult } from "../../platforms/meta-inbox";
import type { PlatformFailure } from "../../platforms/types";
import type { Disposition } from "../../queues/envelope";
import { loadActionContext, type ActionContext, type ActionRunDeps } from "./context";
import { claimAction, markCommitStarted, releaseStatement } from "./ledger";
import { settleDone, settleFailed } from "./settle";

/** Deliveries per action before it is given up (wrangler.toml `max_retries` + 1 on the publish queue). */
export const MAX_ACTION_DELIVERIES = 11;

const NAMES = { facebook: "Facebook", instagram: "Instagram" } as const;

/**
 * One delivery of an `inbox.action` message. The publish ledger's rules: claim by lease (a duplicate
 * delivery finds it held, done or failed and acks), write the commit marker before the platform call,
 * and a delivery that finds a marker from an earlier one asks the platform what happened instead of
 * acting again. Likes, unlikes and deletes leave the same state however often they are sent, so those
 * are simply sent again; a hide is read back; a reply is looked for; a message cannot be checked, so a
 * lost one is reported, never resent.
 */
export async function runAction(deps: ActionRunDeps, actionId: string, deliveries: number): Promise<Disposition> {
  const action = await claimAction(deps.db, actionId, deps.owner, deps.now());
  if (!action) return "ack";
  const attempts = Math.max(deliveries, action.attempts);
  const loaded = await loadActionContext(deps, action);
  if (!loaded.ok) return onFailure(deps, { action, outboundId: action.outboundMessageId }, loaded.failure, attempts);
  const c = loaded.value;
  if (action.commitStartedAt !== null) return reconcile(deps, c, action.commitStartedAt, attempts);
  return act(deps, c, attempts);
}

async function act(deps: ActionRunDeps, c: ActionContext, attempts: number): Promise<Disposition> {
  const startedAt = deps.now();
  if (!(await markCommitStarted(deps.db, c.action.id, deps.owner, startedAt))) return "ack";
  const result = await call(c);
  if (result.kind === "done") return settled(await settleDone(deps, c, result.remoteId));
  if (result.kind === "uncertain") return reconcile(deps, c, startedAt, attempts, result.detail);
  // The platform answered no: nothing happened, so the marker goes before deciding what next.
  return onFailure(deps, { action: c.action, outboundId: c.action.outboundMessageId, clearMarker: true }, result.failure, attempts);
}

function call(c: ActionContext): Promise<InboxCallResult> {
  const { action, channel, ctx, target, conversation } = c;
  const commentId = target?.externalId ?? "";
  const text = action.text ?? "";
  switch (action.kind) {
    case "reply":
      return replyToComment(ctx, channel, commentId, text);
    case "like":
    case "unlike":
      return setCommentLiked(ctx, channel, commentId, action.kind === "like");
    case "hide":
    case "unhide":
      return setCommentHidden(ctx, channel, commentId, action.kind === "hide");
    case "delete":
      return deleteComment(ctx, channel, commentId);
    case "private_reply":
      return sendMessage(ctx, channel, { commentId }, text);
    case "dm":
      return sendMessage(ctx, channel, { personId: conversation.participantId ?? conversation.externalId }, text);
  }
}

/** An earlier call may have acted: find out from the platform; resend only what cannot end up twice. */
async function reconcile(deps: ActionRunDeps, c: ActionContext, since: number, attempts: number, why?: string): Promise<Disposition> {
  const { action, channel, ctx, target } = c;
  const name = NAMES[channel.platform];
  const commentId = target?.externalId ?? "";
  switch (action.kind) {
    case "like":
    case "unlike":
    case "delete": {
      const result = await call(c);
      if (result.kind === "done") return settled(await settleDone(deps, c, result.remoteId));
      return onFailure(deps, { action, outboundId: null }, result.failure, attempts);
    }
    case "hide":
    case "unhide": {
      const probe = await readCommentHidden(ctx, channel, commentId);
      if (probe.kind === "gone") return settled(await settleFailed(deps, action, `The comment is no longer on ${name}, so it cannot be ${action.kind === "hide" ? "hidden" : "shown"}.`));
      if (probe.kind === "failed") return onFailure(deps, { action, outboundId: null }, probe.failure, attempts);
      if (probe.hidden === (action.kind === "hide")) return settled(await settleDone(deps, c, null));
      // Not applied: setting the flag again leaves one state whatever happened before.
      const result = await call(c);
      if (result.kind === "done") return settled(await settleDone(deps, c, null));
      return onFailure(deps, { action, outboundId: null }, result.failure, attempts);
    }
    case "reply": {
      const probe = await findOurReply(ctx, channel, commentId, action.text ?? "", since);
      if (probe.kind === "found") return settled(await settleDone(deps, c, probe.remoteId));
      if (probe.kind === "absent") {
        // Checked, and the reply is not there: the earlier call did not post it, so it may go again.
        return onFailure(deps, { action, outboundId: action.outboundMessageId, clearMarker: true }, { kind: "retry", message: `${why ?? `${name} did not answer an earlier try.`} The reply is not on ${name}, so Atelier will send it again.` }, attempts);
      }
      if (probe.failure.kind === "retry") return onFailure(deps, { action, outboundId: action.outboundMessageId }, probe.failure, attempts);
      return settled(await settleFailed(deps, action, `Atelier sent this reply to ${name} but got no answer, and could not check whether it was posted (${lowerFirst(probe.failure.message)}). Look under the comment on ${name} before replying again.`));
    }
    case "private_reply":
    case "dm":
      return settled(
        await settleFailed(deps, action, `Atelier sent this message to ${name} but never got an answer, and ${name} offers no way to check whether it arrived. Look in the conversation on ${name} before sending it again.`),
      );
  }
}

type Failing = { action: typeof inboxActions.$inferSelect; outboundId: string | null; clearMarker?: boolean };

async function onFailure(deps: ActionRunDeps, f: Failing, failure: PlatformFailure, attempts: number): Promise<Disposition> {
  const { action } = f;
  if (failure.kind === "refresh" || failure.kind === "reauth") {
    return settled(await settleFailed(deps, action, `${failure.message} Reconnect the channel on the Accounts page, then try again.`, f.outboundId));
  }
  if (failure.kind === "fatal") return settled(await settleFailed(deps, action, failure.message, f.outboundId));
  if (attempts >= MAX_ACTION_DELIVERIES) return settled(await settleFailed(deps, action, `Atelier tried ${MAX_ACTION_DELIVERIES} times and gave up. Last answer: ${failure.message}`, f.outboundId));
  const delay = Math.max(failure.retryAfterSeconds ?? 0, retryDelayWithJitter(attempts, deps.random));
  // The lease goes (the next delivery claims it again); the marker stays unless the platform said no.
  const now = deps.now();
  await releaseStatement(deps.db, action.id, deps.owner, { error: failure.message, nextAttemptAt: now + delay * 1000, ...(f.clearMarker ? { commitStartedAt: null } : {}) }, now);
  return { retryAfterSeconds: delay };
}

/** Done or failed was written, or the lease had already gone to another delivery: either way this one is finished. */
function settled(_written: boolean): Disposition {
  return "ack";
}

const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s).replace(/\.$/, "");

/** `inbox.action` on the dead-letter queue: out of deliveries. A started call becomes an honest failure. */
export async function giveUpOnAction(deps: ActionRunDeps, actionId: string): Promise<void> {
  const action = await deps.db.select().from(inboxActions).where(and(eq(inboxActions.id, actionId), eq(inboxActions.state, "pending"))).get();
  if (!action) return;
  const reason =
    action.commitStartedAt !== null
      ? "Atelier sent this to the platform but never learned whether it went through, and stopped asking. Check the platform before trying again."
      : `Atelier stopped trying after repeated failures.${action.error ? ` Last answer: ${action.error}` : ""}`;
  // Whoever held a lease is gone (the message ran out): take it over for the final write.
  await deps.db.update(inboxActions).set({ leaseOwner: deps.owner }).where(and(eq(inboxActions.id, action.id), eq(inboxActions.state, "pending")));
  await settleFailed(deps, action, reason);
}
