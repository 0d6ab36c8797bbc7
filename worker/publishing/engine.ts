import { and, eq, inArray } from "drizzle-orm";
import type { LiveEvent } from "../contracts/live";
import type { Database } from "../db/client";
import type { TargetRow } from "../db/queries/posts";
import { postTargets } from "../db/schema";
import { retryDelayWithJitter } from "../domain/backoff";
import { credentialsFor } from "../platforms/credentials";
import { PlatformHttp } from "../platforms/http";
import { adapterFor } from "../platforms/registry";
import type { AdapterContext, PlatformFailure, PlatformId } from "../platforms/types";
import type { Disposition } from "../queues/envelope";
import { claimFollowUps, outcomeOf, releaseFollowUps, runFollowUps } from "./follow-ups";
import { buildJob, publicOrigin } from "./job";
import { attemptInsert, claimTarget, commitLeaseEnd, heldUpdate, markCommitStarted, raiseNotification, recordAttempt, releaseHeld, resolveNotificationsStatement, updateHeld, type AttemptRecord, type LedgerFields } from "./ledger";
import { publishMessage, type PublishMessage } from "./messages";
import { platformName } from "./platform-names";
import { publisherFor } from "./registry";
import type { AttemptOutcome, AttemptStep, TargetState } from "./states";
import type { Checkpoint, PublishAdapter, PublishJob } from "./types";

/** A prepared target is held in the consumer until its second arrives, if that is at most this far away. */
export const HOLD_MAX_MS = 5_000;
/** When it is further away, the message comes back this long before the due time. */
const HOLD_RETURN_MS = 3_000;
/**
 * The commit marker is written this long before the due second, so a crowd of targets due together
 * have their markers in before any go-live call is made (cancelling is refused from then on).
 */
const MARKER_HEADSTART_MS = 2_000;
/** Queue deliveries per message before the dead-letter queue (wrangler.toml `max_retries` + 1). */
export const MAX_DELIVERIES = 11;

export type EngineDeps = {
  env: Env;
  db: Database;
  now: () => number;
  /** Holds until the due second (tests advance their clock instead of sleeping). */
  wait: (ms: number) => Promise<void>;
  /** This delivery's lease owner id. */
  owner: string;
  /** Sends a new message (re-arming a poll, or coming back closer to the due time). */
  send: (message: PublishMessage, delaySeconds: number) => Promise<void>;
  /** Pushes a live event to the workspace's sockets (failures are logged, never fatal). */
  live: (workspaceId: string, event: LiveEvent) => Promise<void>;
  random?: () => number;
  /** Platform call timeout (a hang counts as a lost answer after it). */
  platformTimeoutMs?: number;
  /**
   * Runs the hold-until-due and the commit after the message is acked (the queue's `waitUntil`), so one
   * held batch never delays the next one's preparation. Absent (tests), the hold happens inline.
   * A detached commit that dies is recovered by its lease running out and the watchdog.
   */
  detach?: (work: () => Promise<void>) => void;
};

type Held = { deps: EngineDeps; target: TargetRow; message: PublishMessage; attempts: number; publisher: PublishAdapter; ctx: AdapterContext; job: PublishJob };

/**
 * Drives one target one step further, for one delivery of its message. Every path ends with the
 * lease released (or run out) and the ledger saying what happened; the returned disposition acks the
 * message or asks for it again later. Nothing here is repeated blindly: the go-live call happens only
 * from `ready`, after the commit marker is written, and an unanswered one is reconciled, never redone.
 */
export async function runTarget(deps: EngineDeps, message: PublishMessage, deliveries: number): Promise<Disposition> {
  if (message.followUps) return resumeFollowUps(deps, message);
  const attempts = Math.max(deliveries, message.attempt ?? 1);
  const target = await claimTarget(deps.db, message.targetId, message.revision, deps.owner, deps.now());
  // Stale revision, terminal state, or another delivery holds it: nothing to do for this message.
  if (!target) return "ack";
  const platform = target.platform as PlatformId;
  const publisher = publisherFor(platform);
  const ctx = adapterContext(deps, platform);
  if (!publisher || !ctx) {
    await settle(deps, target, "failed", { statusDetail: `Publishing to ${platformName(platform)} is not available in this version of Atelier.` }, { step: "prepare", outcome: "rejected" });
    return "ack";
  }
  const built = await buildJob(deps, target);
  if (!built.ok) return onFailure({ deps, target, message, attempts, publisher, ctx, job: null }, "prepare", built.failure, deps.now());
  const held: Held = { deps, target, message, attempts, publisher, ctx, job: built.job };
  if (target.state === "committing") return reconcile(held);
  if (target.state === "scheduled" || target.state === "preparing") {
    const next = await prepare(held);
    if (next !== "ready") return next;
  }
  return holdAndCommit(held);
}

