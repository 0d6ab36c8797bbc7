import type { AdapterContext, ChannelKind, PlatformFailure, PlatformId } from "../platforms/types";

/**
 * The publishing side of a platform adapter (ARCHITECTURE.md §2): `prepare` does everything invisible
 * to the audience ahead of time, `commit` is the one go-live call at the due time, `reconcile` finds
 * out what happened when the answer to that call was lost. Adapters never touch D1, queues or the
 * clock's future: they get a job, make platform calls through `ctx.http`, and return a typed result
 * carrying the checkpoint to persist. The engine (worker/publishing/engine.ts) owns state, leases,
 * retries and notifications.
 */

/** Platform ids and progress written by the steps, persisted after each one (adapters validate their own shape with zod). */
export type Checkpoint = Record<string, unknown>;

/** One library file of the post, in order. */
export type PublishMedia = {
  id: string;
  kind: "image" | "video";
  mimeType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  altText: string | null;
  /**
   * A public, signed, expiring URL (`<APP_ORIGIN>/m/<token>`, valid for 24 h) the platform can fetch
   * the file from (Instagram `image_url`/`video_url`, Facebook `url`/`file_url`).
   */
  url: string;
  /** Streams bytes [offset, offset + length) from R2, for uploads the adapter pushes itself (never buffered whole). */
  read(offset: number, length: number): Promise<ReadableStream<Uint8Array>>;
};

export type PublishJob = {
  targetId: string;
  workspaceId: string;
  platform: PlatformId;
  /** One of POST_FORMATS[platform]. */
  format: string;
  channel: { externalId: string; kind: ChannelKind; name: string; metadata: Record<string, string> };
  /** A fresh access token for the channel (the engine refreshes before calling when it is near expiry). */
  accessToken: string;
  /** The text for this channel (override or base text). */
  text: string;
  firstComment: string | null;
  /** Format options as stored (adapters parse them with the capability schemas for defaults). */
  options: Record<string, unknown>;
  media: PublishMedia[];
  /** The library file an option names as the custom thumbnail (YouTube `thumbnailMediaId`), when there is one and it still exists. */
  thumbnail?: PublishMedia | null;
  checkpoint: Checkpoint;
  /** The instant the post must go live (epoch ms). */
  dueAt: number;
  /**
   * The commit marker of an earlier attempt, when `reconcile` is asked. Platforms without a direct
   * probe for a lost commit (Facebook) are reconciled by listing recent posts and matching the content
   * fingerprint: the exact text (and media count) with a creation time at or after this instant minus
   * a minute of clock skew.
   */
  commitStartedAt: number | null;
};

export type PrepareResult =
  /** Everything invisible is done: the target can go live with one call. */
  | { kind: "ready"; checkpoint: Checkpoint }
  /** The platform is still processing (a container, a video): ask again after `pollAfterSeconds`. */
  | { kind: "waiting"; checkpoint: Checkpoint; pollAfterSeconds: number; detail: string }
  | { kind: "failed"; checkpoint: Checkpoint; failure: PlatformFailure };

export type CommitResult =
  | { kind: "published"; checkpoint: Checkpoint; remoteId: string; url: string | null }
  /**
   * The platform answered and did not publish (a 4xx, a rate limit before acting, "media not ready"):
   * nothing went live, so the engine may try again or fail the target, by `failure.kind`.
   */
  | { kind: "failed"; checkpoint: Checkpoint; failure: PlatformFailure; notReady?: boolean }
  /** No usable answer (network error, timeout, 5xx): it may or may not have gone live. The engine reconciles. */
  | { kind: "uncertain"; checkpoint: Checkpoint; detail: string };

export type ReconcileResult =
  | { kind: "published"; remoteId: string; url: string | null; checked: string }
  /** Certain it did not go live (e.g. the Instagram container is still FINISHED, not PUBLISHED): safe to commit again. */
  | { kind: "not_published"; checked: string }
  /** Asked everything there is to ask and still cannot tell: the person is told exactly `checked`. */
  | { kind: "unknown"; checked: string }
  /** Could not ask (the platform is down, the token is dead): the engine retries the reconcile. */
  | { kind: "failed"; failure: PlatformFailure };

export type AfterPublishJob = PublishJob & { remoteId: string; saveCheckpoint(checkpoint: Checkpoint): Promise<void> };

export type AfterPublishResult =
  /** `did`: what was posted, for the attempt history ("First comment posted."), or null when there was nothing to do. */
  | { ok: true; did: string | null }
  /** `what` names the follow-up that failed ("the first comment", "posts 3–4 of the thread"). */
  | { ok: false; failure: PlatformFailure; what: string };

/** A target that went live, for removing it from the platform. */
export type RemoteRef = { remoteId: string; accessToken: string; channel: PublishJob["channel"]; format: string; checkpoint: Checkpoint };

export interface PublishAdapter {
  readonly platform: PlatformId;
  /**
   * Seconds before the due time the engine starts `prepare` for this format and media: a few seconds
   * for text, minutes for video (data per format, so lateness stays ≤ 1 s even for Reels).
   */
  leadSeconds(format: string, media: readonly Pick<PublishMedia, "kind" | "sizeBytes" | "durationMs">[]): number;
  /** Idempotent and resumable from `job.checkpoint`; never makes anything visible. */
  prepare(ctx: AdapterContext, job: PublishJob): Promise<PrepareResult>;
  /** The one go-live call (after an optional cheap pre-check such as Instagram's `content_publishing_limit`). */
  commit(ctx: AdapterContext, job: PublishJob): Promise<CommitResult>;
  /** After a commit marker without a remote id: ask the platform whether the post went live. */
  reconcile(ctx: AdapterContext, job: PublishJob): Promise<ReconcileResult>;
  /**
   * Follow-ups after going live that must not fail the post (the first comment, the rest of a Threads
   * thread). Called after every publish; `ok` with `did: null` when there was nothing to do. Work that
   * makes several things live saves its progress with `saveCheckpoint` after each one, so a second
   * run resumes instead of repeating.
   */
  afterPublish?(ctx: AdapterContext, job: AfterPublishJob): Promise<AfterPublishResult>;
  /**
   * Whether `afterPublish` will make more things live for this job (a thread's replies). The published
   * row is then marked as having follow-ups pending in the same write, so even a crash before the first
   * of them is resumed by the watchdog.
   */
  resumableFollowUps?(job: PublishJob): boolean;
  /**
   * Removes what `prepare` left on the platform for a post that will never go live (YouTube: the
   * private upload), when the post is deleted. `did: null` when there was nothing there.
   */
  discardPrepared?(ctx: AdapterContext, ref: Omit<RemoteRef, "remoteId">): Promise<{ ok: true; did: string | null } | { ok: false; failure: PlatformFailure }>;
  /** Removes a published post from the platform, where its API allows it. Already gone counts as removed. */
  deleteRemote?(ctx: AdapterContext, ref: RemoteRef): Promise<{ ok: true } | { ok: false; failure: PlatformFailure }>;
}