/** Finishes follow-ups a crash interrupted (the watchdog sends these); the post itself is live and stays so. */
async function resumeFollowUps(deps: EngineDeps, message: PublishMessage): Promise<Disposition> {
  const target = await claimFollowUps(deps.db, message.targetId, message.revision, deps.owner, deps.now());
  if (!target || !target.remoteId) return "ack";
  const publisher = publisherFor(target.platform as PlatformId);
  const ctx = adapterContext(deps, target.platform as PlatformId);
  const built = await buildJob(deps, target);
  try {
    if (publisher && ctx && built.ok) await runFollowUps({ db: deps.db, now: deps.now, target, publisher, ctx, job: built.job }, { remoteId: target.remoteId, checkpoint: target.checkpoint });
  } finally {
    await releaseFollowUps(deps.db, target.id, deps.owner);
  }
  return "ack";
}

function adapterContext(deps: EngineDeps, platform: PlatformId): AdapterContext | null {
  const adapter = adapterFor(platform);
  const credentials = adapter && credentialsFor(deps.env, adapter.credentialsKey);
  if (!credentials) return null;
  const http = new PlatformHttp((request) => fetch(request), deps.env.SANDBOX_ORIGIN || null, deps.platformTimeoutMs);
  return { http, credentials, redirectUri: `${publicOrigin(deps.env)}/oauth/${platform}/callback`, now: deps.now() };
}

async function prepare(h: Held): Promise<Disposition | "ready"> {
  const { deps, target } = h;
  if (target.state === "scheduled") {
    await updateHeld(deps.db, target.id, deps.owner, { state: "preparing" }, deps.now());
    await announce(deps, target, "preparing");
  }
  const startedAt = deps.now();
  const result = await h.publisher.prepare(h.ctx, h.job);
  const endedAt = deps.now();
  if (result.kind === "failed") return onFailure(h, "prepare", result.failure, startedAt, result.checkpoint);
  h.job = { ...h.job, checkpoint: result.checkpoint };
  if (result.kind === "waiting") {
    await recordAttempt(deps.db, target, { step: "prepare", startedAt, endedAt, outcome: "waiting", message: result.detail });
    const nextAt = endedAt + result.pollAfterSeconds * 1000;
    await releaseHeld(deps.db, target.id, deps.owner, { state: "preparing", checkpoint: result.checkpoint, statusDetail: result.detail, nextAttemptAt: nextAt }, endedAt);
    // A fresh message, not a retry: polling a processing video must not use up the failure budget.
    await deps.send(publishMessage(target.workspaceId, target.id, target.revision), result.pollAfterSeconds);
    return "ack";
  }
  await deps.db.batch([
    attemptInsert(deps.db, target, { step: "prepare", startedAt, endedAt, outcome: "ok" }),
    heldUpdate(deps.db, target.id, deps.owner, { state: "ready", checkpoint: result.checkpoint, statusDetail: null, errorCode: null, nextAttemptAt: null, leaseExpiresAt: commitLeaseEnd(h.job.dueAt, endedAt) }, endedAt),
  ]);
  await announce(deps, target, "ready");
  return "ready";
}

async function holdAndCommit(h: Held): Promise<Disposition> {
  const { deps, target } = h;
  const wait = h.job.dueAt - deps.now();
  if (wait > HOLD_MAX_MS) {
    await releaseHeld(deps.db, target.id, deps.owner, {}, deps.now());
    await deps.send(h.message, Math.floor((wait - HOLD_RETURN_MS) / 1000));
    return "ack";
  }
  if (wait > 0 && deps.detach) {
    deps.detach(async () => {
      try {
        const disposition = await commitAt(h, wait);
        // Acked already: a retry is a fresh message that carries its try number.
        if (disposition !== "ack") await deps.send({ ...h.message, attempt: h.attempts + 1 }, disposition.retryAfterSeconds);
      } catch (error) {
        console.error(JSON.stringify({ msg: "detached commit failed; the lease will run out and the watchdog re-drives it", targetId: target.id, error: String(error) }));
      }
    });
    return "ack";
  }
  return commitAt(h, wait);
}

async function commitAt(h: Held, wait: number): Promise<Disposition> {
  const { deps, target } = h;
  if (wait > MARKER_HEADSTART_MS) await deps.wait(wait - MARKER_HEADSTART_MS);
  const startedAt = deps.now();
  // The commit marker goes in before the go-live call (a moment ahead, so writing it never delays the
  // call); if it cannot (cancelled or rescheduled meanwhile), nothing is sent.
  if (!(await markCommitStarted(deps.db, target.id, deps.owner, h.message.revision, h.job.dueAt, startedAt))) return "ack";
  const remaining = h.job.dueAt - deps.now();
  if (remaining > 0) await deps.wait(remaining);
  h.job = { ...h.job, commitStartedAt: startedAt };
  const result = await h.publisher.commit(h.ctx, h.job);
  const endedAt = deps.now();
  if (result.kind === "published") return published(h, { remoteId: result.remoteId, url: result.url, checkpoint: result.checkpoint, detail: null }, { step: "commit", startedAt, endedAt, outcome: "published" });
  if (result.kind === "uncertain") {
    await recordAttempt(deps.db, target, { step: "commit", startedAt, endedAt, outcome: "uncertain", message: result.detail });
    await updateHeld(deps.db, target.id, deps.owner, { checkpoint: result.checkpoint }, endedAt);
    h.job = { ...h.job, checkpoint: result.checkpoint };
    return reconcile(h);
  }
  // The platform answered and did not publish: back to ready (the marker is cleared) before deciding.
  await updateHeld(deps.db, target.id, deps.owner, { state: result.notReady ? "preparing" : "ready", commitStartedAt: null, checkpoint: result.checkpoint }, endedAt);
  return onFailure(h, "commit", result.failure, startedAt, result.checkpoint, result.notReady ? "preparing" : "ready");
}

async function reconcile(h: Held): Promise<Disposition> {
  const { deps, target } = h;
  const startedAt = deps.now();
  const result = await h.publisher.reconcile(h.ctx, { ...h.job, commitStartedAt: h.job.commitStartedAt ?? target.commitStartedAt });
  const endedAt = deps.now();
  switch (result.kind) {
    case "published":
      return published(h, { remoteId: result.remoteId, url: result.url, checkpoint: h.job.checkpoint, detail: null }, { step: "reconcile", startedAt, endedAt, outcome: "published", message: result.checked });
    case "not_published": {
      await recordAttempt(deps.db, target, { step: "reconcile", startedAt, endedAt, outcome: "not_published", message: result.checked });
      const delay = retryDelayWithJitter(1, deps.random);
      await releaseHeld(deps.db, target.id, deps.owner, { state: "ready", commitStartedAt: null, statusDetail: `The last try did not go out (${lowerFirst(result.checked)}). Trying again.`, nextAttemptAt: endedAt + delay * 1000 }, endedAt);
      await announce(deps, target, "ready");
      if (h.attempts >= MAX_DELIVERIES) return giveUp(h, "ready", "The platform kept failing; Atelier stopped trying.");
      return { retryAfterSeconds: delay };
    }
    case "unknown": {
      await recordAttempt(deps.db, target, { step: "reconcile", startedAt, endedAt, outcome: "unknown", message: result.checked });
      const name = platformName(target.platform);
      const detail = `Atelier can't tell whether this went live on ${name}. ${result.checked} Check ${name}, then tell Atelier whether the post is there.`;
      await settle(deps, target, "unconfirmed", { statusDetail: detail, leaseOwner: null, leaseExpiresAt: null });
      await notify(deps, target, "unconfirmed", `Check ${name}: did this post go live?`, detail);
      return "ack";
    }
    case "failed": {
      await recordAttempt(deps.db, target, { step: "reconcile", startedAt, endedAt, outcome: outcomeOf(result.failure), ...failureFields(result.failure) });
      if (h.attempts >= MAX_DELIVERIES) {
        const name = platformName(target.platform);
        const detail = `The answer to the publish request was lost and ${name} could not be asked what happened (${lowerFirst(result.failure.message)}). Check ${name}, then tell Atelier whether the post is there.`;
        await settle(deps, target, "unconfirmed", { statusDetail: detail, leaseOwner: null, leaseExpiresAt: null });
        await notify(deps, target, "unconfirmed", `Check ${name}: did this post go live?`, detail);
        return "ack";
      }
      const delay = Math.max(result.failure.retryAfterSeconds ?? 0, retryDelayWithJitter(h.attempts, deps.random));
      await releaseHeld(deps.db, target.id, deps.owner, { statusDetail: `Checking whether the post went live: ${lowerFirst(result.failure.message)} Asking again shortly.`, nextAttemptAt: endedAt + delay * 1000 }, endedAt);
      return { retryAfterSeconds: delay };
    }
  }
}

async function published(h: Held, result: { remoteId: string; url: string | null; checkpoint: Checkpoint; detail: string | null }, attempt: AttemptRecord): Promise<Disposition> {
  const { deps, target } = h;
  const now = deps.now();
  const checkpoint = h.publisher.resumableFollowUps?.(h.job) ? { ...result.checkpoint, followUps: "pending" } : result.checkpoint;
  // Written on the revision and state alone (not the lease): the remote id must never be lost, even
  // if this consumer's lease ran out during a slow call. One round trip with the attempt and the
  // notifications it settles.
  const [, , resolved] = await deps.db.batch([
    deps.db
      .update(postTargets)
      .set({ state: "published", remoteId: result.remoteId, remoteUrl: result.url, publishedAt: now, checkpoint, statusDetail: result.detail, errorCode: null, nextAttemptAt: null, leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
      .where(and(eq(postTargets.id, target.id), eq(postTargets.revision, target.revision), inArray(postTargets.state, ["committing", "ready", "unconfirmed"]))),
    attemptInsert(deps.db, target, attempt),
    resolveNotificationsStatement(deps.db, target.id, now),
  ]);
  await announce(deps, target, "published");
  for (const { id } of resolved) await deps.live(target.workspaceId, { kind: "notification.changed", notificationId: id, resolved: true });
  await runFollowUps({ db: deps.db, now: deps.now, target, publisher: h.publisher, ctx: h.ctx, job: h.job }, { ...result, checkpoint });
  return "ack";
}

/** A failed step, by kind: refresh once then reconnect, retry with backoff, or fail with the platform's reason. */
async function onFailure(h: Omit<Held, "job"> & { job: PublishJob | null }, step: AttemptStep, failure: PlatformFailure, startedAt: number, checkpoint?: Checkpoint, stayIn?: TargetState): Promise<Disposition> {
  const { deps, target } = h;
  const now = deps.now();
  const name = platformName(target.platform);
  await recordAttempt(deps.db, target, { step, startedAt, endedAt: now, outcome: outcomeOf(failure), ...failureFields(failure) });
  const keep = checkpoint ? { checkpoint } : {};
  if (failure.kind === "refresh" && h.job) {
    // One refresh, then try again with the new token; a platform without refresh (Meta) falls through to reconnect.
    const fresh = await withFreshToken({ ...h, job: h.job });
    if (fresh.ok) {
      await releaseHeld(deps.db, target.id, deps.owner, { ...keep, ...(stayIn ? { state: stayIn } : {}), statusDetail: "The access token was refreshed; trying again.", nextAttemptAt: now + 1000 }, now);
      return { retryAfterSeconds: 1 };
    }
  }
  if (failure.kind === "refresh" || failure.kind === "reauth") {
    const detail = `${failure.message} Reconnect the ${name} channel on the Accounts page, then retry.`;
    await settle(deps, target, "needs_reconnect", { ...keep, statusDetail: detail, errorCode: failure.platformCode ?? null, leaseOwner: null, leaseExpiresAt: null });
    await notify(deps, target, "needs_reconnect", `Reconnect to publish on ${name}`, detail);
    return "ack";
  }
  if (failure.kind === "fatal") {
    await settle(deps, target, "failed", { ...keep, statusDetail: failure.message, errorCode: failure.platformCode ?? null, leaseOwner: null, leaseExpiresAt: null });
    await notify(deps, target, "publish_failed", `${name} did not publish this post`, failure.message);
    return "ack";
  }
  if (h.attempts >= MAX_DELIVERIES) return giveUp(h, stayIn ?? target.state, failure.message, checkpoint);
  const delay = Math.max(failure.retryAfterSeconds ?? 0, retryDelayWithJitter(h.attempts, deps.random));
  const detail = `${failure.message} Trying again shortly (attempt ${h.attempts + 1} of ${MAX_DELIVERIES}).`;
  await releaseHeld(deps.db, target.id, deps.owner, { ...keep, ...(stayIn ? { state: stayIn } : {}), statusDetail: detail, errorCode: failure.platformCode ?? null, nextAttemptAt: now + delay * 1000 }, now);
  await announce(deps, target, stayIn ?? target.state);
  return { retryAfterSeconds: delay };
}

/** Out of tries: failed, with the last reason, and a notification with Retry. */
async function giveUp(h: { deps: EngineDeps; target: TargetRow }, _state: TargetState, reason: string, checkpoint?: Checkpoint): Promise<Disposition> {
  const detail = `Atelier tried ${MAX_DELIVERIES} times and gave up. Last answer: ${reason}`;
  await settle(h.deps, h.target, "failed", { ...(checkpoint ? { checkpoint } : {}), statusDetail: detail, leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: null });
  await notify(h.deps, h.target, "publish_failed", `${platformName(h.target.platform)} did not publish this post`, detail);
  return "ack";
}

async function withFreshToken(h: Held): Promise<{ ok: true } | { ok: false; failure: PlatformFailure }> {
  const rebuilt = await buildJob(h.deps, h.target, { forceRefresh: true });
  if (!rebuilt.ok) return rebuilt;
  if (rebuilt.job.accessToken === h.job.accessToken) return { ok: false, failure: { kind: "reauth", message: `${platformName(h.target.platform)} no longer accepts this channel's access.` } };
  h.job = { ...rebuilt.job, checkpoint: h.job.checkpoint };
  return { ok: true };
}

/** A terminal or person-facing state, written on the revision (our lease may be gone; the revision guards against a newer schedule). */
async function settle(deps: EngineDeps, target: TargetRow, state: TargetState, fields: LedgerFields, attempt?: { step: AttemptStep; outcome: AttemptOutcome }): Promise<void> {
  const now = deps.now();
  await deps.db
    .update(postTargets)
    .set({ ...fields, state, updatedAt: now })
    .where(and(eq(postTargets.id, target.id), eq(postTargets.revision, target.revision)));
  if (attempt) await recordAttempt(deps.db, target, { ...attempt, startedAt: now, endedAt: now, message: fields.statusDetail ?? null });
  await announce(deps, target, state);
}

async function notify(deps: EngineDeps, target: TargetRow, kind: "publish_failed" | "needs_reconnect" | "unconfirmed", title: string, body: string): Promise<void> {
  const raised = await raiseNotification(deps.db, { workspaceId: target.workspaceId, kind, postId: target.postId, targetId: target.id, connectionId: target.connectionId, title, body }, deps.now());
  for (const id of raised.replaced) await deps.live(target.workspaceId, { kind: "notification.changed", notificationId: id, resolved: true });
  await deps.live(target.workspaceId, { kind: "notification.changed", notificationId: raised.id, resolved: false });
}

function announce(deps: EngineDeps, target: TargetRow, state: TargetState): Promise<void> {
  return deps.live(target.workspaceId, { kind: "target.changed", postId: target.postId, targetId: target.id, state });
}

function failureFields(failure: PlatformFailure) {
  return { httpStatus: failure.status ?? null, platformCode: failure.platformCode ?? null, message: failure.message };
}

const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s).replace(/\.$/, "");
